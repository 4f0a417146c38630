/**
 * The journal's whole-run summary. Calls are counted from `call-start` events; a call without a
 * `call-end` counts as failed (outcome `unfinished` in `byOutcome`). Latency percentiles are exact
 * (nearest rank) over every finished call, successful or not. With no calls, availability is 1.
 */
import type { History } from '../history.js';
import type { Journal } from '../journal.js';
import { historyIndex } from './history-index.js';
import { percentileSorted } from './percentile.js';

export type Summary = Journal['summary'];

export function summarize(history: History): Summary {
  const index = historyIndex(history);
  const table = index.calls;
  const byOutcome: Record<string, number> = {};
  const lat = new Float64Array(table.size);
  let finished = 0;
  let succeeded = 0;
  let unfinished = 0;
  for (let i = 0; i < table.size; i++) {
    const o = table.outcome[i];
    if (o === undefined) {
      unfinished++;
      continue;
    }
    byOutcome[o] = (byOutcome[o] ?? 0) + 1;
    if (table.ok[i] === 1) succeeded++;
    const l = table.latencyMs[i]!;
    if (Number.isFinite(l)) lat[finished++] = l;
  }
  if (unfinished > 0) byOutcome['unfinished'] = unfinished;
  const sorted = lat.subarray(0, finished).sort();
  let breakerOpenings = 0;
  for (const e of index.breaker) if (e.to === 'open') breakerOpenings++;
  let ejections = 0;
  for (const e of index.ejection) if (e.ejected) ejections++;
  const pct = (p: number) => (finished === 0 ? 0 : percentileSorted(sorted, p));
  return {
    calls: table.size,
    succeeded,
    failed: table.size - succeeded,
    availability: table.size === 0 ? 1 : succeeded / table.size,
    p50Ms: pct(50),
    p95Ms: pct(95),
    p99Ms: pct(99),
    maxMs: finished === 0 ? 0 : sorted[finished - 1]!,
    retries: index.retries.length,
    breakerOpenings,
    healthTransitions: index.health.length,
    ejections,
    byOutcome,
  };
}
