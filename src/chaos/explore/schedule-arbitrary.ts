/**
 * fast-check arbitraries of fault schedules over the exploration fleet. Every value — generated or shrunk
 * — is valid for the scenario validator: the raw list is mapped through {@link normalizeSchedule}, and
 * fast-check shrinks the raw list, so shrinking never leaves the valid space.
 *
 * Shrinking goes towards: fewer faults (any one can be dropped), earlier and shorter faults, replica 0, and the simplest action
 * (the first alternative of each choice: `down`, then a blackhole, …), toxicity 1, downstream.
 */
import fc from 'fast-check';
import type { ExploreFleet } from './fleet.js';
import { type FaultActionDoc, normalizeSchedule, type ScheduledFault, type ToxicDoc } from './schedule.js';

/** A fault shorter than this reaches so few calls that whether a replay sees it is down to chance. */
export const DEFAULT_MIN_FOR_MS = 1000;

/** Which kinds of faults the generator may pick. */
export type ActionKind =
  | 'down'
  | 'blackhole'
  | 'reset-peer'
  | 'latency-over-timeout'
  | 'latency-under-timeout'
  | 'limit-data'
  | 'bandwidth'
  | 'slicer'
  | 'process-kill'
  | 'process-pause'
  | 'process-restart';

export const NETWORK_ACTIONS: readonly ActionKind[] = Object.freeze([
  'down',
  'blackhole',
  'reset-peer',
  'latency-over-timeout',
  'latency-under-timeout',
  'limit-data',
  'bandwidth',
  'slicer',
]);

export const PROCESS_ACTIONS: readonly ActionKind[] = Object.freeze([
  'process-kill',
  'process-pause',
  'process-restart',
]);

export interface ScheduleArbitraryOptions {
  fleet: ExploreFleet;
  /** The manager's call timeout (nominal ms): latency faults are drawn above or below it. */
  callTimeoutMs: number;
  /** At most this many faults (default 3, ≥ 1). */
  maxFaults?: number;
  /** Allowed actions (default every network action; add {@link PROCESS_ACTIONS} for process faults). */
  actions?: readonly ActionKind[];
  /** Time grid of `at`/`for` (ms, default 100). */
  stepMs?: number;
  /** Shortest fault (ms, default 1000: shorter faults reach too few calls for a counterexample to replay reliably) and longest (default 60% of the run). */
  minForMs?: number;
  maxForMs?: number;
  /** Draw toxicity < 1 sometimes (default true). */
  partialToxicity?: boolean;
}

const toxic = (t: ToxicDoc): FaultActionDoc => ({ toxic: t });

/** One action of the given kind. */
function actionArb(kind: ActionKind, callTimeoutMs: number, toxicExtras: fc.Arbitrary<Partial<ToxicDoc>>) {
  const withExtras = (a: fc.Arbitrary<ToxicDoc>) =>
    fc.tuple(a, toxicExtras).map(([t, extra]) => toxic({ ...t, ...extra }));
  const step = (lo: number, hi: number, by: number) =>
    fc
      .integer({ min: Math.ceil(lo / by), max: Math.max(Math.ceil(lo / by), Math.floor(hi / by)) })
      .map((k) => k * by);
  switch (kind) {
    case 'down':
      return fc.constant<FaultActionDoc>({ down: true });
    case 'blackhole':
      return withExtras(fc.constant({ type: 'timeout', attributes: { timeout: 0 } }));
    case 'reset-peer':
      return withExtras(
        fc
          .oneof(fc.constant(0), step(50, 500, 50))
          .map((timeout): ToxicDoc => ({ type: 'reset_peer', attributes: { timeout } })),
      );
    case 'latency-over-timeout':
      return withExtras(
        step(callTimeoutMs * 1.25, callTimeoutMs * 3, 50).map(
          (latency): ToxicDoc => ({ type: 'latency', attributes: { latency, jitter: 0 } }),
        ),
      );
    case 'latency-under-timeout':
      return withExtras(
        fc.tuple(step(20, callTimeoutMs * 0.6, 10), fc.integer({ min: 0, max: 4 })).map(
          ([latency, j]): ToxicDoc => ({
            type: 'latency',
            attributes: { latency, jitter: Math.round((latency * j) / 20) },
          }),
        ),
      );
    case 'limit-data':
      return withExtras(
        fc
          .integer({ min: 0, max: 2048 })
          .map((bytes): ToxicDoc => ({ type: 'limit_data', attributes: { bytes } })),
      );
    case 'bandwidth':
      // rate ≥ 1: 0 is rejected by the embedded proxy and undefined in Toxiproxy (a zero divisor).
      return withExtras(
        fc.integer({ min: 1, max: 8 }).map((rate): ToxicDoc => ({ type: 'bandwidth', attributes: { rate } })),
      );
    case 'slicer':
      return withExtras(
        fc
          .record({
            size: fc.integer({ min: 1, max: 64 }),
            variation: fc.integer({ min: 0, max: 100 }),
            delay: step(0, 2000, 100),
          })
          .map(
            ({ size, variation, delay }): ToxicDoc => ({
              type: 'slicer',
              attributes: {
                average_size: size,
                size_variation: Math.floor(((size - 1) * variation) / 100),
                delay,
              },
            }),
          ),
      );
    case 'process-kill':
      return fc.constant<FaultActionDoc>({ process: 'kill' });
    case 'process-pause':
      return fc.constant<FaultActionDoc>({ process: 'pause' });
    case 'process-restart':
      return fc.constant<FaultActionDoc>({ process: 'restart' });
  }
}

