/**
 * The direct request path (the one stdio takes in production) with a fake clock and a scripted SDK
 * client: what it sends, how it classifies each way a request can end, and which requests it declines.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { type ChaosError, isChaosError } from '../../../../src/core/errors.js';
import { DirectRequests } from '../../../../src/manager/connection/direct-requests.js';
import { normalizeFailure } from '../../../../src/manager/connection/normalize-failure.js';
import { legacyRpc, type SessionRpc } from '../../../../src/manager/connection/session-rpc.js';

interface Sent {
  timeout: number | undefined;
  signal: AbortSignal | undefined;
}

/** A client whose requests settle when the test says, and whose SDK timer runs on the fake clock. */
function scriptedClient(clock: FakeClock) {
  const sent: Sent[] = [];
  let settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | undefined;
  const request = (options: { timeout?: number; signal?: AbortSignal }) =>
    new Promise((resolve, reject) => {
      sent.push({ timeout: options.timeout, signal: options.signal });
      settle = { resolve, reject };
      const timer = clock.setTimeout(
        () =>
          reject(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: options.timeout })),
        options.timeout ?? 60_000,
      );
      options.signal?.addEventListener('abort', () => {
        clock.clearTimeout(timer);
        reject(options.signal?.reason);
      });
    });
  const client = {
    callTool: (_params: unknown, _schema: unknown, options: { timeout?: number; signal?: AbortSignal }) =>
      request(options),
    ping: (options: { timeout?: number; signal?: AbortSignal }) => request(options),
  } as unknown as Client;
  return { client, sent, settle: () => settle as NonNullable<typeof settle> };
}

function setup() {
  const clock = new FakeClock(1000);
  const { client, sent, settle } = scriptedClient(clock);
  const succeeded: unknown[] = [];
  const direct = new DirectRequests<{ rpc: SessionRpc }>({
    id: 'w[0]',
    clock,
    succeeded: (s) => succeeded.push(s),
    failed: (e, ctx, details) => normalizeFailure(e, ctx, details, false),
  });
  return { clock, session: { rpc: legacyRpc(client, 'w[0]') }, sent, settle, succeeded, direct };
}

async function failureOf(p: Promise<unknown>): Promise<ChaosError> {
  try {
    await p;
  } catch (e) {
    if (isChaosError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('direct request path', () => {
  it('sends with the deadline as the SDK timeout and no signal of its own; success is reported', async () => {
    const t = setup();
    const p = t.direct.callTool(t.session, 'echo', { text: 'x' }, { timeoutMs: 250 });
    expect(t.sent).toEqual([{ timeout: 250, signal: undefined }]);
    t.settle().resolve({ content: [] });
    await expect(p).resolves.toEqual({ content: [] });
    expect(t.succeeded).toEqual([t.session]);
  });

  it('the SDK timer firing at the deadline is a classified timeout with the elapsed time', async () => {
    const t = setup();
    const p = failureOf(t.direct.callTool(t.session, 'echo', undefined, { timeoutMs: 250 }));
    t.clock.advance(250);
    const err = await p;
    expect(err.code).toBe('CALL_TIMEOUT');
    expect(err.message).toBe('w[0]: tools/call timed out after 250 ms');
    expect(err.details).toMatchObject({
      failureClass: 'timeout',
      timeoutMs: 250,
      elapsedMs: 250,
      op: 'tools/call',
    });
    expect(t.succeeded).toEqual([]);
  });

  it("a caller's abort is CALL_CANCELLED, through a linked signal", async () => {
    const t = setup();
    const caller = new AbortController();
    const p = failureOf(t.direct.ping(t.session, { timeoutMs: 500, signal: caller.signal }));
    expect(t.sent[0]?.signal).toBeDefined();
    expect(t.sent[0]?.signal).not.toBe(caller.signal);
    t.clock.advance(100);
    caller.abort();
    const err = await p;
    expect(err.code).toBe('CALL_CANCELLED');
    expect(err.details).toMatchObject({ op: 'ping', elapsedMs: 100 });
  });

  it('another timeout error (not our deadline) and other errors keep their own class', async () => {
    const t = setup();
    const p = failureOf(t.direct.callTool(t.session, 'echo', undefined, { timeoutMs: 250 }));
    t.settle().reject(new McpError(ErrorCode.RequestTimeout, 'Request timed out', { timeout: 60_000 }));
    // not our deadline: classified from the error itself, not as "timed out after 250 ms"
    expect((await p).message).toMatch(/^w\[0\]: tools\/call failed \(timeout\)/);
    const q = failureOf(t.direct.callTool(t.session, 'echo', undefined, { timeoutMs: 250 }));
    t.settle().reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect((await q).details.failureClass).toBe('connection');
  });

  it('declines bad deadlines and calls already cancelled (the scoped path answers those)', () => {
    const { direct } = setup();
    const aborted = AbortSignal.abort();
    expect(direct.accepts({ timeoutMs: 100 })).toBe(true);
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(direct.accepts({ timeoutMs })).toBe(false);
    }
    expect(direct.accepts({ timeoutMs: 100, signal: aborted })).toBe(false);
  });
});
