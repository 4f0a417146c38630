import { describe, expect, it } from 'vitest';
import { hashString } from '../../../src/core/rng.js';
import { resolveBehaviour, resolveMockServerSpec } from '../../../src/mock/index.js';

describe('resolveMockServerSpec', () => {
  it('fills in the documented defaults', () => {
    expect(resolveMockServerSpec({})).toEqual({
      transport: 'http',
      protocol: 'legacy',
      session: 'stateful',
      response: 'sse',
      host: '127.0.0.1',
      port: 0,
      path: '/mcp',
      seed: hashString('mock'),
      name: 'mock',
      maxSessions: 1000,
      errorRate: 0,
      hang: false,
      answerPing: true,
    });
  });

  it('keeps given values', () => {
    const s = resolveMockServerSpec({
      transport: 'stdio',
      session: 'stateless',
      response: 'json',
      port: 8080,
      latency: { p50Ms: 5, p99Ms: 50 },
      errorRate: 0.25,
      hang: true,
      crashAfterCalls: 3,
      answerPing: false,
      seed: 7,
      name: 'a',
      maxSessions: 2,
    });
    expect(s).toMatchObject({
      transport: 'stdio',
      session: 'stateless',
      response: 'json',
      port: 8080,
      seed: 7,
    });
    expect(s.latency).toEqual({ p50Ms: 5, p99Ms: 50 });
    expect(s.crashAfterCalls).toBe(3);
  });

  it.each([
    [{ transport: 'ws' }, '"ws"'],
    [{ session: 'both' }, '"both"'],
    [{ response: 'xml' }, '"xml"'],
    [{ port: 70000 }, '70000'],
    [{ port: 1.5 }, '1.5'],
    [{ path: 'mcp' }, '"mcp"'],
    [{ errorRate: 1.5 }, '1.5'],
    [{ errorRate: -0.1 }, '-0.1'],
    [{ crashAfterCalls: -1 }, '-1'],
    [{ latency: { fixedMs: -5 } }, '-5'],
    [{ latency: { p50Ms: 10, p99Ms: 5 } }, '5'],
    [{ latency: { p50Ms: 0, p99Ms: 5 } }, '0'],
    [{ latency: { median: 3 } }, 'median'],
    [{ maxSessions: 0 }, '0'],
    [{ seed: 'x' }, '"x"'],
    [{ hang: 'yes' }, '"yes"'],
  ])('rejects %j with a RangeError quoting the value', (spec, quoted) => {
    expect(() => resolveMockServerSpec(spec as never)).toThrow(RangeError);
    expect(() => resolveMockServerSpec(spec as never)).toThrow(quoted);
  });
});

describe('resolveBehaviour', () => {
  const base = { errorRate: 0, hang: false, answerPing: true };
  it('merges a partial update and removes with null', () => {
    const a = resolveBehaviour({ latency: { fixedMs: 5 }, crashAfterCalls: 2 }, base);
    expect(a).toEqual({ ...base, latency: { fixedMs: 5 }, crashAfterCalls: 2 });
    const b = resolveBehaviour({ latency: null, crashAfterCalls: null, hang: true } as never, a);
    expect(b).toEqual({ ...base, hang: true });
  });
  it('rejects bad values without changing anything', () => {
    expect(() => resolveBehaviour({ errorRate: 2 }, base)).toThrow('2');
  });
});
