/**
 * Small in-test fakes of the connection seam (ManagedConnection), driven by a FakeClock, plus an event
 * consistency checker shared by the pipeline tests.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { FakeClock } from '../../../../src/core/clock.js';
import { ChaosError } from '../../../../src/core/errors.js';
import type {
  ConnectionFactory,
  ConnectionNotice,
  FailureClass,
  ManagedConnection,
  ManagerEvent,
} from '../../../../src/manager/index.js';

/** What a fake endpoint does with one request. */
export type Script =
  | { ok: true; afterMs?: number; isError?: boolean; text?: string }
  | { fail: FailureClass; afterMs?: number; notSent?: boolean; details?: Record<string, unknown> }
  | { hang: true };

export interface FakeCall {
  endpoint: string;
  tool: string;
  args: Record<string, unknown> | undefined;
  timeoutMs: number;
  idempotent: boolean | undefined;
  signal: AbortSignal | undefined;
  t: number;
  settled: boolean;
}

export class FakeConnection implements ManagedConnection {
  calls: FakeCall[] = [];
  pings = 0;
  closed = false;
  /** Decides each tool call; default success after 5 ms. */
  script: (call: FakeCall) => Script = () => ({ ok: true, afterMs: 5 });
  /** Decides each ping; default success after 1 ms. */
  pingScript: () => Script = () => ({ ok: true, afterMs: 1 });
  connectScript: () => Script = () => ({ ok: true });
  tools: Tool[] = [{ name: 'echo', inputSchema: { type: 'object' } }];
  /** How late after a request's deadline this connection lets go of it (real ones are a little late). */
  lateMs = 0;
  /** Most requests in flight at once. */
  peak = 0;

  constructor(
    readonly id: string,
    private readonly clock: FakeClock,
    readonly notify: (n: ConnectionNotice) => void,
  ) {}

  get inFlight(): number {
    return this.calls.filter((c) => !c.settled).length;
  }

  connect(): Promise<void> {
    return this.run(this.connectScript(), undefined, 'connect').then(() => undefined);
  }

  callTool(
    tool: string,
    args: Record<string, unknown> | undefined,
    opts: { timeoutMs: number; signal?: AbortSignal; idempotent?: boolean },
  ): Promise<CallToolResult> {
    const call: FakeCall = {
      endpoint: this.id,
      tool,
      args,
      timeoutMs: opts.timeoutMs,
      idempotent: opts.idempotent,
      signal: opts.signal,
      t: this.clock.now(),
      settled: false,
    };
    this.calls.push(call);
    this.peak = Math.max(this.peak, this.inFlight);
    const p = this.run(this.script(call), opts.signal, 'tools/call', opts.timeoutMs);
    p.then(
      () => {
        call.settled = true;
      },
      () => {
        call.settled = true;
      },
    );
    return p as Promise<CallToolResult>;
  }

  ping(opts: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    this.pings++;
    return this.run(this.pingScript(), opts.signal, 'ping', opts.timeoutMs).then(() => undefined);
  }

  async listTools(): Promise<Tool[]> {
    return this.tools;
  }

  /** Like the real connection: rejects every pending request and clears its timers. */
  close(): Promise<void> {
    this.closed = true;
    for (const kill of [...this.pending]) kill();
    return Promise.resolve();
  }

  private readonly pending = new Set<() => void>();

