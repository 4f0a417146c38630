/**
 * `retry-budget-respected`: per server, the retry attempts in flight (attempt-start of kind `retry` not
 * yet matched by its attempt-end) never exceed
 * max(budget.minPerSecond, budget.ratio × calls started in the trailing `window`) + `tolerance`.
 *
 * A retry is judged only once the history covers its whole trailing window (from the server's first
 * recorded call on): calls before that (e.g. a runner's warm-up, which is left out of the history) were
 * seen by the manager's budget but not by this check, so judging them would be a false alarm.
 *
 * Params: `tolerance` (number ≥ 0, default 1: the manager's own window may be bucketed and so see a few
 * more calls than the exact trailing window), `window` (duration, default 1s).
 */
import type { HistoryEvent } from '../history.js';
import { historyIndex, serverOf } from '../stats/index.js';
import type { Invariant, ParamDoc } from './invariant.js';
import { checkKeys, durationParam, numberParam } from './params.js';
import { at, invariantResult, plural, ViolationList } from './violations.js';

export interface RetryBudgetParams extends Record<string, unknown> {
  tolerance: number;
  windowMs: number;
}

const NAME = 'retry-budget-respected';

/** Params by YAML name. */
const PARAMS: Readonly<Record<string, ParamDoc>> = {
  tolerance: { kind: 'number', doc: 'Extra retries tolerated over the budget (default 1).' },
  window: { kind: 'duration', doc: 'Trailing window the budget is measured over (default 1s).' },
};

export const retryBudgetRespected: Invariant<RetryBudgetParams> = {
  name: NAME,
  description:
    'Concurrent retries per server stay within max(minPerSecond, ratio × calls started in the last second).',
  paramDocs: PARAMS,
  params(raw) {
    const r = checkKeys(NAME, raw, Object.keys(PARAMS));
    const windowMs = durationParam(NAME, r, 'window') ?? 1000;
    if (windowMs <= 0) throw new RangeError(`invariant ${NAME}: param window must be > 0, got ${windowMs}`);
    return { tolerance: numberParam(NAME, r, 'tolerance', { min: 0 }) ?? 1, windowMs };
  },
  check(history, params) {
    const v = new ViolationList();
    const index = historyIndex(history);
    const calls = index.calls;
    const lanes = new Map<string, Lane>();
    const lane = (server: string): Lane => {
      let l = lanes.get(server);
      if (!l) {
        const b = history.settings[server]?.retry.budget ?? { ratio: 0.2, minPerSecond: 3 };
        const si = calls.servers.indexOf(server);
        const starts: number[] = [];
        for (let i = 0; i < calls.size; i++) if (calls.server[i] === si) starts.push(calls.startT[i]!);
        l = {
          ratio: b.ratio,
          minPerSecond: b.minPerSecond,
          starts,
          head: 0,
          tail: 0,
          active: new MinHeap(),
          peak: 0,
        };
        lanes.set(server, l);
      }
      return l;
    };
    const retries = index.retries;
    for (let r = 0; r < retries.length; r++) {
      const e = retries[r]!;
      const seq = index.retryEndSeq[r]! < 0 ? Number.POSITIVE_INFINITY : index.retryEndSeq[r]!;
      const l = lane(serverOf(history, e.endpoint));
      // Retries that ended before this one started are no longer in flight.
      const startSeq = index.retrySeq[r]!;
      while (l.active.size > 0 && l.active.peek()!.endSeq < startSeq) l.active.pop();
      l.active.push({ endSeq: seq, event: e });
      l.peak = Math.max(l.peak, l.active.size);
      while (l.tail < l.starts.length && l.starts[l.tail]! <= e.t) l.tail++;
      while (l.head < l.tail && l.starts[l.head]! <= e.t - params.windowMs) l.head++;
      if (l.starts.length === 0 || e.t - params.windowMs < l.starts[0]!) continue;
      const recent = l.tail - l.head;
      const allowed = Math.max(l.minPerSecond, l.ratio * recent);
      if (l.active.size > allowed + params.tolerance) {
        const size = l.active.size;
        const held = l.active.items().map((x) => x.event);
        v.addLazy(e.t, () => ({
          message:
            `${size} retries in flight on ${serverOf(history, e.endpoint)} at ${at(e.t)}, budget allows ` +
            `${round(allowed)} (max(${l.minPerSecond}, ${l.ratio} × ${recent} calls in the last ` +
            `${params.windowMs}ms)) + tolerance ${params.tolerance}`,
          events: held.slice(-8),
          endpoint: e.endpoint,
        }));
      }
    }
    let peak = 0;
    for (const l of lanes.values()) peak = Math.max(peak, l.peak);
    const summary =
      v.count === 0
        ? `${plural(retries.length, 'retry', 'retries')}, at most ${peak} in flight per server, within budget`
        : `${plural(v.count, 'retry', 'retries')} started over budget (peak ${peak} in flight)`;
    return invariantResult(NAME, params, v, summary);
  },
};

interface Lane {
  ratio: number;
  minPerSecond: number;
  /** Start times of the server's calls; [head, tail) are those in the trailing window. */
  starts: number[];
  head: number;
  tail: number;
  active: MinHeap;
  peak: number;
}

/** A binary min-heap of in-flight retries by the position of their end. */
class MinHeap {
  private readonly a: Array<{ endSeq: number; event: HistoryEvent }> = [];
  get size(): number {
    return this.a.length;
  }
  items(): Array<{ endSeq: number; event: HistoryEvent }> {
    return [...this.a].sort((x, y) => x.event.t - y.event.t);
  }
  peek() {
    return this.a[0];
  }
  push(x: { endSeq: number; event: HistoryEvent }): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]!.endSeq <= a[i]!.endSeq) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): void {
    const a = this.a;
    const last = a.pop()!;
    if (a.length === 0) return;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]!.endSeq < a[m]!.endSeq) m = l;
      if (r < a.length && a[r]!.endSeq < a[m]!.endSeq) m = r;
      if (m === i) return;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
