/**
 * `explore`: property-based search for fault schedules that break an invariant. fast-check draws
 * schedules ({@link faultScheduleArbitrary}); each becomes a full scenario, is validated by the real
 * loader and run by the real runner (compressed by `timeScale`); the property fails when the run's verdict
 * is `deviated` on an invariant. fast-check then shrinks the failing schedule — each shrink candidate is
 * another run — and the last failing one is the minimal counterexample.
 *
 * Bounds: a wall-time budget (no run starts after it; fast-check's `interruptAfterTimeLimit` is a
 * backstop) and a cap on shrink runs (past it, candidates are accepted as passing without a run, which
 * ends shrinking at the smallest counterexample so far). Identical schedules are run once (cached).
 * While shrinking, a candidate counts as failing only if it breaks one of the invariants the first
 * counterexample broke, so shrinking keeps the same bug. Infrastructure errors never count as failures;
 * after `maxInfrastructureErrors` in a row the search stops.
 */
import fc from 'fast-check';
import { type Clock, systemClock } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import type { Journal } from '../journal.js';
import { type RunOptions, runScenario } from '../run/index.js';
import type { Scenario } from '../scenario/index.js';
import { classifyJournal, type RunClass } from './classify-journal.js';
import { documentOptions, type ExploreConfig } from './explore-config.js';
import type { ExploreFleet, InvariantEntry, ManagerSection } from './fleet.js';
import { buildExploreScenario, type ScenarioDocument } from './scenario-document.js';
import { validateScenarioDocument } from './scenario-yaml.js';
import type { ScheduledFault } from './schedule.js';
import { faultScheduleArbitrary } from './schedule-arbitrary.js';

export interface ExploreOptions {
  /** Resolved configuration (see `resolveExploreConfig`). */
  config: ExploreConfig;
  /** Seed of the search and of every run, an integer in [0, 2^32). */
  seed: number;
  /** Random schedules to try (default 20). */
  runs?: number;
  /** Time scale of every run (default 0.5). */
  timeScale?: number;
  /** Wall-time budget in ms for search and shrinking; no run starts after it (default: none). */
  timeLimitMs?: number;
  /** Most runs spent shrinking (default 40). */
  maxShrinkRuns?: number;
  /** Consecutive infrastructure errors that stop the search (default 3). */
  maxInfrastructureErrors?: number;
  /** Scenario name of every run (default `explore-<seed>`). */
  name?: string;
  /** Where the counterexample will be written: journals and replay commands name it. */
  file?: string;
  /** Passed to every run (Toxiproxy, logging); seed, timeScale, file and signal are set here. */
  runOptions?: Omit<RunOptions, 'seed' | 'timeScale' | 'file' | 'signal'>;
  /** Aborting stops the run in flight (its rollback still runs) and the search. */
  signal?: AbortSignal;
  clock?: Clock;
  /** Called after every schedule tried (cache hits included). */
  onRun?: (r: ExploredRun) => void;
  /** The runner (default `runScenario`); tests may inject another. */
  runScenario?: (scenario: Scenario, options: RunOptions) => Promise<Journal>;
}

export interface ExploredRun {
  /** Runs so far (cache hits not counted). */
  index: number;
  phase: 'search' | 'shrink';
  schedule: ScheduledFault[];
  result: RunClass;
  /** Same schedule as an earlier run: not run again. */
  cached: boolean;
  /** Wall time of this run (ms, 0 when cached). */
  elapsedMs: number;
  /** While shrinking: whether this candidate kept the bug (so it is the new smallest counterexample). */
  kept?: boolean;
  /** The run's journal (absent when the runner threw). */
  journal?: Journal;
}

export interface Counterexample {
  /** The minimal schedule found. */
  schedule: ScheduledFault[];
  document: ScenarioDocument;
  journal: Journal;
  violated: string[];
  /** The first failing schedule, before shrinking, and what it broke. */
  original: ScheduledFault[];
  originalViolated: string[];
  /** Accepted shrink steps and runs spent shrinking. */
  shrinkSteps: number;
  shrinkRuns: number;
  /** Shrinking stopped at the run cap or the time limit, so a smaller schedule may exist. */
  shrinkCut: boolean;
}

