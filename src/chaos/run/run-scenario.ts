/**
 * `runScenario`: one scenario run, end to end —
 * targets → Toxiproxy → proxies → manager → steady state before → load + fault timeline → drain →
 * rollback of faults → steady state after → teardown → invariants, thresholds → {@link Journal}.
 * Rollback and teardown always run (success, failure, exception, abort), each step guarded.
 */
import { type Clock, systemClock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { randomSeed, SeededRng } from '../../core/rng.js';
import type { HistoryEvent } from '../history.js';
import type { Journal } from '../journal.js';
import { type Plan, planScenario, type Scenario } from '../scenario/index.js';
import {
  reviewStarvation,
  reviewUnplannedOutages,
  STARVED_FLOOR_MS,
  STARVED_LOST_MS,
  STARVED_PRESSURE,
  starvationContext,
  starvedStretches,
} from '../starvation/index.js';
import { blackBoxFleetControl } from './black-box-deploys.js';
import { DeployRunner } from './deploy-runner.js';
import { evaluateRun } from './evaluate.js';
import { RunFaultActuator } from './fault-actuator.js';
import { FaultTimeline } from './fault-timeline.js';
import { FleetSlots } from './fleet-slots.js';
import { GatewayProcess } from './gateway-process.js';
import { HarnessMonitor } from './harness-monitor.js';
import { rebaseHistory } from './history-rebase.js';
import { buildJournal } from './journal-builder.js';
import { LoadGenerator } from './load-generator.js';
import { ManagerHarness } from './manager-harness.js';
import {
  BLACK_BOX_SETTLE_MS,
  drainTimeoutMs,
  recoverySettleMs,
  steadyWindowMs,
  toFaultSteps,
  toLoadStreams,
} from './plan-adapter.js';
import { RollbackLog } from './rollback.js';
import { RunFleet } from './run-fleet.js';
import type { RunOptions } from './run-options.js';
import { gatewayClient } from './sut-client.js';

export type { RunOptions } from './run-options.js';

/** When deploy `name`'s window closed (ms since load start), or the end of load if it never did. */
function deployEnd(
  events: readonly HistoryEvent[],
  name: string,
  origin: number,
  durationMs: number,
): number {
  const end = events.find((e) => e.type === 'fault' && e.fault === name && e.action === 'rollback');
  return end ? end.t - origin : durationMs;
}

function isPlan(x: Plan | Scenario): x is Plan {
  return 'endpoints' in x && 'timeScale' in x;
}

/** Runs one scenario (or an already made plan) and returns its journal. Never throws for run failures. */
export async function runScenario(input: Plan | Scenario, options: RunOptions = {}): Promise<Journal> {
  const clock: Clock = options.clock ?? systemClock;
  const timeScale = isPlan(input) ? input.timeScale : (options.timeScale ?? 1);
  const plan = isPlan(input) ? input : planScenario(input, { timeScale });
  const seed = (options.seed ?? plan.seed ?? randomSeed()) >>> 0;
  const rng = new SeededRng(seed);
  const log = options.log ?? (() => {});
  const startedAtMs = clock.now();
  // the harness watches itself from the steady state before on: start-up (module loading, JIT, warm-up)
  // stalls the loop at idle too, and nothing is judged there
  const monitor = new HarnessMonitor(clock);
  const events: HistoryEvent[] = [];
  const errors: string[] = [];
  const rollback = new RollbackLog(clock);
  const fleet = new RunFleet(plan, { clock, rng, seed, options, log });
  const gateway =
    plan.sut.kind === 'gateway'
      ? new GatewayProcess(plan.sut, { clock, log, ...(options.signal ? { signal: options.signal } : {}) })
      : undefined;
  const harness = new ManagerHarness(plan, {
    clock,
    rng,
    options,
    events,
    log,
    ...(gateway && plan.sut.kind === 'gateway' ? { client: gatewayClient(plan.sut, gateway, plan) } : {}),
  });
  const phase = (p: 'steady-before' | 'load' | 'load-end' | 'rollback' | 'steady-after' | 'done') =>
    events.push({ type: 'phase', t: clock.now(), phase: p });

  let origin = startedAtMs;
  let stage: 'before' | 'load' | 'after' = 'before';
  let loadCompleted = false;
  let aborted = false;
  let timeline: FaultTimeline | undefined;
  let deployer: DeployRunner | undefined;
  const slots = new FleetSlots(plan.servers);
  let load: LoadGenerator | undefined;
  const steady = {
    before: undefined as [number, number] | undefined,
    after: undefined as [number, number] | undefined,
  };
  const signal = options.signal;
  const checkAbort = () => {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  };

  try {
    checkAbort();
    await fleet.start();
    await gateway?.start(fleet.upstreams());
    await harness.start(fleet);
    checkAbort();
    await harness.warmUp();
    checkAbort();
    await harness.settle();
    checkAbort();
    monitor.start();
    load = new LoadGenerator(toLoadStreams(plan, harness.effectiveSettings), {
      clock,
      rng: rng.fork('load'),
      call: harness.callFn(),
      onRejected: harness.onRejected,
      onSendLag: monitor.noteSendLag,
    });
    harness.watchProgress(
      () => origin,
      () => stage,
      () => monitor.recentLagMs(),
    );
    const steadyMs = steadyWindowMs(plan);
    if (steadyMs > 0) {
      phase('steady-before');
      const from = clock.now();
      await load.run(steadyMs, { ramp: false, ...(signal ? { signal } : {}) });
      steady.before = [from, clock.now()];
      checkAbort();
    }
    deployer = new DeployRunner({
      clock,
      slots,
      host: fleet,
      control: gateway ? blackBoxFleetControl(fleet, clock) : harness.fleetControl(),
      record: (e) => events.push(e),
      log,
      durationMs: plan.durationMs,
    });
    timeline = new FaultTimeline(
      toFaultSteps(plan),
      new RunFaultActuator({
        clock,
        control: fleet.control,
        proxyOf: fleet.proxyOf,
        relayOf: fleet.relayOf,
        targets: fleet.targets,
        stdioPid: (id) =>
          fleet.isStdio(id) ? (fleet.relayedPid(id) ?? harness.pidOf(id) ?? fleet.childPid(id)) : undefined,
        log,
        seed,
      }),
      clock,
      (e) => events.push(e),
      deployer,
    );
    origin = clock.now();
    stage = 'load';
    phase('load');
    timeline.start(plan.durationMs);
    await load.run(plan.durationMs, signal ? { signal } : {});
    phase('load-end');
    stage = 'after';
    checkAbort();
    loadCompleted = true;
  } catch (e) {
    if (signal?.aborted) {
      aborted = true;
      errors.push(`aborted: ${errorMessage(signal.reason ?? e)}`);
    } else {
      errors.push(errorMessage(e));
    }
  }

  // Faults: stop the timeline, wait for calls in flight (bounded), undo every fault still in place.
  await rollback.step('stop fault timeline', () => timeline?.stop());
  if (load) {
    const drained = await load.drain(
      aborted ? 1000 : drainTimeoutMs(plan, harness.effectiveSettings, options),
    );
    if (!drained)
      log({ level: 'warn', msg: `${load.inFlight} call(s) still in flight after load; cancelling them` });
  }
  phase('rollback');
  await fleet.rollbackFaults(
    rollback,
    timeline,
    deployer && { runner: deployer, interrupted: aborted || signal?.aborted === true },
    aborted || signal?.aborted === true,
  );
  if (timeline) errors.push(...timeline.errors);

  // Steady state after: only when the run got through its load cleanly.
  if (
    load &&
    loadCompleted &&
    !aborted &&
    errors.length === 0 &&
    rollback.errors.length === 0 &&
    plan.steadyState.length > 0
  ) {
    try {
      phase('steady-after');
      const settle = gateway ? BLACK_BOX_SETTLE_MS * timeScale : recoverySettleMs(harness.effectiveSettings);
      const w = steadyWindowMs(plan);
      const start = clock.now();
      await load.run(settle + w, { ramp: false, ...(signal ? { signal } : {}) });
      steady.after = [start + settle, clock.now()];
      await load.drain(drainTimeoutMs(plan, harness.effectiveSettings, options));
      if (signal?.aborted) {
        aborted = true;
        errors.push(`aborted: ${errorMessage(signal.reason)}`);
      }
    } catch (e) {
      errors.push(`steady state after: ${errorMessage(e)}`);
    }
  }

  // Teardown: calls in flight cancelled, proxies deleted, manager closed, processes, mocks, Toxiproxy stopped.
  harness.stopCalls();
  await fleet.deleteProxies(rollback);
  await harness.close(rollback);
  if (gateway) await rollback.step('stop the gateway under test', () => gateway.stop());
  await fleet.stop(rollback);
  phase('done');
  monitor.stop();

  // endpoints a deploy added, and faults that followed a replica slot to the replica filling it
  const ran = {
    durationMs: plan.durationMs,
    endpoints: slots.endpoints(),
    faults: plan.faults.map((f) => ({
      ...f,
      endpoints: timeline ? timeline.endpointsOf(f) : f.endpoints,
      // a deploy ends when it completes, halts or is rolled back: known now, not when planned
      endT: f.kind === 'deploy' ? deployEnd(events, f.name, origin, plan.durationMs) : f.endT,
    })),
  };
  const history = rebaseHistory(events, origin, ran, harness.effectiveSettings, fleet.executions());
  history.stalls = monitor.stalls(origin);
  const samples = monitor.samples(origin);
  const stretches = starvedStretches(samples);
  const windows = {
    before: steady.before && ([steady.before[0] - origin, steady.before[1] - origin] as [number, number]),
    after: steady.after && ([steady.after[0] - origin, steady.after[1] - origin] as [number, number]),
  };
  const evaluation =
    loadCompleted && !aborted
      ? evaluateRun(plan, history, windows)
      : { steadyState: { before: [], after: [] }, invariants: [], thresholds: [], errors: [] };
  errors.push(...evaluation.errors);
  const starvation = starvationContext(plan, history, stretches);
  reviewStarvation(plan, history, evaluation, windows, starvation);
  reviewUnplannedOutages(plan, history, evaluation, windows, starvation.reachMs);

  return buildJournal({
    plan,
    seed,
    timeScale,
    file: options.file ?? plan.file,
    toxiproxyUrl: fleet.toxiproxyUrl,
    toxiproxyVersion: fleet.toxiproxyVersion,
    sut: gateway ? { kind: 'gateway', command: gateway.description } : { kind: 'manager' },
    startedAtMs,
    endedAtMs: clock.now(),
    history,
    evaluation,
    rollback: rollback.result(),
    errors,
    aborted,
    maxEvents: options.maxJournalEvents ?? 200_000,
    harness: {
      samples,
      stretches,
      floorMs: STARVED_FLOOR_MS,
      lostFloorMs: STARVED_LOST_MS,
      pressureFloor: STARVED_PRESSURE,
      ...(options.preflight ? { preflight: options.preflight } : {}),
    },
  });
}
