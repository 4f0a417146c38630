/** The `deploy:` fault: normalised, validated against its server, planned (new versions, time scale). */
import { describe, expect, it } from 'vitest';
import {
  type LoadResult,
  parseScenario,
  planScenario,
  type Scenario,
} from '../../../../src/chaos/scenario/index.js';

const head = (servers: string) => `name: t
duration: 10s
servers:
${servers}
load:
  - {server: weather, tool: add, rate: 10/s}
`;
const MOCK = head('  weather: {replicas: 3, mock: {latency: 2ms}}');

function ok(text: string): Scenario {
  const r = parseScenario(text, 'inline.yaml');
  if (!r.ok) throw new Error(problems(r).join('\n'));
  return r.scenario;
}

function problems(r: LoadResult): string[] {
  return r.ok ? [] : r.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
}

const bad = (text: string) => problems(parseScenario(text, 'inline.yaml'));

describe('deploy fault', () => {
  it('normalises with defaults: maxUnavailable 1, every 1s, drain from the manager', () => {
    const s = ok(`${MOCK}faults:
  - {name: up, at: 1s, target: weather, deploy: {mock: {protocol: modern, latency: 5ms}}}
`);
    expect(s.faults[0]?.action).toEqual({
      kind: 'deploy',
      deploy: {
        maxUnavailable: 1,
        everyMs: 1000,
        mock: { protocol: 'modern', latency: { p50Ms: 5, p99Ms: 5 } },
      },
    });
  });

  it('plans the new version of every slot, merged over the server and scaled', () => {
    const s = ok(`${MOCK}faults:
  - {name: up, at: 2s, target: weather, deploy: {mock: {latency: 8ms}, every: 2s, drain: 1s, replicas: 4}}
  - {name: slow, at: 5s, for: 1s, target: 'weather[3]', toxic: {type: latency, attributes: {latency: 10}}}
`);
    const plan = planScenario(s, { timeScale: 0.5 });
    const up = plan.faults.find((f) => f.name === 'up');
    expect(up?.deploy?.versions).toHaveLength(4);
    const v = up?.deploy?.versions[3];
    expect(v?.kind === 'mock' && v.mock.latency).toEqual({ p50Ms: 4, p99Ms: 4 });
    expect(v?.kind === 'mock' && v.mock.transport).toBe('http');
    expect(up?.action.kind === 'deploy' && up.action.deploy).toMatchObject({ everyMs: 1000, drainMs: 500 });
    expect(up?.detail).toBe('deploy latency=8ms replicas=4');
    // a later fault may target a slot the scale out adds
    expect(plan.faults.find((f) => f.name === 'slow')?.endpoints).toEqual(['weather[3]']);
  });

  it('takes command, env and url on a spawned server, env merged and never printed', () => {
    const s =
      ok(`${head('  weather: {command: [node, s.js, "{port}"], url: "http://127.0.0.1:{port}/mcp", env: {A: "1"}}')}faults:
  - {name: up, at: 1s, target: weather, deploy: {command: [node, s2.js, "{port}"], env: {TOKEN: secret}}}
`);
    const up = planScenario(s).faults[0];
    const v = up?.deploy?.versions[0];
    expect(v?.kind === 'command' && v.command).toEqual(['node', 's2.js', '{port}']);
    expect(v?.kind === 'command' && v.env).toEqual({ A: '1', TOKEN: 'secret' });
    expect(v?.kind === 'command' && v.needsPort).toBe(true);
    expect(up?.detail).toBe('deploy command=node s2.js {port} env=TOKEN');
  });

  it('names every misfit with its place', () => {
    expect(
      bad(`${MOCK}faults:
  - {at: 1s, target: weather, deploy: {command: [x], mock: {transport: stdio}}}
  - {at: 2s, target: 'weather[0]', deploy: {replicas: 2}}
  - {at: 3s, target: weather, deploy: {every: 1s}}
  - {at: 4s, target: weather, deploy: {maxUnavailable: 0, mock: {}}}
  - {at: 5s, target: 'weather[5]', down: true}
`),
    ).toEqual([
      '8:40 faults[0].deploy.command: weather is a mock server: deploy its mock fields, not command',
      '8:61 faults[0].deploy.mock.transport: a deploy cannot change the transport (a new server, not a new version)',
      '9:45 faults[1].deploy.replicas: replicas changes the whole server: target "weather", not "weather[0]"',
      '10:39 faults[2].deploy: the deploy changes nothing: give the new version (mock) or replicas',
      expect.stringMatching(/^11:56 faults\[3\]\.deploy\.maxUnavailable: /),
      '12:22 faults[4].target: replica 5 out of range: weather has replicas 0..2',
    ]);
    expect(
      bad(`${head('  weather: {url: "http://127.0.0.1:9/mcp"}')}faults:
  - {at: 1s, target: weather, deploy: {command: [x]}}
invariants:
  - deploy-completes-within: {fault: fault-0, within: 2s}
  - deploy-halts-within: {fault: nope}
`),
    ).toEqual([
      '8:40 faults[0].deploy.command: weather is an existing server (url only): deploy a url, not command',
      '11:34 invariants[1].deploy-halts-within.fault: unknown fault "nope"',
    ]);
  });

  it('refuses a deploy invariant on a fault that is no deploy', () => {
    expect(
      bad(`${MOCK}faults:
  - {name: down, at: 1s, for: 1s, target: 'weather[0]', down: true}
invariants:
  - deploy-completes-within: {fault: down, within: 2s}
`),
    ).toEqual([
      '10:38 invariants[0].deploy-completes-within.fault: deploy-completes-within judges a deploy: "down" is a down fault',
    ]);
  });
});
