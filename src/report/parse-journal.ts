/**
 * Reads a saved journal.json back, checking the shape the renderers rely on and listing every problem
 * (not just the first). Throws `ChaosError('INVALID_ARGUMENT')` with `details.problems`.
 */
import type { Journal } from '../chaos/journal.js';
import { ChaosError } from '../core/index.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SUMMARY_NUMBERS = ['calls', 'succeeded', 'failed', 'availability', 'p50Ms', 'p95Ms', 'p99Ms', 'maxMs'];

/** Lists what is missing or mistyped in a parsed journal; empty when it can be rendered. */
export function journalProblems(value: unknown): string[] {
  if (!isObj(value)) return ['the top level must be a JSON object'];
  const p: string[] = [];
  const need = (cond: boolean, msg: string) => {
    if (!cond) p.push(msg);
  };
  need(value.version === 1, `version: expected 1, got ${JSON.stringify(value.version)}`);
  need(isObj(value.scenario) && typeof value.scenario.name === 'string', 'scenario.name: expected a string');
  need(typeof value.seed === 'number', 'seed: expected a number');
  need(typeof value.verdict === 'string', 'verdict: expected a string');
  need(typeof value.startedAt === 'string', 'startedAt: expected an ISO timestamp string');
  need(typeof value.endedAt === 'string', 'endedAt: expected an ISO timestamp string');
  if (!isObj(value.summary)) p.push('summary: expected an object');
  else {
    for (const k of SUMMARY_NUMBERS) {
      need(
        typeof value.summary[k] === 'number' || value.summary[k] === null,
        `summary.${k}: expected a number`,
      );
    }
  }
  for (const k of ['invariants', 'thresholds', 'faults', 'timeline', 'lanes', 'errors']) {
    need(Array.isArray(value[k]), `${k}: expected an array`);
  }
  const ss = value.steadyState;
  need(
    isObj(ss) && Array.isArray(ss.before) && Array.isArray(ss.after),
    'steadyState: expected {before: [], after: []}',
  );
  const rb = value.rollback;
  need(
    isObj(rb) && typeof rb.ok === 'boolean' && Array.isArray(rb.actions) && Array.isArray(rb.errors),
    'rollback: expected {ok, actions: [], errors: []}',
  );
  if (Array.isArray(value.lanes)) {
    value.lanes.forEach((l, i) => {
      need(
        isObj(l) && typeof l.endpoint === 'string' && Array.isArray(l.breaker) && Array.isArray(l.health),
        `lanes[${i}]: expected {endpoint, breaker: [], health: []}`,
      );
    });
  }
  if (Array.isArray(value.faults)) {
    value.faults.forEach((f, i) => {
      need(
        isObj(f) && typeof f.name === 'string' && Array.isArray(f.endpoints) && typeof f.startT === 'number',
        `faults[${i}]: expected {name, endpoints: [], startT, endT, kind, detail}`,
      );
    });
  }
  return p;
}

/** Parses journal.json text. `source` names the file in error messages. */
export function parseJournal(text: string, source = 'journal.json'): Journal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ChaosError('INVALID_ARGUMENT', `${source} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const problems = journalProblems(value);
  if (problems.length > 0) {
    throw new ChaosError(
      'INVALID_ARGUMENT',
      `${source} is not an mcp-chaos journal:\n  ${problems.join('\n  ')}`,
      { details: { problems } },
    );
  }
  const journal = value as Journal;
  // JSON has no Infinity: an open-ended fault was saved with endT null.
  for (const f of journal.faults) if (typeof f.endT !== 'number') f.endT = Number.POSITIVE_INFINITY;
  return journal;
}
