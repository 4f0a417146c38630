import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isChaosError } from '../../../../src/core/errors.js';
import {
  type ConfigProblem,
  loadManagerConfig,
  parseManagerConfig,
} from '../../../../src/manager/config/index.js';
import { resolveSettings } from '../../../../src/manager/settings/index.js';

function problemsOf(fn: () => unknown): ConfigProblem[] {
  try {
    fn();
  } catch (e) {
    if (isChaosError(e, 'INVALID_CONFIG')) return e.details.problems as ConfigProblem[];
    throw e;
  }
  throw new Error('expected INVALID_CONFIG');
}

const VALID = `clientName: my-app
settings:
  callTimeout: 2s
  breaker: {failures: 3, openFor: 1500ms, halfOpenTrials: 2}
  health: {probe: list-tools, interval: 1s, timeout: 200}
  retry: {attempts: 2, budget: {ratio: 0.1, minPerSecond: 5}, backoff: {base: 5ms, max: 50ms}}
  hedge: {percentile: 90, minDelay: 20ms}
  pool: {maxInFlight: 8, queue: 16, acquireTimeout: 100ms, maxSockets: 4}
servers:
  weather:
    tags: [prod]
    endpoints:
      - http://127.0.0.1:7001/mcp
      - {url: http://127.0.0.1:7002/mcp, weight: 2, id: w-b}
  files:
    settings:
      breaker: {policy: rate, window: 5s, minCalls: 10, failureRate: 0.25, slowCall: {over: 300ms, rate: 0.5}}
      balancer: round-robin
    endpoints:
      - command: [node, server.js, --stdio]
        env: {A: "1"}
`;

