/** Shared bits of the manager integration tests: a blackhole TCP server, a closed-loop driver, tolerances. */
import { createServer, type Server, type Socket } from 'node:net';
import { isChaosError } from '../../../src/core/errors.js';
import type { ManagerEvent, McpManager } from '../../../src/manager/index.js';

export { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
export { about } from '../../helpers/timing.js';

export interface Blackhole {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** A TCP server on 127.0.0.1 that accepts connections and never answers a byte. */
export async function startBlackhole(): Promise<Blackhole> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}

export interface DriveResult {
  calls: number;
  ok: number;
  byCode: Record<string, number>;
  latenciesMs: number[];
  /** Largest (latency − timeout) seen; ≤ 0 means every call ended within its deadline. */
  worstOverrunMs: number;
}

/**
 * Closed-loop load: `concurrency` workers call back to back for `durationMs` (wall time). A worker whose
 * call was rejected at once yields to the event loop (like any real client would) before the next call.
 */
export async function drive(
  m: McpManager,
  opts: {
    server: string;
    tool?: string;
    args?: Record<string, unknown>;
    concurrency: number;
    durationMs: number;
    timeoutMs: number;
    idempotent?: boolean;
  },
): Promise<DriveResult> {
  const res: DriveResult = {
    calls: 0,
    ok: 0,
    byCode: {},
    latenciesMs: [],
    worstOverrunMs: Number.NEGATIVE_INFINITY,
  };
  const end = performance.now() + opts.durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const t0 = performance.now();
      res.calls++;
      try {
        const r = await m.callTool(opts.server, opts.tool ?? 'echo', opts.args ?? { message: 'hi' }, {
          timeoutMs: opts.timeoutMs,
          idempotent: opts.idempotent ?? true,
        });
        if (r.isError) res.byCode.TOOL_ERROR = (res.byCode.TOOL_ERROR ?? 0) + 1;
        else res.ok++;
      } catch (e) {
        const code = isChaosError(e) ? e.code : String(e);
        res.byCode[code] = (res.byCode[code] ?? 0) + 1;
      }
      const ms = performance.now() - t0;
      res.latenciesMs.push(ms);
      res.worstOverrunMs = Math.max(res.worstOverrunMs, ms - opts.timeoutMs);
      // A call rejected at once (open circuit) settles in a microtask: yield so timers and I/O still run.
      if (ms < 1) await new Promise((r) => setImmediate(r));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return res;
}

/** Records every event; `of(type)` filters. */
export function recordEvents(m: McpManager) {
  const events: ManagerEvent[] = [];
  m.onEvent((e) => events.push(e));
  const of = <T extends ManagerEvent['type']>(type: T) =>
    events.filter((e): e is Extract<ManagerEvent, { type: T }> => e.type === type);
  return { events, of };
}

/** Polls `fn` every 20 ms until it returns true or `timeoutMs` passes; returns whether it did. */
export async function eventually(fn: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return fn();
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}
