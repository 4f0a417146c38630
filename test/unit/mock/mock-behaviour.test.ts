import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { MockBehaviour } from '../../../src/mock/index.js';

const base = { errorRate: 0, hang: false, answerPing: true };

function settleState<T>(p: Promise<T>): {
  state: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: unknown;
} {
  const s: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  p.then(
    (value) => Object.assign(s, { state: 'resolved', value }),
    (error) => Object.assign(s, { state: 'rejected', error }),
  );
  return s;
}

describe('MockBehaviour', () => {
  it('waits the fixed latency on the injected clock before answering', async () => {
    const clock = new FakeClock();
    const b = new MockBehaviour({ ...base, latency: { fixedMs: 50 } }, 1, { clock });
    const s = settleState(b.beforeToolCall(new AbortController().signal));
    await clock.advanceAsync(49);
    expect(s.state).toBe('pending');
    await clock.advanceAsync(1);
    expect(s).toMatchObject({ state: 'resolved', value: 'answer' });
    expect(b.calls).toBe(1);
  });

  it('injects errors at the configured rate, the same sequence for the same seed', async () => {
    const run = async (seed: number) => {
      const b = new MockBehaviour({ ...base, errorRate: 0.3 }, seed);
      const out: string[] = [];
      for (let i = 0; i < 2000; i++) out.push(await b.beforeToolCall(new AbortController().signal));
      return out;
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
    const share = a.filter((v) => v === 'inject-error').length / a.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('hang: never answers until the call is aborted; toggling off serves later calls', async () => {
    const clock = new FakeClock();
    const b = new MockBehaviour({ ...base, hang: true }, 1, { clock });
    const ctl = new AbortController();
    const hung = settleState(b.beforeToolCall(ctl.signal));
    const ping = settleState(b.beforePing(new AbortController().signal));
    await clock.advanceAsync(60_000);
    expect(hung.state).toBe('pending');
    expect(ping.state).toBe('pending');
    ctl.abort(new Error('client cancelled'));
    await clock.advanceAsync(0);
    expect(hung.state).toBe('rejected');
    b.update({ hang: false });
    expect(await b.beforeToolCall(new AbortController().signal)).toBe('answer');
    b.close();
    await clock.advanceAsync(0);
    expect(ping.state).toBe('rejected');
  });

  it('crashAfterCalls: serves N calls, crashes once on call N+1 and never answers it', async () => {
    const clock = new FakeClock();
    const b = new MockBehaviour({ ...base, crashAfterCalls: 2 }, 1, { clock });
    let crashes = 0;
    b.onCrash(() => crashes++);
    expect(await b.beforeToolCall(new AbortController().signal)).toBe('answer');
    expect(await b.beforeToolCall(new AbortController().signal)).toBe('answer');
    expect(crashes).toBe(0);
    const third = settleState(b.beforeToolCall(new AbortController().signal));
    const fourth = settleState(b.beforeToolCall(new AbortController().signal));
    await clock.advanceAsync(1000);
    expect(crashes).toBe(1);
    expect(b.hasCrashed).toBe(true);
    expect(third.state).toBe('pending');
    expect(fourth.state).toBe('pending');
    b.close();
    await clock.advanceAsync(0);
    expect(third.state).toBe('rejected');
  });

  it('answerPing false: pings hang, tool calls still answer', async () => {
    const clock = new FakeClock();
    const b = new MockBehaviour({ ...base, answerPing: false }, 1, { clock });
    const ping = settleState(b.beforePing(new AbortController().signal));
    expect(await b.beforeToolCall(new AbortController().signal)).toBe('answer');
    await clock.advanceAsync(10_000);
    expect(ping.state).toBe('pending');
    b.update({ answerPing: true });
    await expect(b.beforePing(new AbortController().signal)).resolves.toBeUndefined();
    b.close();
  });

  it('rejects a bad update with a RangeError and keeps the old settings', () => {
    const b = new MockBehaviour({ ...base, errorRate: 0.1 }, 1);
    expect(() => b.update({ errorRate: 3 })).toThrow(RangeError);
    expect(b.settings.errorRate).toBe(0.1);
  });
});
