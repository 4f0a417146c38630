import { describe, expect, it } from 'vitest';
import type { PlannedFault } from '../../../../src/chaos/history.js';
import {
  fillCommand,
  fillPlaceholders,
  parseScenario,
  planScenario,
  type Scenario,
} from '../../../../src/chaos/scenario/index.js';

function load(text: string): Scenario {
  const r = parseScenario(text, 'plan.yaml');
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('\n'));
  return r.scenario;
}

const SCENARIO = load(`name: plan
duration: 12s
servers:
  weather:
    replicas: 3
    mock: {latency: 2ms}
    manager: {breaker: {openFor: 3s}}
  spawned:
    replicas: 2
    command: [node, s.js, "--port={port}"]
    env: {ID: "{replica}"}
    url: "http://127.0.0.1:{port}/mcp"
    ready: 5s
  tools: {command: [node, tools.js]}
  old: {replicas: 2, url: "http://127.0.0.1:900{replica}/mcp"}
manager:
  callTimeout: 1s
  breaker: {openFor: 2s, window: 10s, slowCall: {over: 500ms, rate: 0.5}}
  health: {interval: 500ms}
load:
  - {server: weather, tool: echo, rate: 200/s, ramp: 2s, timeout: 800ms}
faults:
  - {name: late, at: 9s, for: 2s, target: "spawned[0]", process: kill}
  - {name: blackhole, at: 3s, for: 4s, target: "weather[50%]", toxic: {type: latency, attributes: {latency: 15, jitter: 0}}}
  - {name: open, at: 8s, target: "old[1]", down: true}
  - {name: clamp, at: 10s, for: 5s, target: "weather[2]", down: true}
invariants:
  - breaker-opens-within: {fault: blackhole, within: 1500ms}
  - no-lost-calls: {slack: 250}
thresholds:
  - p(99) < 250ms
  - availability >= 0.99 over 2s
`);

describe('planScenario', () => {
  const plan = planScenario(SCENARIO);

  it('resolves one endpoint per replica with its spec, placeholders left in', () => {
    expect(plan.endpoints).toEqual({
      'weather[0]': 'weather',
      'weather[1]': 'weather',
      'weather[2]': 'weather',
      'spawned[0]': 'spawned',
      'spawned[1]': 'spawned',
      'tools[0]': 'tools',
      'old[0]': 'old',
      'old[1]': 'old',
    });
    const spawned = plan.servers.find((s) => s.name === 'spawned');
    expect(spawned?.endpoints[1]).toMatchObject({
      id: 'spawned[1]',
      replica: 1,
      kind: 'command',
      transport: 'http',
      command: ['node', 's.js', '--port={port}'],
      env: { ID: '{replica}' },
      url: 'http://127.0.0.1:{port}/mcp',
      readyMs: 5000,
      needsPort: true,
      proxied: true,
    });
    expect(plan.servers.find((s) => s.name === 'tools')?.endpoints[0]).toMatchObject({
      transport: 'stdio',
      proxied: false,
      needsPort: false,
    });
    expect(
      plan.servers.find((s) => s.name === 'old')?.endpoints.map((e) => e.kind === 'existing' && e.url),
    ).toEqual(['http://127.0.0.1:9000/mcp', 'http://127.0.0.1:9001/mcp']);
  });

  it('plans the fault timeline as absolute times per endpoint, in start order', () => {
    const history: PlannedFault[] = plan.faults; // the history's shape
    expect(history.map((f) => [f.name, f.endpoints, f.startT, f.endT, f.kind, f.detail])).toEqual([
      ['blackhole', ['weather[0]', 'weather[1]'], 3000, 7000, 'toxic', 'latency jitter=0 latency=15'],
      ['open', ['old[1]'], 8000, 12_000, 'down', 'down'],
      ['late', ['spawned[0]'], 9000, 11_000, 'process', 'kill'],
      ['clamp', ['weather[2]'], 10_000, 12_000, 'down', 'down'],
    ]);
    expect(plan.faults.map((f) => [f.index, f.open, f.clamped])).toEqual([
      [1, false, false],
      [2, true, false],
      [0, false, false],
      [3, false, true],
    ]);
  });

  it('merges manager-wide settings with per-server overrides', () => {
    const weather = plan.servers.find((s) => s.name === 'weather');
    expect(weather?.overrides).toEqual({ breaker: { openForMs: 3000 } });
    expect(weather?.settings.breaker).toEqual({
      trip: {
        policy: 'rate',
        window: { kind: 'time', sizeMs: 10_000 },
        slowCall: { overMs: 500, rate: 0.5 },
      },
      openForMs: 3000,
    });
    expect(plan.servers.find((s) => s.name === 'tools')?.settings).toEqual(plan.settings);
  });

  it('computes the fault and recovery windows with the longest openFor', () => {
    expect(plan.recoveryOpenForMs).toBe(3000);
    expect(plan.windows).toEqual({
      faults: { startT: 3000, endT: 12_000 },
      recovery: { startT: 12_000, endT: 12_000 },
    });
  });

  it('scales every duration by the time scale (but not ready)', () => {
    const p = planScenario(SCENARIO, { timeScale: 0.1 });
    expect(p.durationMs).toBe(1200);
    expect(p.faults[0]).toMatchObject({ startT: 300, endT: 700 });
    const toxic = p.faults[0]?.action;
    // 15 ms → 1.5 → rounded to 2 ms; 0 stays 0.
    expect(toxic?.kind === 'toxic' && toxic.toxic.attributes).toEqual({ latency: 2, jitter: 0 });
    expect(p.settings).toMatchObject({
      callTimeoutMs: 100,
      breaker: { openForMs: 200, trip: { window: { sizeMs: 1000 }, slowCall: { overMs: 50, rate: 0.5 } } },
      health: { intervalMs: 50 },
    });
    expect(p.load[0]).toMatchObject({ ratePerSec: 200, rampMs: 200, timeoutMs: 80 });
    expect(p.thresholds.map((t) => [t.value, t.window])).toEqual([
      [25, { kind: 'whole' }],
      [0.99, { kind: 'over', ms: 200 }],
    ]);
    expect(p.invariants).toEqual([
      { name: 'breaker-opens-within', params: { fault: 'blackhole', within: '150ms' } },
      { name: 'no-lost-calls', params: { slack: 25 } },
    ]);
    const weather = p.servers.find((s) => s.name === 'weather');
    expect(weather?.endpoints[0]?.kind === 'mock' && weather.endpoints[0].mock.latency).toEqual({
      p50Ms: 0.2,
      p99Ms: 0.2,
    });
    const spawned = p.servers.find((s) => s.name === 'spawned')?.endpoints[0];
    expect(spawned?.kind === 'command' && spawned.readyMs).toBe(5000);
    expect(p.recoveryOpenForMs).toBe(300);
    // The plan never aliases the scenario.
    expect(SCENARIO.durationMs).toBe(12_000);
  });

  it('never rounds a non-zero toxic time to 0 (0 means "forever" for timeout)', () => {
    const s = load(`name: z
duration: 10s
servers: {a: {mock: {}}}
faults: [{at: 1s, target: a, toxic: {type: timeout, attributes: {timeout: 3}}}]
`);
    const a = planScenario(s, { timeScale: 0.01 }).faults[0]?.action;
    expect(a?.kind === 'toxic' && a.toxic.attributes.timeout).toBe(1);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects time scale %s with a RangeError', (f) => {
    expect(() => planScenario(SCENARIO, { timeScale: f })).toThrow(RangeError);
  });

  it('starts a restart without `for` again at once', () => {
    const s = load(`name: r
duration: 10s
servers: {a: {command: [node, a.js]}}
faults: [{at: 2s, target: a, process: restart}, {at: 5s, target: a, process: pause}]
`);
    expect(planScenario(s).faults.map((f) => [f.startT, f.endT])).toEqual([
      [2000, 2000],
      [5000, 10_000],
    ]);
  });
});

