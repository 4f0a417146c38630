/**
 * Exploration end to end, with the real runner, proxy, mocks and manager (compressed time):
 * (a) a small exploration against the correct exploration manager finds nothing;
 * (b) `mcp-chaos explore --break` finds a violation, writes a minimal counterexample scenario, and running
 *     that file with the printed replay command reproduces the violation (exit 1).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explore, type Journal, loadScenarioFile, resolveExploreConfig } from '../../../src/chaos/index.js';
import { startToxiproxy } from '../../../src/proxy/index.js';
import { FC_SEED } from '../../helpers/seed.js';

const seed = FC_SEED;

interface Done {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI (no shell), killing it after `timeoutMs`. */
function cli(args: string[], timeoutMs: number): Promise<Done> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.TOXIPROXY_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcp-chaos ${args.join(' ')} took over ${timeoutMs}ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr });
    });
  });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mcp-chaos-explore-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.sequential('explore (real runner)', () => {
  it('(a) finds no violation against the correct exploration manager', { timeout: 60_000 }, async () => {
    const r = resolveExploreConfig();
    if (!r.ok) throw new Error(r.problems.join('\n'));
    const verdicts: string[] = [];
    const result = await explore({
      config: r.config,
      seed,
      runs: 2,
      timeScale: 0.5,
      // A violation here must fail fast with its verdicts, not spend the test's time shrinking.
      maxShrinkRuns: 0,
      runOptions: {
        startToxiproxy: ({ seed: s }) => startToxiproxy({ host: '127.0.0.1', port: 0, seed: s }),
      },
      onRun: (x) => verdicts.push(`${x.journal?.verdict}: ${x.result.kind} ${JSON.stringify(x.schedule)}`),
    });
    expect(result.infrastructureErrors, verdicts.join('\n')).toEqual([]);
    expect(result.counterexample?.violated, `seed ${seed}\n${verdicts.join('\n')}`).toBeUndefined();
    expect(result.outcome).toBe('passed');
    expect(result.searchRuns + result.cacheHits).toBe(2);
    expect(result.searchRuns).toBeGreaterThanOrEqual(1);
  });

  it('(b) --break finds a violation, writes a counterexample, and its replay reproduces it', {
    timeout: 60_000,
  }, async () => {
    const reports = join(dir, 'reports');
    const out = await cli(
      [
        'explore',
        '--break',
        'breaker-never-opens',
        // `down` only: refused connections fail at once and always count, so whether the replay reproduces
        // the violation does not hang on timing (a blackhole's attempts may end past the judged horizon).
        '--actions',
        'down',
        '--max-faults',
        '1',
        '--runs',
        '2',
        '--max-shrinks',
        '3',
        '--seed',
        String(seed),
        '--report-dir',
        reports,
      ],
      45_000,
    );
    expect(out.code, `${out.stdout}\n${out.stderr}`).toBe(1);
    expect(out.stdout).toMatch(/COUNTEREXAMPLE: .*breaker-opens-within/);
    const [folder] = (await readdir(reports)).filter((n) => n.startsWith('explore-'));
    expect(folder).toBeDefined();
    const cxDir = join(reports, folder as string);
    for (const f of ['counterexample.yaml', 'README.md', 'journal.json', 'explore.json', 'report.html'])
      expect(existsSync(join(cxDir, f)), f).toBe(true);

    // The counterexample is a valid scenario naming the invariant and the seed, with the schema line.
    const file = join(cxDir, 'counterexample.yaml');
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+scenario\.schema\.json$/);
    const loaded = await loadScenarioFile(file);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.scenario.seed).toBe(seed);
    expect(loaded.scenario.description).toContain('breaker-opens-within');
    expect(loaded.scenario.faults).toHaveLength(1);
    expect(loaded.scenario.invariants.map((i) => i.name)).toContain('breaker-opens-within');
    const journal = JSON.parse(await readFile(join(cxDir, 'journal.json'), 'utf8')) as Journal;
    expect(journal.verdict).toBe('deviated');
    expect(journal.invariants.find((i) => i.name === 'breaker-opens-within')?.held).toBe(false);

    // The printed replay command (README has it too) reproduces the violation.
    const replay = /replay with:\n\s+(npx mcp-chaos run .+)\n/.exec(out.stdout)?.[1];
    expect(replay).toBe(`npx mcp-chaos run ${file} --seed ${seed} --time-scale 0.5`);
    expect(await readFile(join(cxDir, 'README.md'), 'utf8')).toContain(replay);
    const args = (replay as string).split(' ').slice(2); // run <file> --seed N --time-scale F
    const again = await cli([...args, '--report-dir', join(dir, 'replay'), '--no-progress'], 20_000);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(1);
    const [run] = await readdir(join(dir, 'replay')).then((ns) => ns.filter((n) => n.includes('explore-')));
    const replayed = JSON.parse(
      await readFile(join(dir, 'replay', run as string, 'journal.json'), 'utf8'),
    ) as Journal;
    expect(replayed.invariants.find((i) => i.name === 'breaker-opens-within')?.held).toBe(false);
  });

  it('(c) --break reissue-non-idempotent: at-most-once catches a manager that re-issues calls that may not be repeated', {
    timeout: 60_000,
  }, async () => {
    const r = resolveExploreConfig({
      breakPreset: 'reissue-non-idempotent',
      // an answer held past the attempt's deadline after the tool ran: the retry runs it again elsewhere
      actions: ['latency-over-timeout'],
      maxFaults: 1,
    });
    if (!r.ok) throw new Error(r.problems.join('\n'));
    expect(r.config.fleet.idempotent).toBe(false);
    const verdicts: string[] = [];
    const result = await explore({
      config: r.config,
      seed,
      runs: 2,
      timeScale: 0.5,
      maxShrinkRuns: 0,
      runOptions: {
        startToxiproxy: ({ seed: s }) => startToxiproxy({ host: '127.0.0.1', port: 0, seed: s }),
      },
      onRun: (x) => verdicts.push(`${x.journal?.verdict}: ${x.result.kind} ${JSON.stringify(x.schedule)}`),
    });
    expect(result.infrastructureErrors, verdicts.join('\n')).toEqual([]);
    expect(result.counterexample?.violated, `seed ${seed}\n${verdicts.join('\n')}`).toContain('at-most-once');
  });
});
