/**
 * A stdio server that writes what it should not: garbage lines, half a line, a 20 MB line, a flood on
 * stderr. Each call ends in its class within its deadline, memory stays bounded, and close() leaves no
 * process behind.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about } from '../../helpers/timing.js';

const fx = fixtures();
const script = fileURLToPath(new URL('./hostile-stdio.cjs', import.meta.url));
const MiB = 1024 * 1024;
const DEADLINE = 1500;

async function callOnce(mode: string, size = 0) {
  const before = resourceCounts();
  const m = fx.own(
    new McpManager({
      servers: [{ name: 's', endpoints: [{ command: [process.execPath, script, mode, String(size)] }] }],
      settings: {
        callTimeoutMs: DEADLINE,
        maxResponseBytes: MiB,
        health: { probe: 'none' },
        retry: { attempts: 1 },
      },
    }),
    (x) => x.close(),
  );
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  await m.start();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let outcome: { ok: true } | { ok: false; code: string; cls: unknown; message: string };
  try {
    await m.callTool('s', 'echo', {});
    outcome = { ok: true };
  } catch (e) {
    if (!isChaosError(e)) throw e;
    outcome = { ok: false, code: e.code, cls: e.details.failureClass, message: e.message };
  }
  const ms = performance.now() - t0;
  const rssGrowth = process.memoryUsage().rss - rss0;
  await m.close();
  await expectNoLeaks(before);
  return { outcome, ms, rssGrowth, events };
}

describe('hostile stdio servers', () => {
  it('garbage and stray lines around an answer: the answer still arrives', async () => {
    const r = await callOnce('garbage');
    expect(r.outcome).toEqual({ ok: true });
    expect(r.ms).toBeLessThan(about(200));
  });

  it('half an answer line, never finished: the deadline holds', async () => {
    const r = await callOnce('partial');
    expect(r.outcome).toMatchObject({ ok: false, code: 'CALL_TIMEOUT' });
    expect(r.ms).toBeGreaterThanOrEqual(DEADLINE - 5);
    expect(r.ms).toBeLessThan(about(DEADLINE));
  });

  it('a 20 MB line: response-too-large after about 1 MiB, the child ended, memory bounded', async () => {
    const r = await callOnce('huge-line', 20);
    expect(r.outcome).toMatchObject({ ok: false, code: 'RESPONSE_TOO_LARGE', cls: 'response-too-large' });
    expect(r.ms).toBeLessThan(about(500));
    expect(r.rssGrowth).toBeLessThan(64 * MiB);
    const exit = r.events.find((e) => e.type === 'connection' && e.kind === 'process-exit');
    expect(exit).toMatchObject({
      detail: expect.stringMatching(/SIGKILL.*stdout line passed 1048576 bytes/),
    });
  });

  it('50 MB on stderr: the answer arrives, only a tail of stderr is kept', async () => {
    const r = await callOnce('stderr-flood', 50);
    expect(r.outcome).toEqual({ ok: true });
    expect(r.ms).toBeLessThan(about(DEADLINE));
    expect(r.rssGrowth).toBeLessThan(64 * MiB);
  });
});
