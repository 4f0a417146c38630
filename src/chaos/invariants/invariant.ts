import type { History, HistoryEvent } from '../history.js';

/** One place where an invariant broke: what, when, and the events that show it. */
export interface Violation {
  message: string;
  /** ms since load start. */
  t: number;
  endpoint?: string;
  events: HistoryEvent[];
  /**
   * `time`: its cause is time — a timeout, a late answer, a missed deadline, detection or recovery too
   * late — so a stretch in which the harness itself was starved may explain it (chaos/starvation).
   * Absent: wrong, missing or refused — never explained by the harness's lag.
   */
  cause?: 'time';
}

export interface InvariantResult {
  name: string;
  held: boolean;
  /** Parameters after defaults. */
  params: Record<string, unknown>;
  /** At most a bounded number of violations are kept (see `maxViolations`). */
  violations: Violation[];
  /** Total violations found (may exceed violations.length). */
  violationCount: number;
  /** One line describing what was checked, e.g. "3 breaker openings, all within 1500ms". */
  summary: string;
  /**
   * Set when it did not hold only for time-caused violations inside stretches where the harness was
   * starved: why it is inconclusive, naming the stretch (chaos/starvation/review.ts).
   */
  inconclusive?: string;
  /** Internal, not in the journal: when each time-caused violation happened (all of them, not just kept). */
  timedAt?: number[];
}

/** One param as YAML writes it, for docs and the JSON Schema (the invariant's `params()` is the judge). */
export interface ParamDoc {
  /** fault: a fault's name; duration: `1500ms`, `2s` or ms; ratio: 0…1 or `N%`. */
  kind: 'fault' | 'server' | 'duration' | 'number' | 'integer' | 'ratio' | 'boolean';
  required?: boolean;
  doc: string;
}

/** An invariant: a pure function over a history. Params come from YAML (durations already in ms). */
export interface Invariant<P extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  description: string;
  /** Its params by YAML name (the only list: `params()` accepts exactly these keys). */
  paramDocs: Readonly<Record<string, ParamDoc>>;
  /**
   * Judged from outside the system under test — the load's own calls, the execution logs and what the
   * relays saw — so it may be used under a black-box `sut: gateway`. Absent: it reads the manager's state.
   */
  blackBox?: boolean;
  /** Fills defaults and validates; throws RangeError naming the bad param. */
  params(raw: Record<string, unknown>): P;
  check(history: History, params: P): InvariantResult;
}