describe('loadManagerConfig', () => {
  it('turns the friendly YAML form into ManagerOptions with durations in ms', () => {
    const c = parseManagerConfig(VALID);
    expect(c.clientName).toBe('my-app');
    expect(c.settings).toEqual({
      callTimeoutMs: 2000,
      breaker: { trip: { policy: 'consecutive', failures: 3 }, openForMs: 1500, halfOpenTrials: 2 },
      health: { probe: 'list-tools', intervalMs: 1000, timeoutMs: 200 },
      retry: { attempts: 2, budget: { ratio: 0.1, minPerSecond: 5 }, backoffMs: { baseMs: 5, maxMs: 50 } },
      hedge: { percentile: 90, minDelayMs: 20 },
      pool: { maxInFlight: 8, queue: 16, acquireTimeoutMs: 100, maxSockets: 4 },
    });
    expect(c.servers.map((s) => s.name)).toEqual(['weather', 'files']);
    expect(c.servers[0]?.tags).toEqual(['prod']);
    expect(c.servers[0]?.endpoints).toEqual([
      { url: 'http://127.0.0.1:7001/mcp' },
      { url: 'http://127.0.0.1:7002/mcp', weight: 2, id: 'w-b' },
    ]);
    expect(c.servers[1]?.endpoints[0]).toEqual({
      command: ['node', 'server.js', '--stdio'],
      env: { A: '1' },
    });
    const files = resolveSettings(c.settings, c.servers[1]?.settings);
    expect(files.breaker.trip).toEqual({
      policy: 'rate',
      window: { kind: 'time', sizeMs: 5000 },
      minCalls: 10,
      failureRate: 0.25,
      slowCall: { overMs: 300, rate: 0.5 },
    });
    expect(files.breaker.openForMs).toBe(1500);
    expect(files.balancer).toBe('round-robin');
  });

  it('accepts JSON, the list form of servers and the *Ms key spelling', () => {
    const c = parseManagerConfig(
      JSON.stringify({
        servers: [{ name: 'a', endpoints: [{ url: 'http://127.0.0.1:1/mcp', transport: 'sse' }] }],
        settings: { callTimeoutMs: 750, breaker: { openForMs: '3s' } },
      }),
    );
    expect(c.servers[0]).toEqual({
      name: 'a',
      endpoints: [{ url: 'http://127.0.0.1:1/mcp', transport: 'sse' }],
    });
    expect(c.settings).toEqual({ callTimeoutMs: 750, breaker: { openForMs: 3000 } });
  });

  it('reads a file by path, choosing the format from the extension', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgr-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'm.yaml');
    writeFileSync(file, VALID);
    expect(loadManagerConfig(file).servers).toHaveLength(2);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"servers": [}');
    const p = problemsOf(() => loadManagerConfig(bad));
    expect(p[0]?.message).toMatch(/invalid JSON/);
  });

  it('a config file that does not exist is "file not found", not a parse error of its name', () => {
    const p = problemsOf(() => loadManagerConfig('/nonexistent/dir/fleet.yaml'));
    expect(p).toEqual([{ path: '', message: 'file not found: /nonexistent/dir/fleet.yaml' }]);
  });

  it('a misspelt key gets a did-you-mean, at any depth', () => {
    const text = `settings:
  breaker: {halfOpenTrails: 2}
  helth: {probe: ping}
servers:
  weather:
    endpoints:
      - {url: http://127.0.0.1:2/mcp, wieght: 2}
`;
    const messages = problemsOf(() => parseManagerConfig(text)).map((x) => `${x.path}: ${x.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'settings.breaker.halfOpenTrails: unknown key "halfOpenTrails" (did you mean "halfOpenTrials"?)',
        'settings.helth: unknown key "helth" (did you mean "health"?)',
        'servers.weather.endpoints[0].wieght: unknown key "wieght" (did you mean "weight"?)',
      ]),
    );
  });

  it('reports every schema problem with its path and line:column', () => {
    const text = `settings:
  callTimeout: 2 seconds
  breaker: {failures: 0, bogus: 1}
servers:
  weather:
    endpoints:
      - ftp://127.0.0.1/mcp
      - {url: http://127.0.0.1:2/mcp, command: [node]}
  stdio:
    endpoints:
      - {url: http://127.0.0.1:3/mcp, transport: stdio}
`;
    const p = problemsOf(() => parseManagerConfig(text));
    const byPath = Object.fromEntries(p.map((x) => [x.path, x]));
    expect(byPath['settings.callTimeout']).toMatchObject({ line: 2, col: 16 });
    expect(byPath['settings.callTimeout']?.message).toMatch(/invalid duration "2 seconds"/);
    expect(byPath['settings.breaker.failures']).toMatchObject({ line: 3, col: 23 });
    expect(byPath['settings.breaker.bogus']).toMatchObject({
      line: 3,
      col: 26,
      message: 'unknown key "bogus"',
    });
    expect(byPath['servers.weather.endpoints[0].url']?.message).toMatch(/must be http/);
    expect(byPath['servers.weather.endpoints[0].url']?.line).toBe(7);
    expect(byPath['servers.weather.endpoints[1]']?.message).toMatch(/exactly one of url or command/);
    expect(byPath['servers.weather.endpoints[1]']?.line).toBe(8);
    expect(byPath['servers.stdio.endpoints[0].transport']).toMatchObject({ line: 11 });
    expect(p).toHaveLength(6);
  });

  it('rejects duplicate endpoint ids and mixed breaker policies', () => {
    const p = problemsOf(() =>
      parseManagerConfig(`servers:
  - name: a
    endpoints: [http://127.0.0.1:1/mcp]
    settings: {breaker: {policy: consecutive, failureRate: 0.5}}
  - name: b
    endpoints: [{url: http://127.0.0.1:2/mcp, id: "a[0]"}]
`),
    );
    expect(p.map((x) => x.path).sort()).toEqual([
      'servers[0].settings.breaker.failureRate',
      'servers[1].endpoints[0]',
    ]);
    expect(p.find((x) => x.path === 'servers[0].settings.breaker.failureRate')?.message).toBe(
      'failureRate belongs to policy: rate',
    );
    expect(p.find((x) => x.path === 'servers[1].endpoints[0]')?.message).toMatch(
      /duplicate endpoint id "a\[0\]"/,
    );
  });

  it('checks the effective settings and points at the layer that set the bad value', () => {
    const p = problemsOf(() =>
      parseManagerConfig(`settings:
  breaker: {openFor: 2s, backoff: {multiplier: 2, max: 1s}}
servers:
  a:
    endpoints: [http://127.0.0.1:1/mcp]
    settings:
      ejection: {baseTime: 5s, maxTime: 1s}
      health: {interval: 0}
`),
    );
    expect(p).toContainEqual({
      path: 'settings.breaker.backoff.max',
      message: 'must be >= breaker.openForMs (2000), got 1000',
      line: 2,
      col: 56,
    });
    expect(p.find((x) => x.path === 'servers.a.settings.ejection.maxTime')?.line).toBe(7);
    expect(p.find((x) => x.path === 'servers.a.settings.health.interval')?.message).toMatch(/must be > 0/);
  });

  it('reports YAML syntax errors with their position', () => {
    const p = problemsOf(() => parseManagerConfig('servers:\n  a: {endpoints: [\n'));
    expect(p[0]?.line).toBeGreaterThan(0);
  });

  it('requires at least one server', () => {
    expect(problemsOf(() => parseManagerConfig('servers: {}\n'))[0]?.path).toBe('servers');
    expect(problemsOf(() => parseManagerConfig('settings: {}\n'))[0]?.path).toBe('servers');
  });
});