  private run(
    script: Script,
    signal: AbortSignal | undefined,
    op: string,
    timeoutMs?: number,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timers: unknown[] = [];
      const clear = () => {
        for (const t of timers) this.clock.clearTimeout(t as never);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(kill);
      };
      const kill = () => {
        clear();
        reject(
          new ChaosError('CONNECTION_FAILED', `${this.id}: closed`, {
            details: { failureClass: 'connection' },
          }),
        );
      };
      this.pending.add(kill);
      const onAbort = () => {
        clear();
        reject(
          new ChaosError('CALL_CANCELLED', `${this.id}: ${op} aborted`, {
            details: { failureClass: 'timeout' },
          }),
        );
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timers.push(
          this.clock.setTimeout(() => {
            clear();
            reject(
              new ChaosError('CALL_TIMEOUT', `${this.id}: ${op} timed out`, {
                details: { failureClass: 'timeout', op },
              }),
            );
          }, timeoutMs + this.lateMs),
        );
      }
      if ('hang' in script) return;
      timers.push(
        this.clock.setTimeout(() => {
          clear();
          if ('ok' in script) {
            resolve({
              content: [{ type: 'text', text: script.text ?? `${this.id} ok` }],
              ...(script.isError ? { isError: true } : {}),
            });
          } else {
            const details: Record<string, unknown> = {
              failureClass: script.fail,
              op: script.notSent ? 'connect' : op,
              ...script.details,
            };
            reject(
              new ChaosError('CONNECTION_FAILED', `${this.id}: ${op} failed (${script.fail})`, { details }),
            );
          }
        }, script.afterMs ?? 0),
      );
    });
  }
}

/** A factory recording the fakes it creates, by endpoint id. */
export function fakeFactory(clock: FakeClock): {
  factory: ConnectionFactory;
  conns: Map<string, FakeConnection>;
} {
  const conns = new Map<string, FakeConnection>();
  const factory: ConnectionFactory = (spec, opts) => {
    const c = new FakeConnection(spec.id, clock, opts.onNotice);
    conns.set(spec.id, c);
    return c;
  };
  return { factory, conns };
}

/**
 * Checks the event stream's consistency; returns every problem (empty = consistent):
 * one call-start and one call-end per call, call-end after every attempt-end of its call, attempts
 * numbered 1..n without gaps, one attempt-end per attempt-start, call-end.attempts = attempt count.
 */
export function eventProblems(events: ManagerEvent[]): string[] {
  const problems: string[] = [];
  const calls = new Map<number, { started: boolean; ended: boolean; attempts: Map<number, boolean> }>();
  for (const e of events) {
    if (e.type === 'call-start') {
      if (calls.has(e.callId)) problems.push(`call ${e.callId} started twice`);
      calls.set(e.callId, { started: true, ended: false, attempts: new Map() });
    } else if (e.type === 'attempt-start' || e.type === 'attempt-end' || e.type === 'call-end') {
      const c = calls.get(e.callId);
      if (!c) {
        problems.push(`${e.type} of unknown call ${e.callId}`);
        continue;
      }
      if (c.ended) problems.push(`${e.type} of call ${e.callId} after its call-end`);
      if (e.type === 'attempt-start') {
        if (e.attempt !== c.attempts.size + 1)
          problems.push(`call ${e.callId}: attempt ${e.attempt} out of order`);
        c.attempts.set(e.attempt, false);
      } else if (e.type === 'attempt-end') {
        if (c.attempts.get(e.attempt) !== false)
          problems.push(`call ${e.callId}: attempt-end ${e.attempt} unmatched`);
        c.attempts.set(e.attempt, true);
      } else {
        c.ended = true;
        for (const [n, ended] of c.attempts)
          if (!ended) problems.push(`call ${e.callId}: attempt ${n} never ended`);
        if (e.attempts !== c.attempts.size)
          problems.push(`call ${e.callId}: call-end says ${e.attempts} attempts, saw ${c.attempts.size}`);
      }
    }
  }
  for (const [id, c] of calls) if (!c.ended) problems.push(`call ${id} never ended`);
  return problems;
}

/** Settles a promise into a tagged value (so tests can advance the clock before awaiting). */
export function settle<T>(p: Promise<T>): {
  current: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
} {
  const box: { current: { ok: true; value: T } | { ok: false; error: unknown } | undefined } = {
    current: undefined,
  };
  p.then(
    (value) => {
      box.current = { ok: true, value };
    },
    (error: unknown) => {
      box.current = { ok: false, error };
    },
  );
  return box;
}