export interface ExploreResult {
  outcome: 'passed' | 'counterexample' | 'infrastructure' | 'aborted';
  seed: number;
  timeScale: number;
  runsRequested: number;
  /** Runs actually made (cache hits not counted), in the search and while shrinking. */
  runs: number;
  searchRuns: number;
  shrinkRuns: number;
  cacheHits: number;
  infrastructureErrors: Array<{ schedule: ScheduledFault[]; errors: string[] }>;
  /** Runs that judged nothing for sure: the harness was starved (verdict inconclusive). */
  inconclusiveRuns: number;
  /** The time limit cut the search or the shrinking short. */
  timedOut: boolean;
  elapsedMs: number;
  counterexample?: Counterexample;
  fleet: ExploreFleet;
  manager: ManagerSection;
  invariants: InvariantEntry[];
}

interface Cached {
  result: RunClass;
  journal?: Journal;
}

const scheduleKey = (s: readonly ScheduledFault[]): string => JSON.stringify(s);

export async function explore(o: ExploreOptions): Promise<ExploreResult> {
  const clock = o.clock ?? systemClock;
  const c = o.config;
  const runs = o.runs ?? 20;
  const timeScale = o.timeScale ?? 0.5;
  const maxShrinkRuns = o.maxShrinkRuns ?? 40;
  const maxInfra = o.maxInfrastructureErrors ?? 3;
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    throw new RangeError(`seed must be an integer in [0, 4294967295], got ${o.seed}`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be an integer ≥ 1, got ${runs}`);
  if (!(timeScale > 0) || !Number.isFinite(timeScale))
    throw new RangeError(`time scale must be > 0, got ${timeScale}`);
  if (!Number.isInteger(maxShrinkRuns) || maxShrinkRuns < 0)
    throw new RangeError(`maxShrinkRuns must be an integer ≥ 0, got ${maxShrinkRuns}`);
  if (o.timeLimitMs !== undefined && !(o.timeLimitMs > 0))
    throw new RangeError(`time limit must be > 0 ms, got ${o.timeLimitMs}`);

  const run = o.runScenario ?? runScenario;
  const name = o.name ?? `explore-${o.seed}`;
  const started = clock.now();
  const deadline = o.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : started + o.timeLimitMs;
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(o.signal?.reason ?? new Error('aborted'));
  if (o.signal?.aborted) onOuterAbort();
  o.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const cache = new Map<string, Cached>();
  const infra: ExploreResult['infrastructureErrors'] = [];
  let infraInARow = 0;
  let inconclusiveRuns = 0;
  let stoppedByInfra = false;
  let timedOut = false;
  let searchRuns = 0;
  let shrinkRuns = 0;
  let cacheHits = 0;
  let shrinkSteps = 0;
  let first: { schedule: ScheduledFault[]; violated: string[] } | undefined;
  let best: { key: string; schedule: ScheduledFault[]; journal: Journal; violated: string[] } | undefined;
  let inFlight: Promise<unknown> | undefined;

  const documentOf = (schedule: readonly ScheduledFault[]) =>
    buildExploreScenario(schedule, documentOptions(c, { name, seed: o.seed }));

  const execute = async (schedule: ScheduledFault[]): Promise<Cached> => {
    const doc = documentOf(schedule);
    const loaded = validateScenarioDocument(doc, o.file ?? `${name}.yaml`);
    if (!loaded.ok) {
      throw new ChaosError('INTERNAL', 'the explorer generated a scenario the loader rejects', {
        details: { problems: loaded.problems, schedule },
      });
    }
    const options: RunOptions = {
      ...o.runOptions,
      seed: o.seed,
      timeScale,
      signal: abort.signal,
      ...(o.file !== undefined ? { file: o.file } : {}),
    };
    const p = run(loaded.scenario, options);
    inFlight = p;
    try {
      const journal = await p;
      return { result: classifyJournal(journal), journal };
    } catch (e) {
      return { result: { kind: 'infrastructure', errors: [errorMessage(e)] } };
    } finally {
      inFlight = undefined;
    }
  };

  const property = fc.asyncProperty(
    faultScheduleArbitrary({
      fleet: c.fleet,
      callTimeoutMs: c.callTimeoutMs,
      maxFaults: c.maxFaults,
      actions: c.actions,
      partialToxicity: c.partialToxicity,
    }),
    async (schedule) => {
      if (abort.signal.aborted || stoppedByInfra) return true;
      const shrinking = first !== undefined;
      if (clock.now() >= deadline) {
        timedOut = true;
        return true;
      }
      if (shrinking && shrinkRuns >= maxShrinkRuns) return true;
      const key = scheduleKey(schedule);
      let entry = cache.get(key);
      const cached = entry !== undefined;
      const t0 = clock.now();
      if (entry) cacheHits++;
      else {
        if (shrinking) shrinkRuns++;
        else searchRuns++;
        entry = await execute(schedule);
        // A run cut short by an abort (Ctrl-C, the time-limit backstop) says nothing about the schedule.
        if (abort.signal.aborted) return true;
        cache.set(key, entry);
      }
      const result = entry.result;
      let failing = false;
      let kept: boolean | undefined;
      if (result.kind === 'violated' && !abort.signal.aborted) {
        if (!first) {
          first = { schedule, violated: result.invariants };
          failing = true;
        } else {
          failing = result.invariants.some((n) => first?.violated.includes(n));
          kept = failing;
        }
        if (failing && entry.journal && best?.key !== key) {
          // A different (smaller) schedule that still fails; the same one again (after normalisation)
          // is not progress.
          if (best) shrinkSteps++;
          best = { key, schedule, journal: entry.journal, violated: result.invariants };
        } else if (failing) kept = false;
      } else if (shrinking) kept = false;
      if (result.kind === 'infrastructure') {
        if (!cached) {
          infra.push({ schedule, errors: result.errors });
          infraInARow++;
          if (infraInARow >= maxInfra) stoppedByInfra = true;
        }
      } else if (!cached) infraInARow = 0;
      if (result.kind === 'inconclusive' && !cached) inconclusiveRuns++;
      o.onRun?.({
        index: searchRuns + shrinkRuns,
        phase: shrinking ? 'shrink' : 'search',
        schedule,
        result,
        cached,
        elapsedMs: cached ? 0 : clock.now() - t0,
        ...(kept !== undefined ? { kept } : {}),
        ...(entry.journal ? { journal: entry.journal } : {}),
      });
      return !failing;
    },
  );

  try {
    await fc.check(property, {
      seed: o.seed | 0,
      numRuns: runs,
      endOnFailure: false,
      markInterruptAsFailure: false,
      // Backstop only: our own budget stops new runs; this cuts a run that hangs well past it.
      ...(o.timeLimitMs !== undefined ? { interruptAfterTimeLimit: o.timeLimitMs + 120_000 } : {}),
    });
  } finally {
    o.signal?.removeEventListener('abort', onOuterAbort);
    if (inFlight) {
      // Interrupted by the backstop: stop the run in flight and let its rollback finish.
      abort.abort(new Error('exploration time limit'));
      timedOut = true;
      await inFlight.catch(() => {});
    }
  }

  const result: ExploreResult = {
    outcome: 'passed',
    seed: o.seed,
    timeScale,
    runsRequested: runs,
    runs: searchRuns + shrinkRuns,
    searchRuns,
    shrinkRuns,
    cacheHits,
    infrastructureErrors: infra,
    inconclusiveRuns,
    timedOut,
    elapsedMs: clock.now() - started,
    fleet: c.fleet,
    manager: c.manager,
    invariants: c.invariants,
  };
  if (best && first) {
    result.outcome = 'counterexample';
    result.counterexample = {
      schedule: best.schedule,
      document: documentOf(best.schedule),
      journal: best.journal,
      violated: best.violated,
      original: first.schedule,
      originalViolated: first.violated,
      shrinkSteps,
      shrinkRuns,
      shrinkCut: shrinkRuns >= maxShrinkRuns || timedOut,
    };
  } else if (o.signal?.aborted) result.outcome = 'aborted';
  else if (stoppedByInfra || (searchRuns > 0 && infra.length === searchRuns))
    result.outcome = 'infrastructure';
  return result;
}
