/**
 * The `run` command end to end, as separate processes: invalid input (exit 2, nothing started), a failing
 * scenario (exit 1 and the replay line), a run against an external Toxiproxy from TOXIPROXY_URL, and
 * Ctrl-C in the middle of a long fault (rollback leaves no proxy, toxic or child process behind).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/chaos/index.js';
import { failures } from '../../scenarios/journal-text.js';
import { CLI, isAlive, spawnCommand, spawnNode, startExternalProxy } from './cli-helpers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mcp-chaos-cli-run-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function journalsIn(dir: string): Journal[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, 'journal.json'), 'utf8')) as Journal);
}

describe.sequential('mcp-chaos run (spawned)', () => {
  it('invalid input: prints file:line:column problems, exits 2 and starts nothing', {
    timeout: 30_000,
  }, async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nduration: 2s\nservers:\n  w:\n    mock: {latencyy: 2ms}\n');
    const reports = join(tmp, 'reports-invalid');
    const p = spawnNode([
      ...CLI,
      'run',
      'scenarios/degraded-network-stays-correct.yaml',
      bad,
      '--report-dir',
      reports,
    ]);
    const code = await p.exited;
    expect(code).toBe(2);
    expect(p.stderr()).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: `));
    expect(p.stderr()).toMatch(/nothing was run/);
    expect(existsSync(reports)).toBe(false);
  });

  it('a failing scenario exits 1 and prints the replay command with its seed', {
    timeout: 60_000,
  }, async () => {
    const reports = join(tmp, 'reports-failing');
    const file = 'test/fixtures/scenarios/failing/impossible-threshold.yaml';
    const p = spawnCommand('npx', [
      'tsx',
      'src/cli/main.ts',
      'run',
      file,
      '--report-dir',
      reports,
      '--no-progress',
    ]);
    const code = await p.exited;
    expect(code, p.stderr()).toBe(1);
    expect(p.stdout()).toContain(`npx mcp-chaos run ${file} --seed 14`);
    // ...and the printed command works as printed after `npm install` (which builds dist/: `prepare`)
    const replay = spawnCommand('npx', [
      '--no-install',
      'mcp-chaos',
      'run',
      file,
      '--seed',
      '14',
      '--report-dir',
      join(tmp, 'reports-replay'),
      '--no-progress',
    ]);
    expect(await replay.exited, replay.stderr()).toBe(1);
    expect(replay.stdout()).toMatch(/fail-impossible-threshold\s+deviated\s+1/);
    expect(p.stdout()).toMatch(/fail-impossible-threshold\s+deviated\s+1/);
    // why it failed, in the terminal (not only in summary.md): the check that did not hold, its measure
    expect(p.stderr()).toMatch(
      /FAIL fail-impossible-threshold .*\n {2}✗ p\(99\) < 1ms: .*did not hold: p\(99\) /,
    );
    expect(p.stdout()).toMatch(
      /fail-impossible-threshold: deviated\n {2}✗ p\(99\) < 1ms: .*\n {2}replay with:/,
    );
    const [journal] = journalsIn(reports);
    expect(journal?.verdict).toBe('deviated');
    expect(existsSync(join(reports, 'index.html'))).toBe(true);
    expect(existsSync(join(reports, 'junit.xml'))).toBe(true);
  });

  it('runs against an external Toxiproxy given by TOXIPROXY_URL and leaves it clean', {
    timeout: 60_000,
  }, async () => {
    const proxy = await startExternalProxy();
    try {
      const file = join(tmp, 'external.yaml');
      writeFileSync(
        file,
        [
          'name: external-toxiproxy',
          'seed: 6',
          'duration: 3s',
          'servers:',
          '  weather:',
          '    replicas: 2',
          '    mock: {latency: 1ms}',
          'load:',
          '  - {server: weather, tool: echo, args: {message: x}, rate: 30/s, idempotent: true}',
          'faults:',
          '  - {name: slow-0, at: 500ms, for: 1s, target: "weather[0]", toxic: {type: latency, attributes: {latency: 50ms}}}',
          '  - {name: down-1, at: 1500ms, for: 1s, target: "weather[1]", down: true}',
          'invariants:',
          '  - no-lost-calls: {slack: 1s}',
          '  - breaker-rejects-while-open',
          'thresholds:',
          '  - availability >= 0.9',
          '',
        ].join('\n'),
      );
      const reports = join(tmp, 'reports-external');
      const p = spawnNode([...CLI, 'run', file, '--report-dir', reports, '--no-progress'], {
        TOXIPROXY_URL: proxy.url,
      });
      const code = await p.exited;
      const [journal] = journalsIn(reports);
      expect(code, journal ? failures(journal) : `${p.stdout()}\n${p.stderr()}`).toBe(0);
      expect(journal?.faults.map((f) => f.detail)).toEqual(['latency jitter=0 latency=50', 'down']);
      expect(journal?.toxiproxyUrl).toBe(proxy.url);
      expect(journal?.versions.toxiproxy).toBe('2.12.0');
      expect(journal?.rollback.actions.some((a) => a.startsWith('delete proxy mcpchaos-'))).toBe(true);
      expect(Object.keys(await new Toxiproxy(proxy.url).getAll())).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('Ctrl-C mid-fault rolls back: no proxy, toxic or child process of the run survives', {
    timeout: 60_000,
  }, async () => {
    const proxy = await startExternalProxy();
    try {
      const file = join(tmp, 'long-fault.yaml');
      writeFileSync(
        file,
        [
          'name: interrupted-long-fault',
          'seed: 5',
          'duration: 60s',
          'servers:',
          '  weather:',
          '    replicas: 2',
          '    mock: {latency: 1ms}',
          'load:',
          '  - {server: weather, tool: echo, args: {message: x}, rate: 20/s, idempotent: true}',
          'faults:',
          '  - {name: slow-1, at: 100ms, for: 50s, target: "weather[1]", toxic: {type: latency, attributes: {latency: 300ms}}}',
          '  - {name: pause-0, at: 200ms, for: 50s, target: "weather[0]", process: pause}',
          '',
        ].join('\n'),
      );
      const reports = join(tmp, 'reports-sigint');
      const p = spawnNode([...CLI, 'run', file, '--report-dir', reports, '--no-progress', '--verbose'], {
        TOXIPROXY_URL: proxy.url,
      });
      const started = await p.waitFor(/process started \{"endpoint":"weather\[0\]","pid":(\d+)/, 30_000);
      const pid = Number(started[1]);
      expect(isAlive(pid)).toBe(true);
      await p.waitFor(/toxic latency added/, 30_000);
      await p.waitFor(/process pause/, 30_000);
      const api = new Toxiproxy(proxy.url);
      const during = await api.getAll();
      const names = Object.keys(during);
      expect(names.length).toBe(2);
      expect(names.every((n) => n.startsWith('mcpchaos-'))).toBe(true);
      p.child.kill('SIGINT');
      const code = await p.exited;
      expect(code, `${p.stdout()}\n${p.stderr()}`).toBe(130);
      expect(p.stderr()).toMatch(/SIGINT: stopping; rolling back/);
      // Nothing of the run is left on the proxy, and its child process is gone.
      expect(Object.keys(await api.getAll())).toEqual([]);
      expect(isAlive(pid)).toBe(false);
      const [journal] = journalsIn(reports);
      // interrupted everywhere: the journal, the terminal's line and table, no failing checks or replay hint
      expect(journal?.verdict).toBe('interrupted');
      expect(journal?.exitCode).toBe(130);
      expect(p.stderr()).toMatch(/STOP interrupted-long-fault \(interrupted, seed 5\)/);
      expect(p.stdout()).toMatch(/interrupted-long-fault\s+interrupted\s+130/);
      expect(p.stdout()).not.toMatch(/replay with/);
      expect(journal?.rollback.ok).toBe(true);
      expect(journal?.errors.some((e) => /^aborted: interrupted by SIGINT/.test(e))).toBe(true);
      expect(journal?.rollback.actions).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^remove fault slow-1 \(latency\) from weather\[1\]$/),
          expect.stringMatching(/^remove fault pause-0 \(pause\) from weather\[0\]$/),
          expect.stringMatching(/^stop process weather\[0\]/),
        ]),
      );
    } finally {
      await proxy.stop();
    }
  });
});
