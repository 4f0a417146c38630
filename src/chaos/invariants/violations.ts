/**
 * Collecting violations: every one is counted, the first `maxViolations` are kept (with at most
 * `maxEventsPerViolation` events each), so a badly broken run still yields a small result.
 */
import type { HistoryEvent } from '../history.js';
import type { InvariantResult, Violation } from './invariant.js';

/** Violations kept per invariant result. */
export const maxViolations = 20;
/** Events kept per violation. */
export const maxEventsPerViolation = 8;

export class ViolationList {
  readonly items: Violation[] = [];
  count = 0;
  constructor(private readonly max = maxViolations) {}

  add(message: string, t: number, events: Array<HistoryEvent | undefined> = [], endpoint?: string): void {
    this.count++;
    if (this.items.length >= this.max) return;
    const kept = events.filter((e): e is HistoryEvent => e !== undefined).slice(0, maxEventsPerViolation);
    const v: Violation = { message, t, events: kept };
    if (endpoint !== undefined) v.endpoint = endpoint;
    this.items.push(v);
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
  return {
    name,
    held: violations.count === 0,
    params,
    violations: violations.items,
    violationCount: violations.count,
    summary,
  };
}

/** `t=1.234s`-style time for messages (ms since load start). */
export function at(t: number): string {
  return `${Math.round(t) / 1000}s`;
}

/** Plural helper: `3 calls`, `1 call`. */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