/** Replica targets, simplest first: `svc[0]`…, then `svc[50%]` and `svc[*]`. */
export function targetChoices(fleet: ExploreFleet): string[] {
  const single = Array.from({ length: fleet.replicas }, (_, i) => `${fleet.server}[${i}]`);
  return [...single, `${fleet.server}[50%]`, `${fleet.server}[*]`];
}

/** One raw fault (before normalisation). */
export function faultArbitrary(o: ScheduleArbitraryOptions): fc.Arbitrary<ScheduledFault> {
  const stepMs = o.stepMs ?? 100;
  const minFor = o.minForMs ?? DEFAULT_MIN_FOR_MS;
  const maxFor = Math.max(minFor, o.maxForMs ?? Math.round(o.fleet.durationMs * 0.6));
  const lastAt = Math.max(0, o.fleet.durationMs - minFor);
  const kinds = o.actions ?? NETWORK_ACTIONS;
  if (kinds.length === 0) throw new RangeError('actions must name at least one action kind');
  const partial = o.partialToxicity ?? true;
  const toxicExtras: fc.Arbitrary<Partial<ToxicDoc>> = fc
    .record({
      upstream: fc.boolean(),
      toxicity: partial ? fc.constantFrom(1, 0.9, 0.5) : fc.constant(1),
    })
    .map(({ upstream, toxicity }) => ({
      ...(upstream ? { stream: 'upstream' as const } : {}),
      ...(toxicity < 1 ? { toxicity } : {}),
    }));
  const action = fc.oneof(
    { withCrossShrink: true },
    ...kinds.map((k) => actionArb(k, o.callTimeoutMs, toxicExtras)),
  );
  return fc.record({
    atMs: fc.integer({ min: 0, max: Math.floor(lastAt / stepMs) }).map((k) => k * stepMs),
    forMs: fc
      .integer({ min: Math.ceil(minFor / stepMs), max: Math.floor(maxFor / stepMs) })
      .map((k) => k * stepMs),
    target: fc.constantFrom(...targetChoices(o.fleet)),
    action,
  });
}

/**
 * A schedule of 1..maxFaults faults, valid per the scenario validator (see {@link normalizeSchedule}).
 * Built from `maxFaults` optional slots rather than `fc.array`: each slot shrinks to "no fault" on its own,
 * so the shrinker can drop any one fault (fast-check's array shrinker only drops some of them).
 */
export function faultScheduleArbitrary(o: ScheduleArbitraryOptions): fc.Arbitrary<ScheduledFault[]> {
  const maxFaults = o.maxFaults ?? 3;
  if (!Number.isInteger(maxFaults) || maxFaults < 1)
    throw new RangeError(`maxFaults must be an integer ≥ 1, got ${maxFaults}`);
  const minFor = Math.min(o.minForMs ?? DEFAULT_MIN_FOR_MS, o.fleet.durationMs);
  const slot = fc.option(faultArbitrary(o), { nil: null, freq: 3 });
  return fc
    .tuple(...Array.from({ length: maxFaults }, () => slot))
    .map((slots) =>
      normalizeSchedule(
        slots.filter((f): f is ScheduledFault => f !== null),
        { durationMs: o.fleet.durationMs, replicas: o.fleet.replicas, minForMs: minFor },
      ),
    )
    .filter((s) => s.length > 0);
}
