/**
 * A run with a gateway under test, interrupted: Ctrl-C in the middle of a fault stops the gateway process
 * too, removes its config file, and the journal says so.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Journal } from '../../../src/chaos/index.js';
import { CLI, isAlive, spawnNode } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'gateway-sut-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mcp-chaos run with sut: gateway', () => {
  it('Ctrl-C mid-fault stops the gateway under test and removes its config', {
    timeout: 90_000,
  }, async () => {
    const reports = join(tmp, 'reports');
    const p = spawnNode([
      ...CLI,
      'run',
      'scenarios/gateway-replica-killed.yaml',
      '--report-dir',
      reports,
      '--no-progress',
      '--verbose',
    ]);
    const started = await p.waitFor(
      /gateway under test started \{"pid":(\d+),"argv":"[^"]* --config (\S+) --port \d+"/,
      60_000,
    );
    const pid = Number(started[1]);
    const config = started[2] as string;
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(config)).toBe(true);
    await p.waitFor(/process kill/, 30_000);
    p.child.kill('SIGINT');
    expect(await p.exited, p.stderr()).toBe(130);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dirname(config))).toBe(false);
    const [dir] = readdirSync(reports).filter((d) => d.includes('gateway-replica-killed'));
    const journal = JSON.parse(readFileSync(join(reports, dir as string, 'journal.json'), 'utf8')) as Journal;
    expect(journal.verdict).toBe('interrupted');
    expect(journal.rollback.ok).toBe(true);
    expect(journal.rollback.actions).toContain('stop the gateway under test');
    expect(journal.sut).toEqual({ kind: 'gateway', command: expect.stringContaining(' gateway --config ') });
  });
});
