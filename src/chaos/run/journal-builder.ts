/** Assembling the {@link Journal} of a run: verdict, exit code, statistics, replay command. */

import type { History, HistoryEvent } from '../history.js';
import type { HarnessLane, Journal, Verdict } from '../journal.js';
import type { Plan } from '../scenario/index.js';
import { lanes, summarize, timeline } from '../stats/index.js';
import { VERDICT_EXIT } from '../verdict-exit.js';
import { allHeld, type Evaluation, onlyInconclusive } from './evaluate.js';
import type { RollbackResult } from './rollback.js';
import { runtimeVersions } from './versions.js';

export interface JournalInput {
  plan: Plan;
  seed: number;
  timeScale: number;
  file: string;
  toxiproxyUrl: string;
  toxiproxyVersion: string;
  sut: NonNullable<Journal['sut']>;
  startedAtMs: number;
  endedAtMs: number;
  history: History;
  evaluation: Evaluation;
  rollback: RollbackResult;
  /** Infrastructure errors (and "aborted: …"). */
  errors: string[];
  aborted: boolean;
  /** Keep at most this many history events; beyond, call events are sampled. */
  maxEvents: number;
  /** The harness watching itself. */
  harness?: HarnessLane;
}

/** Quotes an argument for a POSIX shell when needed. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `npx mcp-chaos run <file> --seed N [--time-scale F]`. */
export function replayCommand(file: string, seed: number, timeScale: number): string {
  const parts = ['npx', 'mcp-chaos', 'run', shellQuote(file), '--seed', String(seed)];
  if (timeScale !== 1) parts.push('--time-scale', String(timeScale));
  return parts.join(' ');
}

/**
 * Verdict and exit code: rollback failed (4) > interrupted (130) > infrastructure (3) > deviated (1) >
 * inconclusive (5: every check that did not hold is inconclusive, chaos/starvation) > passed (0).
 */
export function verdictOf(
  rollbackOk: boolean,
  errors: readonly string[],
  evaluation: Evaluation,
  interrupted = false,
): Pick<Journal, 'verdict' | 'exitCode'> {
  const verdict: Verdict = !rollbackOk
    ? 'rollback-failed'
    : interrupted
      ? 'interrupted'
      : errors.length > 0
        ? 'infrastructure-error'
        : allHeld(evaluation)
          ? 'passed'
          : onlyInconclusive(evaluation)
            ? 'inconclusive'
            : 'deviated';
  return { verdict, exitCode: VERDICT_EXIT[verdict] };
}

const CALL_EVENTS = new Set(['call-start', 'call-end', 'attempt-start', 'attempt-end']);

/** Keeps every state event and a stride of call events (whole calls, by callId) to fit `max`. */
function sampleHistory(history: History, max: number): { history: History; truncated: boolean } {
  const events = history.events;
  if (events.length <= max) return { history, truncated: false };
  let callEvents = 0;
  for (const e of events) if (CALL_EVENTS.has(e.type)) callEvents++;
  const room = Math.max(0, max - (events.length - callEvents));
  const stride = Math.max(1, Math.ceil(callEvents / Math.max(1, room)));
  const kept: HistoryEvent[] = [];
  for (const e of events) {
    if (!CALL_EVENTS.has(e.type)) kept.push(e);
    else if (Math.abs((e as { callId: number }).callId) % stride === 0) kept.push(e);
  }
  return { history: { ...history, events: kept }, truncated: true };
}

export function buildJournal(i: JournalInput): Journal {
  const { verdict, exitCode } = verdictOf(i.rollback.ok, i.errors, i.evaluation, i.aborted);
  const sampled = sampleHistory(i.history, i.maxEvents);
  const v = runtimeVersions();
  const journal: Journal = {
    version: 1,
    scenario: {
      name: i.plan.name,
      file: i.file,
      ...(i.plan.description !== undefined ? { description: i.plan.description } : {}),
    },
    seed: i.seed,
    timeScale: i.timeScale,
    versions: { mcpChaos: v.mcpChaos, node: v.node, sdk: v.sdk, toxiproxy: i.toxiproxyVersion },
    toxiproxyUrl: i.toxiproxyUrl,
    sut: i.sut,
    startedAt: new Date(i.startedAtMs).toISOString(),
    endedAt: new Date(i.endedAtMs).toISOString(),
    verdict,
    exitCode,
    replay: replayCommand(i.file, i.seed, i.timeScale),
    summary: summarize(i.history),
    steadyState: i.evaluation.steadyState,
    // timedAt served the starvation review; the journal keeps the violations themselves
    invariants: i.evaluation.invariants.map(({ timedAt: _, ...r }) => r),
    thresholds: i.evaluation.thresholds,
    rollback: i.rollback,
    faults: i.history.faults,
    timeline: timeline(i.history),
    lanes: lanes(i.history),
    errors: [...i.errors],
    history: sampled.history,
  };
  if (i.harness) journal.harness = i.harness;
  if (sampled.truncated) journal.historyTruncated = true;
  return journal;
}
