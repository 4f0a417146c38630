/**
 * The input bridge on a fake clock: an upstream's request parks the call and the client gets
 * input_required; the retry answers it (a missing answer is refused to the upstream); a client that never
 * comes back has the upstream call cancelled after PARK_MS; a state is good for one retry.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { InputBridge, PARK_MS, STATE_PREFIX } from '../../../src/gateway/input-bridge.js';

const live = () => new AbortController().signal;

describe('InputBridge', () => {
  it('parks on the upstream request, the retry answers it, the result comes on the retry', async () => {
    const bridge = new InputBridge(new FakeClock());
    const first = await bridge.start(async (ask) => {
      const answer = await ask({ method: 'elicitation/create', params: { message: 'ok?' } }, live());
      return { content: [{ type: 'text', text: `said ${answer.action}` }] };
    }, live());
    expect(first).toMatchObject({
      resultType: 'input_required',
      inputRequests: { r1: { method: 'elicitation/create', params: { message: 'ok?' } } },
    });
    const state = first.requestState as string;
    expect(state.startsWith(STATE_PREFIX)).toBe(true);
    expect(bridge.size).toBe(1);
    const second = await bridge.resume(state, { r1: { action: 'accept' } }, live());
    expect(second).toEqual({ content: [{ type: 'text', text: 'said accept' }] });
    expect(bridge.size).toBe(0);
    // one retry per state
    expect(() => bridge.resume(state, {}, live())).toThrow(/names no call waiting/);
  });

  it('an answer missing from the retry is refused to the upstream (-32602), the call goes on', async () => {
    const bridge = new InputBridge(new FakeClock());
    const first = await bridge.start(async (ask) => {
      const e = await ask({ method: 'roots/list' }, live()).catch(
        (x: { code?: number; message: string }) => x,
      );
      return {
        content: [{ type: 'text', text: `${(e as { code?: number }).code}: ${(e as Error).message}` }],
      };
    }, live());
    const r = await bridge.resume(first.requestState as string, {}, live());
    expect(r).toEqual({
      content: [{ type: 'text', text: '-32602: roots/list: the client sent no answer for r1' }],
    });
  });

  it('a client that never comes back: the upstream call is cancelled after PARK_MS', async () => {
    const clock = new FakeClock();
    const bridge = new InputBridge(clock);
    let cancelled: unknown;
    await bridge.start(
      (ask, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            cancelled = signal.reason;
            reject(signal.reason);
          });
          void ask({ method: 'sampling/createMessage', params: {} }, signal).catch(() => {});
        }),
      live(),
    );
    await clock.advanceAsync(PARK_MS - 1);
    expect(cancelled).toBeUndefined();
    await clock.advanceAsync(1);
    expect(String(cancelled)).toMatch(/did not answer within 60000 ms/);
    expect(bridge.size).toBe(0);
  });

  it('the client leaving before the first reply cancels the call; an upstream answer without asking passes as is', async () => {
    const bridge = new InputBridge(new FakeClock());
    const ctl = new AbortController();
    let aborted = false;
    const p = bridge.start(
      (_ask, signal) =>
        new Promise((_r, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('cancelled'));
          });
        }),
      ctl.signal,
    );
    ctl.abort();
    await expect(p).rejects.toThrow('cancelled');
    expect(aborted).toBe(true);
    expect(await bridge.start(async () => ({ content: [] }), live())).toEqual({ content: [] });
  });
});
