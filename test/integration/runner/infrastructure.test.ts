/**
 * Runs that break for infrastructure reasons end `infrastructure-error` (exit 3) and are still rolled
 * back; a rollback that cannot finish ends `rollback-failed` (exit 4); an existing server is proxied but
 * never stopped; progress is reported while load runs.
 */

import { Toxiproxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import {
  type Journal,
  parseScenario,
  type RunProgress,
  runScenario,
  type Scenario,
} from '../../../src/chaos/index.js';
import { startMockServer } from '../../../src/mock/index.js';
import { startToxiproxy } from '../../../src/proxy/index.js';
import { isAlive } from './cli-helpers.js';

function scenario(yaml: string): Scenario {
  const r = parseScenario(yaml, 'inline.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.scenario;
}

const embedded = { startToxiproxy: ({ seed }: { seed: number }) => startToxiproxy({ port: 0, seed }) };

const twoMocks = (extra: string) =>
  scenario(`
name: infra
seed: 3
duration: 2s
servers:
  weather:
    replicas: 2
    mock: {latency: 1ms}
load:
  - {server: weather, tool: echo, args: {message: x}, rate: 20/s}
${extra}
`);

describe.sequential('runner: infrastructure errors and rollback', () => {
  it('an unreachable Toxiproxy is an infrastructure error (exit 3), and what started is stopped', async () => {
    const j = await runScenario(twoMocks(''), { toxiproxyUrl: 'http://127.0.0.1:1' });
    expect(j.verdict).toBe('infrastructure-error');
    expect(j.exitCode).toBe(3);
    expect(j.errors.join('\n')).toMatch(/Toxiproxy at http:\/\/127\.0\.0\.1:1 is unreachable/);
    expect(j.rollback.ok).toBe(true);
    expect(j.rollback.actions).toEqual(
      expect.arrayContaining(['stop mock weather[0]', 'stop mock weather[1]']),
    );
    expect(j.invariants).toEqual([]);
  });

  it('a command server that never answers is an infrastructure error; its process is stopped', {
    timeout: 30_000,
  }, async () => {
    const logs: string[] = [];
    const s = scenario(`
name: never-ready
duration: 1s
servers:
  stuck:
    command: [node, -e, "setInterval(() => {}, 1000)", "{port}"]
    url: "http://127.0.0.1:{port}/mcp"
    ready: 800ms
load:
  - {server: stuck, tool: echo, rate: 10/s}
`);
    const j = await runScenario(s, {
      ...embedded,
      log: (e) => logs.push(`${e.msg} ${JSON.stringify(e.fields ?? {})}`),
    });
    expect(j.exitCode).toBe(3);
    expect(j.errors.join('\n')).toMatch(/stuck\[0\] not ready within 800ms/);
    const pid = Number(/process started \{"endpoint":"stuck\[0\]","pid":(\d+)/.exec(logs.join('\n'))?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(j.rollback.actions).toContain(`stop process stuck[0] (pid ${pid})`);
  });

  it('a command server that dies before ready: the error has its command and its own error line', {
    timeout: 30_000,
  }, async () => {
    const s = scenario(`
name: dies-at-start
duration: 1s
servers:
  broken:
    command: [node, /nonexistent/dir/missing-server.js, "{port}"]
    url: "http://127.0.0.1:{port}/mcp"
    ready: 10s
load:
  - {server: broken, tool: echo, rate: 10/s}
`);
    const j = await runScenario(s, embedded);
    expect(j.exitCode).toBe(3);
    const text = j.errors.join('\n');
    expect(text).toMatch(
      /process exited \(code 1, signal null\): node \/nonexistent\/dir\/missing-server\.js \d+/,
    );
    expect(text).toMatch(/Error: Cannot find module '\/nonexistent\/dir\/missing-server\.js'/);
  });

  it('a stdio server that cannot start is an infrastructure error before the steady state, in its own words', {
    timeout: 30_000,
  }, async () => {
    const s = scenario(`
name: stdio-dies-at-start
duration: 5s
servers:
  local:
    command: [node, /nonexistent/dir/missing-stdio.js]
load:
  - {server: local, tool: echo, rate: 10/s}
`);
    const t0 = Date.now();
    const j = await runScenario(s, embedded);
    expect(j.exitCode).toBe(3);
    const text = j.errors.join('\n');
    expect(text).toMatch(
      /local\[0\]: the stdio server did not start: node \/nonexistent\/dir\/missing-stdio\.js/,
    );
    expect(text).toMatch(/Cannot find module '\/nonexistent\/dir\/missing-stdio\.js'/);
    expect(j.summary.calls).toBe(0); // no load was driven at a server that never started
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('a command that cannot be spawned is an infrastructure error', async () => {
    const s = scenario(`
name: no-such-program
duration: 1s
servers:
  ghost:
    command: [/nonexistent/mcp-server-xyz, "{port}"]
    url: "http://127.0.0.1:{port}/mcp"
load:
  - {server: ghost, tool: echo, rate: 10/s}
`);
    const j = await runScenario(s, embedded);
    expect(j.exitCode).toBe(3);
    expect(j.errors.join('\n')).toMatch(/cannot start ghost\[0\]/);
  });

  it('an abort signal stops the run early; rollback still removes the fault', {
    timeout: 30_000,
  }, async () => {
    const proxy = await startToxiproxy({ port: 0, seed: 1 });
    try {
      const ac = new AbortController();
      const progress: RunProgress[] = [];
      const run = runScenario(
        twoMocks(
          'faults:\n  - {name: slow, at: 100ms, target: "weather[0]", toxic: {type: latency, attributes: {latency: 100ms}}}',
        ),
        {
          toxiproxyUrl: proxy.url,
          progressIntervalMs: 100,
          onProgress: (p) => {
            progress.push(p);
            if (p.elapsedMs > 500) ac.abort(new Error('test abort'));
          },
          signal: ac.signal,
        },
      );
      const j = await run;
      expect(j.verdict).toBe('interrupted');
      expect(j.exitCode).toBe(130);
      expect(j.errors[0]).toMatch(/^aborted: test abort/);
      expect(j.rollback.ok).toBe(true);
      expect(j.rollback.actions).toContain('remove fault slow (latency) from weather[0]');
      expect(Object.keys(await new Toxiproxy(proxy.url).getAll())).toEqual([]);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)?.calls).toBeGreaterThan(0);
      expect(progress.at(-1)?.scenario).toBe('infra');
    } finally {
      await proxy.close();
    }
  });

  it('a rollback that cannot reach Toxiproxy is rollback-failed (exit 4)', { timeout: 30_000 }, async () => {
    const proxy = await startToxiproxy({ port: 0, seed: 2 });
    let closed = false;
    const j: Journal = await runScenario(
      twoMocks(
        'faults:\n  - {name: slow, at: 100ms, target: "weather[1]", toxic: {type: latency, attributes: {latency: 20ms}}}',
      ),
      {
        toxiproxyUrl: proxy.url,
        progressIntervalMs: 100,
        onProgress: (p) => {
          if (p.elapsedMs > 1000 && !closed) {
            closed = true;
            void proxy.close();
          }
        },
      },
    );
    expect(closed).toBe(true);
    expect(j.verdict).toBe('rollback-failed');
    expect(j.exitCode).toBe(4);
    expect(j.rollback.ok).toBe(false);
    expect(j.rollback.errors.join('\n')).toMatch(/remove fault slow \(latency\) from weather\[1\]/);
    // Everything not tied to the proxy was still undone.
    expect(j.rollback.actions).toEqual(
      expect.arrayContaining(['close manager', 'stop mock weather[0]', 'stop mock weather[1]']),
    );
  });

  it('an existing server is proxied but never stopped', { timeout: 30_000 }, async () => {
    const mock = await startMockServer({ port: 0, latency: { fixedMs: 1 } });
    try {
      const s = scenario(`
name: existing-server
seed: 4
duration: 1500ms
servers:
  outside:
    url: ${mock.url}
load:
  - {server: outside, tool: echo, args: {message: x}, rate: 20/s}
faults:
  - {name: slow, at: 200ms, for: 500ms, target: "outside[0]", toxic: {type: latency, attributes: {latency: 30ms}}}
thresholds:
  - availability >= 0.95
`);
      const j = await runScenario(s, embedded);
      expect(j.verdict).toBe('passed');
      expect(j.rollback.actions.some((a) => a.startsWith('delete proxy mcpchaos-'))).toBe(true);
      expect(j.rollback.actions.some((a) => a.includes('outside[0]') && a.startsWith('stop'))).toBe(false);
      const before = mock.stats().calls;
      expect(before).toBeGreaterThan(10);
      // Still serving after the run.
      const res = await fetch(mock.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 't', version: '0' },
          },
        }),
      });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    } finally {
      await mock.close();
    }
  });
});
