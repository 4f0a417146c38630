/**
 * A stdio server that dies right after answering one call: the connection restarts it, but from the third
 * exit in a minute on it is crash-looping and waits longer each time, so it is not respawned every 100–200
 * ms (the successful calls in between used to reset the backoff).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConnectionEvent } from '../../../src/manager/connection/index.js';
import { createConnection } from '../../../src/manager/connection/index.js';
import { fixtures } from '../../helpers/fixtures.js';

const fx = fixtures();
const script = fileURLToPath(new URL('./crash-after-initialize.cjs', import.meta.url));

describe('stdio crash loop', () => {
  it('backs off exponentially: a few restarts in 3 s, the exits say it is looping', async () => {
    const events: ConnectionEvent[] = [];
    const c = fx.own(
      createConnection(
        { id: 'crashy[0]', transport: 'stdio', command: [process.execPath, script] },
        { onEvent: (e) => events.push(e) },
      ),
      (x) => x.close(),
    );
    await c.connect();
    // Callers keep calling for 3 s (a rate over a fixed span is what is measured, not readiness).
    const end = performance.now() + 3000;
    let ok = 0;
    while (performance.now() < end) {
      await c.callTool('echo', {}, { timeoutMs: 500 }).then(
        () => ok++,
        () => new Promise((r) => setTimeout(r, 20)),
      );
    }
    expect(ok).toBeGreaterThan(0);
    const restarts = events.filter((e) => e.kind === 'process-restart').length;
    const exits = events.filter((e) => e.kind === 'process-exit');
    // Without the crash loop: one restart every ~100–200 ms plus start-up, i.e. 10+ in 3 s.
    expect(restarts).toBeGreaterThanOrEqual(2);
    expect(restarts).toBeLessThanOrEqual(6);
    expect(
      exits.some((e) => /crash loop: \d+ quick exits in a row, next restart in \d+ ms/.test(e.detail ?? '')),
    ).toBe(true);
    // The loop is a state of its own: reported at each exit from the third on, with when it restarts next.
    const loops = events.filter((e) => e.kind === 'crash-loop');
    expect(loops.length).toBeGreaterThanOrEqual(1);
    for (const l of loops) {
      expect(l.crashLoop?.exits).toBeGreaterThanOrEqual(3);
      expect(l.crashLoop?.restartAt).toBeGreaterThan(l.t);
    }
    expect(events.some((e) => e.kind === 'crash-loop-ended')).toBe(false);
  });
});