describe('placeholders', () => {
  it('fills {port} and {replica} everywhere, leaving other braces alone', () => {
    expect(
      fillPlaceholders('http://127.0.0.1:{port}/mcp?r={replica}&x={y}', { port: 4100, replica: 2 }),
    ).toBe('http://127.0.0.1:4100/mcp?r=2&x={y}');
    expect(
      fillCommand(
        { command: ['node', '--port={port}', '{port}'], env: { A: '{replica}' }, url: 'http://h:{port}/' },
        { port: 1, replica: 0 },
      ),
    ).toEqual({ command: ['node', '--port=1', '1'], env: { A: '0' }, url: 'http://h:1/' });
  });

  it('throws a RangeError when {port} is used but no port is given', () => {
    expect(() => fillPlaceholders('--port={port}', { replica: 0 })).toThrow(RangeError);
    expect(fillPlaceholders('r{replica}', { replica: 3 })).toBe('r3');
  });
});

describe('spawned servers run in the scenario file folder', () => {
  const text = (cwd: string) => `name: cwd
duration: 1s
servers:
  local:
    command: [node, ./server.js, "{port}"]
    url: "http://127.0.0.1:{port}/mcp"
${cwd}
load:
  - {server: local, tool: echo, rate: 1/s}
`;
  const planned = (yaml: string) => {
    const r = parseScenario(yaml, '/srv/fleet/scenarios/cwd.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const ep = planScenario(r.scenario).servers[0]?.endpoints[0];
    return ep?.kind === 'command' ? ep.cwd : undefined;
  };

  it('by default, so relative paths in command mean the same from any folder', () => {
    expect(planned(text(''))).toBe('/srv/fleet/scenarios');
  });

  it('a relative cwd resolves against that folder; an absolute one stands', () => {
    expect(planned(text('    cwd: ../servers'))).toBe('/srv/fleet/servers');
    expect(planned(text('    cwd: /opt/mcp'))).toBe('/opt/mcp');
  });
});
