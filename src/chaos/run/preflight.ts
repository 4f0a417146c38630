/**
 * A preflight before `run`, `explore` and `scorecard`: two seconds of the harness monitor with nothing else
 * running, to see whether this machine keeps time well enough for the scenarios' smallest timeouts. When
 * its timers are already late by half of what those timeouts tolerate, it says so before anything starts
 * — the run goes on, and its journal records the calibration.
 */
import { type Clock, systemClock } from '../../core/clock.js';
import { resolveSettings } from '../../manager/index.js';
import type { PreflightResult } from '../journal.js';
import type { Plan } from '../scenario/index.js';
import {
  BLACK_BOX_TIMEOUT_MS,
  STARVED_PRESSURE,
  smallestTimeoutMs,
  starvationBoundMs,
} from '../starvation/index.js';
import { HarnessMonitor } from './harness-monitor.js';

/** How long the calibration measures (ms). */
export const PREFLIGHT_MS = 2000;

/**
 * The shortest timeout over every planned scenario (their settings resolved as the manager would; a
 * black-box system under test's assumed, {@link BLACK_BOX_TIMEOUT_MS}).
 */
export function plansSmallestTimeoutMs(plans: readonly Plan[]): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (const p of plans) {
    const settings = p.servers.map((s) => resolveSettings(s.settings));
    smallest = Math.min(smallest, smallestTimeoutMs(settings, p.load));
    if (p.sut.kind !== 'manager') smallest = Math.min(smallest, BLACK_BOX_TIMEOUT_MS);
  }
  return Number.isFinite(smallest) ? smallest : smallestTimeoutMs([], []);
}

/** Measures the machine for `ms` and judges it against `timeoutMs`, the smallest timeout to be run. */
export async function preflight(
  timeoutMs: number,
  o: { clock?: Clock; ms?: number; signal?: AbortSignal } = {},
): Promise<PreflightResult> {
  const clock = o.clock ?? systemClock;
  const ms = o.ms ?? PREFLIGHT_MS;
  const monitor = new HarnessMonitor(clock);
  monitor.start();
  try {
    await clock.sleep(ms, o.signal);
  } catch {
    // interrupted: judge what was measured
  } finally {
    monitor.stop();
  }
  const samples = monitor.samples(0);
  const max = (f: (s: (typeof samples)[number]) => number) => Math.max(0, ...samples.map(f));
  const loopP99Ms = max((s) => s.loopP99Ms);
  const loopMaxMs = max((s) => s.loopMaxMs);
  const timerLateMaxMs = max((s) => s.timerLateMaxMs);
  const machineBusy = max((s) => s.machineBusy);
  const pressures = samples.flatMap((s) => (s.cpuPressure === undefined ? [] : [s.cpuPressure]));
  const cpuPressure = pressures.length > 0 ? Math.max(...pressures) : undefined;
  const toleratedMs = starvationBoundMs(timeoutMs);
  const worst = Math.max(loopMaxMs, timerLateMaxMs);
  const ok = worst < toleratedMs / 2 && (cpuPressure ?? 0) < STARVED_PRESSURE;
  const figures =
    `loop delay p99 ${Math.round(loopP99Ms)}ms, max ${Math.round(loopMaxMs)}ms; timers up to ` +
    `${Math.round(timerLateMaxMs)}ms late; machine ${Math.round(machineBusy * 100)}% busy` +
    (cpuPressure !== undefined
      ? `; tasks waited for a CPU ${Math.round(cpuPressure * 100)}% of the time`
      : '');
  const message = ok
    ? `machine calibrated over ${ms / 1000}s: ${figures} — fine for the smallest timeout, ${Math.round(timeoutMs)}ms`
    : `⚠ this machine is too busy for these scenarios: ${figures}, while the smallest timeout, ` +
      `${Math.round(timeoutMs)}ms, tolerates ${Math.round(toleratedMs)}ms of lag and tasks should wait for a ` +
      `CPU less than ${Math.round(STARVED_PRESSURE * 100)}% of the time — time-caused failures may be ` +
      'inconclusive; run on a quieter machine, or with --time-scale 2';
  return {
    ms,
    loopP99Ms,
    loopMaxMs,
    timerLateMaxMs,
    machineBusy,
    ...(cpuPressure !== undefined ? { cpuPressure } : {}),
    smallestTimeoutMs: timeoutMs,
    toleratedMs,
    ok,
    message,
  };
}
