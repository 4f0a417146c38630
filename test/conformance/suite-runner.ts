/**
 * Runs the official MCP conformance suite — `@modelcontextprotocol/conformance` 0.1.16 (2025-11-25) or
 * its 0.2.0-alpha.12 prerelease (`conformance-next`, the only one with 2026-07-28 scenarios) — against a
 * server URL and reads its per-scenario summary. Both need Node ≥ 22: the `node` package from the npm
 * registry is used (`npx -p node@22`); {@link node22Missing} says why when it cannot be had.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const NODE22 = ['-y', '-p', 'node@22', 'node'];

export const SUITES = {
  /** 0.1.16: the 2025-11-25 scenarios. */
  '2025-11-25': { script: require.resolve('@modelcontextprotocol/conformance/dist/index.js'), args: [] },
  /** 0.2.0-alpha.12: exactly what 2026-07-28 requires. */
  '2026-07-28': {
    script: require.resolve('conformance-next/dist/index.js'),
    args: ['--requirements', '2026-07-28'],
  },
} as const;
export type Era = keyof typeof SUITES;

export interface Verdict {
  passed: number;
  failed: number;
}

/** Why Node 22 cannot be had, or undefined when `npx -p node@22` runs. */
export async function node22Missing(): Promise<string | undefined> {
  try {
    const { stdout } = await run('npx', [...NODE22, '--version'], { timeout: 180_000 });
    return /^v22\./.test(stdout.trim()) ? undefined : `npx -p node@22 gave ${stdout.trim()}`;
  } catch (e) {
    return `npx -p node@22 failed: ${(e as Error).message.split('\n')[0]}`;
  }
}

/** Runs one suite's server scenarios against `url`: checks passed and failed per scenario. */
export async function serverVerdicts(era: Era, url: string): Promise<Record<string, Verdict>> {
  const { script, args } = SUITES[era];
  const out = mkdtempSync(join(tmpdir(), 'conformance-'));
  try {
    const r = await run('npx', [...NODE22, script, 'server', '--url', url, ...args, '-o', out], {
      timeout: 240_000,
      maxBuffer: 32 * 1024 * 1024,
    }).catch((e: { stdout?: string; stderr?: string }) => ({
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    }));
    const found: Record<string, Verdict> = {};
    for (const m of r.stdout.matchAll(/^[✓✗] ([\w-]+): (\d+) passed, (\d+) failed$/gm))
      found[m[1] as string] = { passed: Number(m[2]), failed: Number(m[3]) };
    if (Object.keys(found).length === 0)
      throw new Error(`no summary from the suite:\n${r.stdout}\n${r.stderr}`);
    return found;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Runs one client scenario: the suite starts its server and launches `command` (the server URL appended);
 * `era` picks the suite (0.2 runs at `--spec-version 2026-07-28`).
 */
export async function clientVerdict(era: Era, scenario: string, command: string): Promise<Verdict> {
  const { script } = SUITES[era];
  const args = era === '2026-07-28' ? ['--spec-version', '2026-07-28'] : [];
  const r = await run(
    'npx',
    [...NODE22, script, 'client', '--command', command, '--scenario', scenario, ...args],
    {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  // the client mode prints its summary on stderr
  const m = /^Passed: (\d+)\/(\d+), (\d+) failed/m.exec(`${r.stdout}\n${r.stderr}`);
  if (!m) throw new Error(`no summary for ${scenario}:\n${r.stdout}\n${r.stderr}`);
  return { passed: Number(m[1]), failed: Number(m[3]) };
}

/** A scenario's verdict in words: `pass`, or `fail (n of m)`. */
export function verdictText(v: Verdict | undefined): string {
  if (v === undefined) return 'absent';
  return v.failed === 0 ? 'pass' : `fail (${v.failed} of ${v.passed + v.failed})`;
}
