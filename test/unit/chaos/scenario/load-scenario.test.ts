import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type LoadResult,
  loadScenarioFile,
  parseScenario,
  type Scenario,
} from '../../../../src/chaos/scenario/index.js';

const BASE = `name: t
duration: 10s
servers:
  weather: {replicas: 3, mock: {}}
`;

function ok(text: string): Scenario {
  const r = parseScenario(text, 'inline.yaml');
  if (!r.ok)
    throw new Error(r.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`).join('\n'));
  return r.scenario;
}

function problems(r: LoadResult): string[] {
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
}

describe('normalisation', () => {
  it('maps YAML manager names to ResilienceSettings names in ms', () => {
    const s = ok(`${BASE}manager:
  callTimeout: 1.5s
  breaker: {failures: 3, openFor: 2s, halfOpenTrials: 2, backoff: {multiplier: 2, max: 10s}, mode: forced-open}
  health: {interval: 500ms, timeout: 250ms, jitter: 0, unhealthyInterval: 100ms}
  ejection: {baseTime: 2s, maxTime: 30s}
  retry: {attempts: 3, budget: {ratio: 0.2}, backoff: {base: 10ms, max: 200ms}}
  pool: {acquireTimeout: 500ms}
  hedge: {percentile: 95, minDelay: 10ms}
`);
    expect(s.manager).toEqual({
      callTimeoutMs: 1500,
      breaker: {
        mode: 'forced-open',
        trip: { policy: 'consecutive', failures: 3 },
        openForMs: 2000,
        halfOpenTrials: 2,
        backoff: { multiplier: 2, maxMs: 10_000 },
      },
      health: { intervalMs: 500, timeoutMs: 250, jitterMs: 0, unhealthyIntervalMs: 100 },
      ejection: { baseTimeMs: 2000, maxTimeMs: 30_000 },
      retry: { attempts: 3, budget: { ratio: 0.2 }, backoffMs: { baseMs: 10, maxMs: 200 } },
      pool: { acquireTimeoutMs: 500 },
      hedge: { percentile: 95, minDelayMs: 10 },
    });
  });

  it('infers the rate policy from its fields and maps every window form', () => {
    const trip = (w: string) =>
      ok(`${BASE}manager: {breaker: {window: ${w}, failureRate: 0.5}}\n`).manager.breaker?.trip;
    expect(trip('10s')).toEqual({
      policy: 'rate',
      window: { kind: 'time', sizeMs: 10_000 },
      failureRate: 0.5,
    });
    expect(trip('{kind: time, size: 5s}')).toMatchObject({ window: { kind: 'time', sizeMs: 5000 } });
    expect(trip('{kind: count, size: 100}')).toMatchObject({ window: { kind: 'count', size: 100 } });
  });

  it('leaves out everything the file does not set', () => {
    expect(ok(BASE).manager).toEqual({});
    expect(ok(`${BASE}manager: {breaker: {}, hedge: {}}\n`).manager).toEqual({ hedge: {} });
    expect(ok(`${BASE}manager: {breaker: {openFor: 1s}}\n`).manager).toEqual({
      breaker: { openForMs: 1000 },
    });
  });

  it('fills server, load and fault defaults', () => {
    const s = ok(`${BASE}  tools: {command: [node, s.js]}
  spawned: {command: [node, s.js, "{port}"], url: "http://127.0.0.1:{port}/mcp", env: {N: 1}}
  old: {url: http://127.0.0.1:9000/mcp}
load:
  - {server: weather, tool: echo, rate: 6000/m}
  - {server: weather, tool: echo, rate: 1/s}
faults:
  - {at: 1s, target: "weather[1]", toxic: {type: latency, attributes: {latency: 100ms}}}
`);
    const [weather, tools, spawned, old] = s.servers;
    expect(weather).toMatchObject({
      kind: 'mock',
      replicas: 3,
      proxied: true,
      mock: {
        transport: 'http',
        session: 'stateful',
        response: 'json',
        latency: { p50Ms: 0, p99Ms: 0 },
        errorRate: 0,
      },
    });
    expect(tools).toMatchObject({
      kind: 'command',
      transport: 'stdio',
      proxied: false,
      readyMs: 10_000,
      env: {},
    });
    expect(spawned).toMatchObject({ kind: 'command', transport: 'http', proxied: true, env: { N: '1' } });
    expect(old).toMatchObject({ kind: 'existing', transport: 'http', proxied: true, replicas: 1 });
    expect(s.load.map((l) => [l.name, l.ratePerSec, l.rampMs, l.idempotent, l.timeoutMs])).toEqual([
      ['weather.echo', 100, 0, undefined, undefined],
      ['weather.echo#2', 1, 0, undefined, undefined],
    ]);
    expect(s.faults[0]).toMatchObject({
      index: 0,
      name: 'fault-0',
      atMs: 1000,
      action: {
        kind: 'toxic',
        toxic: {
          type: 'latency',
          stream: 'downstream',
          toxicity: 1,
          attributes: { latency: 100, jitter: 0 },
        },
      },
    });
    expect(s.faults[0]).not.toHaveProperty('forMs');
  });

  it('converts duration-valued toxic attributes to the toxic unit (µs for slicer.delay)', () => {
    const s = ok(`${BASE}faults:
  - {at: 1s, target: weather, toxic: {type: slicer, attributes: {average_size: 10, delay: 2ms}}}
`);
    const a = s.faults[0]?.action;
    expect(a?.kind === 'toxic' && a.toxic.attributes).toEqual({
      average_size: 10,
      size_variation: 0,
      delay: 2000,
    });
  });

  it('keeps invariant params as written', () => {
    const s = ok(`${BASE}faults: [{name: f, at: 1s, target: weather, down: true}]
invariants: [no-lost-calls, {breaker-opens-within: {fault: f, within: 1500ms}}]
`);
    expect(s.invariants).toEqual([
      { name: 'no-lost-calls', params: {} },
      { name: 'breaker-opens-within', params: { fault: 'f', within: '1500ms' } },
    ]);
  });

  it('supports YAML anchors and merge keys', () => {
    const s = ok(`${BASE}  other: {replicas: 2, mock: &m {latency: 5ms}}
  third: {mock: {<<: *m, errorRate: 0.5}}
`);
    expect(s.servers[2]).toMatchObject({ name: 'third', mock: { latency: { p50Ms: 5 }, errorRate: 0.5 } });
  });
});

describe('problems', () => {
  it('points an unknown key at the key and a missing key at the parent map', () => {
    const r = parseScenario(`${BASE}load:\n  - server: weather\n    rate: 1/s\n    tol: echo\n`, 'x.yaml');
    expect(problems(r)).toEqual([
      '6:5 load[0].tool: required: the tool to call',
      '8:5 load[0].tol: unknown key "tol" (did you mean "tool"?)',
    ]);
  });

  it('reports an empty document and a non-map document', () => {
    expect(problems(parseScenario('', 'e.yaml'))).toEqual([
      '1:1 : the file is empty: expected a scenario map',
    ]);
    expect(problems(parseScenario('- a\n- b\n', 'l.yaml'))[0]).toContain('expected a scenario map');
  });

  it('rejects multiple documents with line:column', () => {
    expect(problems(parseScenario(`${BASE}---\nname: two\n`, 'm.yaml'))[0]).toMatch(
      /^5:1 .*multiple documents/,
    );
  });

  it('refuses a file over the size limit', () => {
    const r = parseScenario(`${BASE}# ${'x'.repeat(200)}\n`, 'big.yaml', { maxFileBytes: 100 });
    expect(problems(r)[0]).toContain('over the limit of 100');
  });

  it('reports an unreadable file as a problem, not an exception', async () => {
    const r = await loadScenarioFile('/nonexistent/dir/s.yaml');
    expect(r.ok).toBe(false);
    expect(problems(r)[0]).toContain('ENOENT');
  });

  it('reads a file from disk and keeps its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, BASE);
    const r = await loadScenarioFile(file);
    expect(r.ok && r.scenario.file).toBe(file);
  });

  it('accepts a caller-supplied invariant list and param validator', () => {
    const text = `${BASE}invariants: [custom, {other: {within: 2s}}]\n`;
    expect(problems(parseScenario(text, 'i.yaml'))).toHaveLength(2);
    const r = parseScenario(text, 'i.yaml', {
      knownInvariants: ['custom', 'other'],
      validateInvariantParams: (name, params) => {
        if (name === 'other' && params.within === '2s') throw new RangeError('within must be at most 1s');
      },
    });
    expect(problems(r)).toEqual(['5:23 invariants[1].other: within must be at most 1s']);
  });

  it('warns (without failing) when a fault ends after the run', () => {
    const r = parseScenario(`${BASE}faults: [{at: 8s, for: 5s, target: weather, down: true}]\n`, 'w.yaml');
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.message)).toEqual(['ends at 13s, after the run (10s): clamped to 10s']);
  });

  it('allows overlapping faults of different kinds, or on different endpoints', () => {
    ok(`${BASE}faults:
  - {at: 1s, for: 5s, target: "weather[0]", down: true}
  - {at: 2s, for: 5s, target: "weather[1]", down: true}
  - {at: 2s, for: 5s, target: "weather[0]", toxic: {type: latency, attributes: {latency: 1}}}
  - {at: 2s, for: 5s, target: "weather[0]", toxic: {type: latency, stream: upstream, attributes: {latency: 1}}}
  - {at: 6s, for: 1s, target: "weather[0]", down: true}
`);
  });

  it('rejects a total rate over the cap and a duration over the cap', () => {
    const r = parseScenario(
      BASE.replace('10s', '2h') +
        'load:\n  - {server: weather, tool: a, rate: 3000/s}\n  - {server: weather, tool: b, rate: 3000/s}\n',
      'r.yaml',
    );
    expect(problems(r)).toEqual([
      '2:11 duration: duration 120m exceeds the limit of 60m',
      '6:3 load: total rate 6000/s exceeds the limit of 5000/s over all streams',
    ]);
  });
});
