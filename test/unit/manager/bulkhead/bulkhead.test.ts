import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { isChaosError } from '../../../../src/core/errors.js';
import { Bulkhead, type Release } from '../../../../src/manager/bulkhead/index.js';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setup(maxInFlight = 2, queue = 2, acquireTimeoutMs = 100) {
  const clock = new FakeClock(0);
  const b = new Bulkhead({ maxInFlight, queue, acquireTimeoutMs }, { clock, name: 'ep' });
  return { clock, b };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isChaosError(e) ? e.code : String(e);
  }
}

describe('Bulkhead', () => {
  it('admits up to maxInFlight at once, queues FIFO, rejects QUEUE_FULL beyond the queue', async () => {
    const { b } = setup();
    const r1 = await b.acquire();
    const r2 = await b.acquire();
    expect(b.inFlight).toBe(2);
    const order: string[] = [];
    const track = (name: string) => (r: Release) => {
      order.push(name);
      return r;
    };
    const q1 = b.acquire().then(track('q1'));
    const q2 = b.acquire().then(track('q2'));
    expect(b.queued).toBe(2);
    expect(await codeOf(b.acquire())).toBe('QUEUE_FULL');
    expect(b.tryAcquire()).toBeUndefined();
    r1();
    r1(); // idempotent: must not free a second slot
    await flush();
    expect(order).toEqual(['q1']);
    expect([b.inFlight, b.queued]).toEqual([2, 1]);
    r2();
    await flush();
    expect(order).toEqual(['q1', 'q2']);
    (await q1)();
    (await q2)();
    expect([b.inFlight, b.queued]).toEqual([0, 0]);
  });

  it('rejects POOL_EXHAUSTED after acquireTimeoutMs in the queue', async () => {
    const { b, clock } = setup(1, 5, 100);
    const held = await b.acquire();
    const waiting = codeOf(b.acquire());
    clock.advance(99);
    expect(b.queued).toBe(1);
    clock.advance(1);
    expect(await waiting).toBe('POOL_EXHAUSTED');
    expect(b.queued).toBe(0);
    held();
    expect(b.inFlight).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('rejects CALL_CANCELLED on abort, before or while queued, and skips the aborted waiter', async () => {
    const { b, clock } = setup(1, 5);
    const pre = new AbortController();
    pre.abort();
    expect(await codeOf(b.acquire(pre.signal))).toBe('CALL_CANCELLED');
    const held = await b.acquire();
    const ac = new AbortController();
    const cancelled = codeOf(b.acquire(ac.signal));
    const next = b.acquire();
    ac.abort();
    expect(await cancelled).toBe('CALL_CANCELLED');
    expect(b.queued).toBe(1);
    held();
    const r = await next;
    expect(b.inFlight).toBe(1);
    r();
    expect(clock.pending()).toBe(0);
  });

  it('a queue of 0 never waits', async () => {
    const { b } = setup(1, 0);
    await b.acquire();
    expect(await codeOf(b.acquire())).toBe('QUEUE_FULL');
  });

  it('close() rejects waiters and later acquires with MANAGER_CLOSED', async () => {
    const { b, clock } = setup(1, 3);
    const held = await b.acquire();
    const w = codeOf(b.acquire());
    b.close();
    b.close();
    expect(await w).toBe('MANAGER_CLOSED');
    expect(await codeOf(b.acquire())).toBe('MANAGER_CLOSED');
    held();
    expect([b.inFlight, b.queued, clock.pending()]).toEqual([0, 0, 0]);
  });

  it('stays FIFO through many queue/compaction cycles', async () => {
    const { b } = setup(1, 500, 1000);
    let release: Release = await b.acquire();
    const got: number[] = [];
    const ps = Array.from({ length: 300 }, (_, i) =>
      b.acquire().then((r) => {
        got.push(i);
        return r;
      }),
    );
    for (const p of ps) {
      release();
      release = await p;
    }
    expect(got).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('rejects bad settings with RangeError', () => {
    expect(
      () => new Bulkhead({ maxInFlight: 0, queue: 1, acquireTimeoutMs: 1 }, { clock: new FakeClock() }),
    ).toThrow(/got 0/);
  });
});
