/**
 * A 2025 upstream asking a 2026-07-28 client: the upstream sends `sampling/createMessage`,
 * `elicitation/create` or `roots/list` during a call and waits for the answer; a 2026-07-28 client has no
 * server-to-client requests — it is asked with an `input_required` result and answers by retrying the call
 * with `inputResponses` and the `requestState` it was given. The bridge turns one into the other:
 *
 * 1. the call starts upstream with its own signal (the client's first request ends when it gets
 *    `input_required`; the upstream call must go on);
 * 2. whichever comes first — the upstream's answer, or a request of the upstream's — decides the reply:
 *    the answer as it is, or `input_required` carrying every request asked so far (`inputRequests`, keyed
 *    `r1`, `r2`, …) and `requestState` = `mcp-gateway-input:<random id>`; the call is parked;
 * 3. the client's retry with that state takes the call back: each pending request gets its answer
 *    (`inputResponses[key]`; a missing one is refused to the upstream), and step 2 repeats.
 *
 * Bounded: a parked call whose client does not come back within {@link PARK_MS} is cancelled upstream;
 * at most {@link MAX_PARKED} calls wait at once (past that the upstream's request is refused). The state
 * is an unguessable id (128 random bits), good for one retry; it is not bound to the client's identity —
 * whoever holds it is the client (as for the upstream's own `requestState`). Gateway-local: a retry that
 * reaches another gateway instance finds nothing (a fleet of gateways is issue 32's business).
 */
import { randomBytes } from 'node:crypto';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { ServerMessage } from '../manager/index.js';

/** How long a parked call waits for its client's retry (ms). */
export const PARK_MS = 60_000;
/** Most calls parked at once. */
export const MAX_PARKED = 1000;
export const STATE_PREFIX = 'mcp-gateway-input:';

type Result = Record<string, unknown>;
type Event = { kind: 'result'; value: Result } | { kind: 'error'; error: unknown } | { kind: 'input' };

/** A request the upstream is waiting on, with how to answer it. */
interface Pending {
  request: ServerMessage;
  answer: (result: Record<string, unknown>) => void;
  refuse: (error: Error) => void;
}

/** An Error the MCP SDKs send as a JSON-RPC error with `code` (a plain message: no prefix doubled). */
export function rpcRefusal(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

class BridgedCall {
  readonly ctl = new AbortController();
  readonly pending = new Map<string, Pending>();
  private asked = 0;
  private wake: (() => void) | undefined;
  private outcome: Event | undefined;
  timer: TimerHandle | undefined;

  constructor(
    run: (
      ask: (r: ServerMessage, signal: AbortSignal) => Promise<Result>,
      signal: AbortSignal,
    ) => Promise<Result>,
  ) {
    run((r, signal) => this.ask(r, signal), this.ctl.signal).then(
      (value) => this.settle({ kind: 'result', value }),
      (error: unknown) => this.settle({ kind: 'error', error }),
    );
  }

  /** The upstream asks: held until the client answers (or the call ends). */
  private ask(request: ServerMessage, signal: AbortSignal): Promise<Result> {
    const key = `r${++this.asked}`;
    return new Promise<Result>((answer, refuse) => {
      const drop = () => {
        this.pending.delete(key);
        refuse(rpcRefusal(-32800, `${request.method}: cancelled`));
      };
      signal.addEventListener('abort', drop, { once: true });
      this.pending.set(key, {
        request,
        answer: (r) => {
          signal.removeEventListener('abort', drop);
          answer(r);
        },
        refuse: (e) => {
          signal.removeEventListener('abort', drop);
          refuse(e);
        },
      });
      this.wake?.();
    });
  }

  private settle(e: Event): void {
    this.outcome = e;
    for (const p of this.pending.values()) p.refuse(rpcRefusal(-32800, 'the call has ended'));
    this.pending.clear();
    this.wake?.();
  }

  /** The next thing the client must hear: the answer, the failure, or that input is needed. */
  async next(): Promise<Event> {
    for (;;) {
      if (this.outcome) return this.outcome;
      if (this.pending.size > 0) return { kind: 'input' };
      await new Promise<void>((r) => {
        this.wake = r;
      });
      this.wake = undefined;
    }
  }
}

export class InputBridge {
  private readonly parked = new Map<string, BridgedCall>();

  constructor(private readonly clock: Clock) {}

  /** Whether `state` is one of the bridge's (a retry of a parked call). */
  static owns(state: unknown): state is string {
    return typeof state === 'string' && state.startsWith(STATE_PREFIX);
  }

  /**
   * Starts a call whose upstream requests are answered through `input_required`: `run` starts it with
   * the handler for the upstream's requests and the call's own signal. Resolves with what the client gets.
   */
  start(
    run: (
      ask: (r: ServerMessage, signal: AbortSignal) => Promise<Result>,
      signal: AbortSignal,
    ) => Promise<Result>,
    client: AbortSignal,
  ): Promise<Result> {
    return this.reply(new BridgedCall(run), client);
  }

  /** The client's retry: answers the parked call's requests and resolves with what the client gets next. */
  resume(
    state: string,
    responses: Record<string, unknown> | undefined,
    client: AbortSignal,
  ): Promise<Result> {
    const id = state.slice(STATE_PREFIX.length);
    const call = this.parked.get(id);
    if (call === undefined)
      throw rpcRefusal(
        -32602,
        'requestState names no call waiting for input here (it expired, or was used already)',
      );
    this.parked.delete(id);
    this.clock.clearTimeout(call.timer);
    for (const [key, p] of call.pending) {
      const r = responses?.[key];
      if (r !== null && typeof r === 'object' && !Array.isArray(r)) p.answer(r as Record<string, unknown>);
      else p.refuse(rpcRefusal(-32602, `${p.request.method}: the client sent no answer for ${key}`));
    }
    call.pending.clear();
    return this.reply(call, client);
  }

  /** Calls waiting for their client now. */
  get size(): number {
    return this.parked.size;
  }

  /** Cancels every parked call. */
  close(): void {
    for (const call of this.parked.values()) {
      this.clock.clearTimeout(call.timer);
      call.ctl.abort(new Error('the gateway is closing'));
    }
    this.parked.clear();
  }

  /** What the client's request gets; the client going away before it (not after: parked) cancels the call. */
  private async reply(call: BridgedCall, client: AbortSignal): Promise<Result> {
    const cancel = () => call.ctl.abort(client.reason);
    if (client.aborted) cancel();
    client.addEventListener('abort', cancel, { once: true });
    let e: Event;
    try {
      e = await call.next();
    } finally {
      client.removeEventListener('abort', cancel);
    }
    if (e.kind === 'result') return e.value;
    if (e.kind === 'error') throw e.error;
    if (this.parked.size >= MAX_PARKED) {
      call.ctl.abort(new Error('too many calls waiting for input'));
      throw rpcRefusal(-32000, `too many calls waiting for their client's input (${MAX_PARKED})`);
    }
    const id = randomBytes(16).toString('base64url');
    this.parked.set(id, call);
    call.timer = this.clock.setTimeout(() => {
      if (this.parked.get(id) !== call) return;
      this.parked.delete(id);
      call.ctl.abort(new Error(`the client did not answer within ${PARK_MS} ms`));
    }, PARK_MS);
    const inputRequests: Record<string, unknown> = {};
    for (const [key, p] of call.pending)
      inputRequests[key] = {
        method: p.request.method,
        ...(p.request.params ? { params: p.request.params } : {}),
      };
    return { resultType: 'input_required', inputRequests, requestState: `${STATE_PREFIX}${id}` };
  }
}
