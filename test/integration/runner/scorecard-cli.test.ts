/**
 * `mcp-chaos scorecard` end to end: this project's gateway and supergateway (a third-party bridge with one
 * upstream, from npm) against a killed replica — the table says the first survives and the second does
 * not — plus the files it writes and its refusals of bad input.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** Set by `npm run test:busy`: the machine is busy on purpose. */
const BUSY = process.env.MCP_CHAOS_BUSY !== undefined;

import { CLI, spawnNode } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scorecard-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mcp-chaos scorecard', () => {
  it('scores a gateway that fails over and one that cannot, in one table', { timeout: 120_000 }, async () => {
    const p = spawnNode([
      ...CLI,
      'scorecard',
      '--sut',
      'mcp-chaos-gateway,supergateway',
      '--mode',
      'replica-killed',
      '--time-scale',
      '0.5',
      '--report-dir',
      dir,
    ]);
    expect(await p.exited, p.stderr()).toBe(0);
    const out = p.stdout();
    expect(out).toMatch(/\| failure mode \| mcp-chaos-gateway \| supergateway \|/);
    // on a machine busy on purpose (npm run test:busy) ours may be inconclusive (❔), never failed
    const ours = BUSY ? '(?:✅|❔)' : '✅';
    expect(out).toMatch(
      new RegExp(
        `\\| replica-killed \\| ${ours} [\\d.]+% · p99 [^|]+ \\| ❌ [\\d.]+% · p99 [^|]+ · not recovered \\|`,
      ),
    );
    expect(out).toMatch(/replica-killed × supergateway: failover-within: weather availability/);
    const [folder] = readdirSync(dir).filter((f) => f.startsWith('scorecard-'));
    const root = join(dir, folder as string);
    expect(readFileSync(join(root, 'scorecard.md'), 'utf8')).toMatch(
      BUSY
        ? /\| \*\*survived\*\* \| \*\*[01]\/1\*\* \| \*\*0\/1\*\* \|/
        : /\| \*\*survived\*\* \| \*\*1\/1\*\* \| \*\*0\/1\*\* \|/,
    );
    expect(readFileSync(join(root, 'scorecard.html'), 'utf8')).toContain('<td class="fail"');
    const runs = readdirSync(join(root, 'runs')).sort();
    expect(runs).toEqual(['replica-killed--mcp-chaos-gateway', 'replica-killed--supergateway']);
    const j = JSON.parse(readFileSync(join(root, 'runs', runs[1] as string, 'journal.json'), 'utf8'));
    expect(j.sut.kind).toBe('gateway');
    expect(j.sut.command).toMatch(
      /supergateway\/dist\/index\.js --streamableHttp http:\/\/127\.0\.0\.1:\d+\/mcp/,
    );
  });

  it('refuses an unknown SUT or mode and a bad flag with exit 2, running nothing', async () => {
    const a = spawnNode([...CLI, 'scorecard', '--sut', 'nope', '--report-dir', dir]);
    expect(await a.exited).toBe(2);
    expect(a.stderr()).toMatch(/nope: not in scorecard\/suts/);
    const b = spawnNode([...CLI, 'scorecard', '--time-scale', '0']);
    expect(await b.exited).toBe(2);
    expect(b.stderr()).toMatch(/--time-scale must be > 0/);
  });
});
