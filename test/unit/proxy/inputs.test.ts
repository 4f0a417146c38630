import { describe, expect, it } from 'vitest';
import { buildToxic } from '../../../src/proxy/api/build-toxic.js';
import {
  decodePopulate,
  decodeProxyCreate,
  decodeProxyUpdate,
  decodeToxicCreate,
  decodeToxicUpdate,
} from '../../../src/proxy/api/inputs.js';
import { ToxiproxyApiError } from '../../../src/proxy/model/api-error.js';
import { TOXIC_TYPES } from '../../../src/proxy/toxics/index.js';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ToxiproxyApiError) return `${e.status} ${e.message}`;
    throw e;
  }
  return 'ok';
};

describe('proxy bodies', () => {
  it('defaults enabled to true, matches keys case-insensitively and ignores unknown fields and null', () => {
    expect(decodeProxyCreate('{"NAME":"a","Upstream":"h:1","listen":null,"extra":[1]}')).toEqual({
      name: 'a',
      listen: '',
      upstream: 'h:1',
      enabled: true,
    });
    expect(decodeProxyCreate('null')).toEqual({ name: '', listen: '', upstream: '', enabled: true });
  });

  it('reports decoder errors with Go texts', () => {
    expect(failure(() => decodeProxyCreate(''))).toBe('400 bad request body: EOF');
    expect(failure(() => decodeProxyCreate('[]'))).toBe(
      '400 bad request body: json: cannot unmarshal array into Go value of type toxiproxy.Proxy',
    );
    expect(failure(() => decodeProxyCreate('{"name":5}'))).toBe(
      '400 bad request body: json: cannot unmarshal number into Go struct field Proxy.name of type string',
    );
    expect(failure(() => decodeProxyCreate('{"enabled":"yes"}'))).toBe(
      '400 bad request body: json: cannot unmarshal string into Go struct field Proxy.enabled of type bool',
    );
  });

  it('merges an update over the current settings', () => {
    const current = { listen: '127.0.0.1:1', upstream: 'u:2', enabled: true };
    expect(decodeProxyUpdate('{"enabled":false,"name":"ignored"}', current)).toEqual({
      ...current,
      enabled: false,
    });
  });
});

describe('toxic bodies', () => {
  const build = (text: string, existing: string[] = []) =>
    failure(() => buildToxic(decodeToxicCreate(text), (n) => existing.includes(n)));

  it('defaults stream, toxicity and name; echoes the stream as sent', () => {
    const entry = buildToxic(
      decodeToxicCreate('{"type":"latency","stream":"UpStream","attributes":{"latency":5}}'),
      () => false,
    );
    expect(entry).toMatchObject({
      name: 'latency_UpStream',
      stream: 'UpStream',
      direction: 'upstream',
      toxicity: 1,
    });
    expect(entry.attributes).toEqual({ latency: 5, jitter: 0 });
  });

  it('checks stream → name → type → duplicate → attributes, in that order', () => {
    expect(build('{"type":"nope","stream":"sideways"}')).toBe(
      '400 stream was invalid, can be either upstream or downstream',
    );
    expect(build('{"type":"nope","stream":""}')).toBe(
      '400 stream was invalid, can be either upstream or downstream',
    );
    expect(build('{"type":"nope","name":"x"}', ['x'])).toBe('400 invalid toxic type');
    for (const type of ['down', '', 'LATENCY'])
      expect(build(JSON.stringify({ type }))).toBe('400 invalid toxic type');
    expect(build('{}')).toBe('400 invalid toxic type');
    expect(build('{"type":"latency","attributes":{"latency":1.5}}', ['latency_downstream'])).toBe(
      '409 toxic already exists',
    );
    expect(build('{"type":"latency","attributes":{"latency":1.5}}')).toBe(
      '400 bad request body: json: cannot unmarshal number 1.5 into Go struct field LatencyToxic.attributes.latency of type int64',
    );
    expect(build('{"type":"latency","attributes":{"latency":"5"}}')).toBe(
      '400 bad request body: json: cannot unmarshal string into Go struct field LatencyToxic.attributes.latency of type int64',
    );
  });

  it('rejects what the real server crashes or stalls on', () => {
    expect(build('{"type":"latency","attributes":{"latency":-1}}')).toBe(
      '400 latency attribute latency must not be negative, got -1',
    );
    expect(build('{"type":"latency","toxicity":1.5}')).toBe('400 toxicity must be between 0 and 1, got 1.5');
    expect(build('{"type":"latency","toxicity":-0.1}')).toMatch(/^400 toxicity must be between 0 and 1/);
    expect(build('{"type":"bandwidth","attributes":{"rate":0}}')).toMatch(
      /^400 bandwidth rate must be positive/,
    );
    expect(build('{"type":"bandwidth","attributes":{"rate":-5}}')).toMatch(
      /^400 bandwidth attribute rate must not be negative/,
    );
    expect(build('{"type":"slicer","attributes":{"average_size":0}}')).toMatch(
      /^400 slicer average_size must be positive/,
    );
    expect(build('{"type":"slicer","attributes":{"average_size":4,"size_variation":5}}')).toMatch(
      /^400 slicer size_variation \(5\) must not exceed average_size \(4\)/,
    );
    expect(build('{"type":"timeout","attributes":{"timeout":9007199254740993}}')).toMatch(/must be at most/);
    expect(build('{"type":"limit_data","attributes":{"bytes":1e3}}')).toMatch(/cannot unmarshal number 1e3/);
  });

  it('updates merge attributes and toxicity', () => {
    const kind = TOXIC_TYPES.get('latency')!;
    const current = { toxicity: 1, attributes: { latency: 10, jitter: 2 } };
    expect(decodeToxicUpdate('{"attributes":{"jitter":5},"name":"x","type":"noop"}', kind, current)).toEqual({
      toxicity: 1,
      attributes: { latency: 10, jitter: 5 },
    });
    expect(decodeToxicUpdate('{"toxicity":0.5,"attributes":null}', kind, current)).toEqual({
      toxicity: 0.5,
      attributes: { latency: 10, jitter: 2 },
    });
    expect(failure(() => decodeToxicUpdate('{"attributes":[]}', kind, current))).toMatch(
      /cannot unmarshal array into Go struct field \.attributes of type toxics\.LatencyToxic/,
    );
  });
});

describe('populate bodies', () => {
  it('decodes entries (null = none) with enabled defaulting to true and the toxics extension', () => {
    expect(decodePopulate('null')).toEqual([]);
    const [entry] = decodePopulate('[{"name":"a","upstream":"u:1","toxics":[{"type":"noop"}]}]');
    expect(entry).toMatchObject({ name: 'a', upstream: 'u:1', listen: '', enabled: true });
    expect(entry?.toxics).toHaveLength(1);
    expect(decodePopulate('[{"name":"a","toxics":null,"enabled":false}]')[0]).toEqual({
      name: 'a',
      listen: '',
      upstream: '',
      enabled: false,
    });
  });

  it('rejects a non-array', () => {
    expect(failure(() => decodePopulate('{}'))).toMatch(
      /^400 bad request body: json: cannot unmarshal object into Go value of type \[\]struct/,
    );
  });
});
