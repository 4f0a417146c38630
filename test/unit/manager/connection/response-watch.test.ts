import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { BackPressure } from '../../../../src/manager/backpressure/index.js';
import {
  IdleTimer,
  MAX_RETRY_AFTER_MS,
  overloadedFailure,
  parseRetryAfter,
  watchIdle,
} from '../../../../src/manager/connection/response-watch.js';

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates (against the answer’s own Date), capped', () => {
    expect(parseRetryAfter('2', null)).toBe(2000);
    expect(parseRetryAfter(' 0 ', null)).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', 'Wed, 21 Oct 2026 07:28:00 GMT')).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', null)).toBeUndefined();
    expect(parseRetryAfter('soon', 'Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfter('-1', null)).toBeUndefined();
    expect(parseRetryAfter('999999', null)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(null, null)).toBeUndefined();
  });

  it('429 (with or without Retry-After) and 503 with Retry-After are overloaded; a plain 503 is not', () => {
    const res = (status: number, headers: Record<string, string> = {}) =>
      new Response('x', { status, headers });
    const e = overloadedFailure(res(503, { 'retry-after': '2' }), 'w[0]', () => 'tools/call');
    expect(e?.code).toBe('SERVER_OVERLOADED');
    expect(e?.details).toMatchObject({ failureClass: 'overloaded', status: 503, retryAfterMs: 2000 });
    expect(overloadedFailure(res(429), 'w[0]', () => 'tools/call')?.details.retryAfterMs).toBeUndefined();
    expect(overloadedFailure(res(503), 'w[0]', () => 'tools/call')).toBeUndefined();
    expect(overloadedFailure(res(500, { 'retry-after': '2' }), 'w[0]', () => 'tools/call')).toBeUndefined();
  });
});

describe('IdleTimer (fake clock)', () => {
  it('fires once after idleMs of silence; every byte starts the silence again; stop ends it', async () => {
    const clock = new FakeClock(0);
    let fired = 0;
    const idle = new IdleTimer(clock, 100, () => fired++);
    clock.advance(99);
    idle.touch();
    clock.advance(99);
    expect(fired).toBe(0);
    clock.advance(1);
    expect(fired).toBe(1);
    clock.advance(1000);
    expect(fired).toBe(1);
    const other = new IdleTimer(clock, 100, () => fired++);
    other.stop();
    clock.advance(500);
    expect(fired).toBe(1);
  });

  it('watchIdle touches on each chunk and stops at the end of the body', async () => {
    const clock = new FakeClock(0);
    let fired = 0;
    const idle = new IdleTimer(clock, 100, () => fired++);
    const body = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(new Uint8Array([1]));
        ctl.enqueue(new Uint8Array([2]));
        ctl.close();
      },
    });
    const res = watchIdle(new Response(body), idle);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([1, 2]));
    clock.advance(1000);
    expect(fired).toBe(0);
  });
});

describe('BackPressure (fake clock)', () => {
  it('holds until the time asked, extends but never shortens, and ends on the clock', () => {
    const clock = new FakeClock(1000);
    const bp = new BackPressure(clock);
    expect(bp.active).toBe(false);
    bp.hold(3000);
    expect([bp.active, bp.until]).toEqual([true, 3000]);
    bp.hold(2000);
    expect(bp.until).toBe(3000);
    bp.hold(4000);
    clock.advance(2000);
    expect([bp.active, bp.until]).toEqual([true, 4000]);
    clock.advance(1000);
    expect([bp.active, bp.until]).toEqual([false, undefined]);
    bp.hold(500);
    expect(bp.active).toBe(false);
    bp.hold(9000);
    bp.clear();
    expect(bp.active).toBe(false);
  });

  it('never ends before the time asked, even when the loop’s timer fires early', () => {
    const clock = new FakeClock(1000);
    // an event-loop timer counts from the loop's cached time: here it fires 2 ms early
    const early = Object.assign(Object.create(clock) as FakeClock, {
      setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, Math.max(1, ms - 2)),
    });
    const bp = new BackPressure(early);
    bp.hold(1500.4);
    clock.advance(498);
    expect(bp.active).toBe(true); // the first timer fired at 1498
    clock.advance(2);
    expect(bp.active).toBe(true); // 1500 < 1500.4: armed again
    clock.advance(1);
    expect(bp.active).toBe(false);
  });
});
