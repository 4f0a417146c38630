/**
 * Collecting violations: every one is counted, the earliest `maxViolations` are kept (with at most
 * `maxEventsPerViolation` events each), so a badly broken run still yields a small result.
 */
import { secondsText } from '../../core/index.js';
import type { HistoryEvent } from '../history.js';
import type { InvariantResult, Violation } from './invariant.js';

/** Violations kept per invariant result. */
export const maxViolations = 20;
/** Events kept per violation. */
export const maxEventsPerViolation = 8;

/**
 * Counts every violation and keeps the `max` earliest by time (ties: the first added), sorted by time —
 * so the kept list does not depend on the order an invariant happens to find them in.
 */
export class ViolationList {
  readonly items: Violation[] = [];
  count = 0;
  /** When each time-caused violation happened (every one, kept or not). */
  readonly timedAt: number[] = [];
  constructor(private readonly max = maxViolations) {}

  add(
    message: string,
    t: number,
    events: Array<HistoryEvent | undefined> = [],
    endpoint?: string,
    cause?: 'time',
  ): void {
    this.addLazy(t, () => ({ message, events, endpoint }), cause);
  }

  /** Like add, but builds the message only when the violation is kept. */
  addLazy(
    t: number,
    build: () => { message: string; events?: Array<HistoryEvent | undefined>; endpoint?: string | undefined },
    cause?: 'time',
  ): void {
    this.count++;
    if (cause === 'time') this.timedAt.push(t);
    const items = this.items;
    if (items.length >= this.max && !(t < items[items.length - 1]!.t)) return;
    const b = build();
    const v: Violation = {
      message: b.message,
      t,
      events: (b.events ?? [])
        .filter((e): e is HistoryEvent => e !== undefined)
        .slice(0, maxEventsPerViolation),
    };
    if (b.endpoint !== undefined) v.endpoint = b.endpoint;
    if (cause !== undefined) v.cause = cause;
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (items[mid]!.t <= t) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, v);
    if (items.length > this.max) items.pop();
  }

  /** True once the kept list is full (callers may skip building expensive messages). */
  get full(): boolean {
    return this.items.length >= this.max;
  }
}

/** Assembles an InvariantResult; `held` is true iff no violation was counted. */
export function invariantResult(
  name: string,
  params: Record<string, unknown>,
  violations: ViolationList,
  summary: string,
): InvariantResult {
  const r: InvariantResult = {
    name,
    held: violations.count === 0,
    params,
    violations: violations.items,
    violationCount: violations.count,
    summary,
  };
  if (violations.timedAt.length > 0) r.timedAt = violations.timedAt;
  return r;
}

/** `t=1.234s`-style time for messages (ms since load start). */
export function at(t: number): string {
  return secondsText(t);
}

/** Plural helper: `3 calls`, `1 call`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}

/**
 * An invariant tied to faults that judged none of them has not shown anything: it fails as vacuous,
 * naming why each case was not judged — unless the scenario says `allowVacuous: true`.
 */
export function failIfVacuous(
  v: ViolationList,
  judged: number,
  notJudged: number,
  reasons: Iterable<string>,
  allowVacuous: boolean | undefined,
  /** What is said when there was nothing to judge at all. */
  nothing = 'no fault it applies to',
): string | undefined {
  if (judged > 0 || v.count > 0 || allowVacuous === true) return undefined;
  const why = [...reasons].slice(0, 4).join('; ');
  const what = notJudged === 0 ? nothing : `${notJudged} case(s), none judged${why ? ` (${why})` : ''}`;
  const message = `vacuous: ${what} — nothing was checked (allowVacuous: true accepts that)`;
  v.add(message, 0);
  return message;
}
