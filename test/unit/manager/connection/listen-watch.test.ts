/**
 * ListenWatch on a fake clock and a scripted v2 client: the stream is kept only when the server offers
 * tool-list changes; an ended stream is reopened at once if it had lived, with a growing backoff while
 * streams die young or fail to open; a reopening is reported as a possible change; stop() closes it.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { ListenWatch, STABLE_MS } from '../../../../src/manager/connection/listen-watch.js';

function scripted(listChanged: boolean) {
  const subs: Array<{ end: () => void; closed: boolean }> = [];
  const opens: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let handler: (() => void) | undefined;
  const client = {
    getServerCapabilities: () => ({ tools: listChanged ? { listChanged: true } : {} }),
    setNotificationHandler: (_m: string, h: () => void) => {
      handler = h;
    },
    listen: () =>
      new Promise((resolve, reject) => {
        opens.push({
          resolve: () => {
            let end: () => void = () => {};
            const closed = new Promise<void>((r) => {
              end = r;
            });
            const sub = { end: () => end(), closed: false };
            subs.push(sub);
            resolve({
              closed,
              close: async () => {
                sub.closed = true;
                end();
              },
            });
          },
          reject,
        });
      }),
  };
  return { client, subs, opens, notify: () => handler?.() };
}

function setup(listChanged = true) {
  const clock = new FakeClock(0);
  const s = scripted(listChanged);
  const changes: string[] = [];
  const tracked: Promise<unknown>[] = [];
  const w = new ListenWatch(s.client as never, {
    clock,
    backoff: { baseMs: 100, maxMs: 800 },
    ackTimeoutMs: 1000,
    toolsChanged: (d) => changes.push(d),
    track: (p) => tracked.push(p),
  });
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, ...s, changes, w, flush };
}

describe('ListenWatch', () => {
  it('opens nothing when the server offers no tool-list changes', () => {
    const t = setup(false);
    t.w.start();
    expect(t.opens).toHaveLength(0);
    expect(t.w.watching).toBe(false);
  });

  it('reports list_changed; a stream that lived is reopened at once, and the reopening reported', async () => {
    const t = setup();
    t.w.start();
    t.opens[0]?.resolve();
    await t.flush();
    expect(t.w.isOpen).toBe(true);
    t.notify();
    expect(t.changes).toEqual(['notifications/tools/list_changed']);
    t.clock.advance(STABLE_MS);
    t.subs[0]?.end();
    await t.flush();
    expect(t.w.isOpen).toBe(false);
    t.clock.advance(0);
    expect(t.opens).toHaveLength(2);
    t.opens[1]?.resolve();
    await t.flush();
    expect(t.w.opens).toBe(2);
    expect(t.changes[1]).toMatch(/reopened; changes may have been missed/);
  });

  it('streams that die young or fail to open back off: 100, 200, 400, 800, 800 ms', async () => {
    const t = setup();
    t.w.start();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const n = t.opens.length;
      if (i % 2 === 0) {
        t.opens[n - 1]?.resolve();
        await t.flush();
        t.subs[t.subs.length - 1]?.end(); // dies at once
      } else t.opens[n - 1]?.reject(new Error('refused'));
      await t.flush();
      let waited = 0;
      while (t.opens.length === n) {
        t.clock.advance(50);
        waited += 50;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([100, 200, 400, 800, 800]);
  });

  it('stop() closes the open stream and opens no other', async () => {
    const t = setup();
    t.w.start();
    t.opens[0]?.resolve();
    await t.flush();
    await t.w.stop();
    expect(t.subs[0]?.closed).toBe(true);
    await t.flush();
    t.clock.advance(10_000);
    expect(t.opens).toHaveLength(1);
    expect(t.w.watching).toBe(false);
  });

  it('a stream acknowledged after stop() is closed at once', async () => {
    const t = setup();
    t.w.start();
    await t.w.stop();
    t.opens[0]?.resolve();
    await t.flush();
    expect(t.subs[0]?.closed).toBe(true);
  });
});
