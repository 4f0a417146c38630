/**
 * Starved stretches: the seconds in which the harness itself lagged — its event loop blocked, its timers
 * late, its load sent behind schedule, or its timers losing a quarter of the second in many short stalls
 * (a process starved of CPU) — merged into stretches. A time-caused failure inside a stretch whose
 * worst lag reaches {@link starvationBoundMs} of the timeouts involved cannot be told apart from the
 * harness's own starvation, so it makes a check inconclusive rather than a deviation (review.ts).
 *
 * The floor is far above what an idle machine shows (a few ms of loop delay; tens during a GC), so an idle
 * run has no stretch and nothing ever turns inconclusive there.
 */
import { secondsText } from '../../core/index.js';
import type { HarnessSample, StarvedStretch } from '../journal.js';

/** A second whose worst lateness reaches this is starved (ms)… */
export const STARVED_FLOOR_MS = 100;
/** …and so is one in which the harness's timers lost this much in all: a process starved of CPU (ms)… */
export const STARVED_LOST_MS = 250;
/**
 * …and one in which some runnable task waited for a CPU this share of the time (Linux PSI): the machine
 * starved the servers, relays and bridges the harness started, even when its own loop kept time.
 */
export const STARVED_PRESSURE = 0.5;

/** The lag that can make a timeout of `timeoutMs` fire: a quarter of it, never below the floor. */
export function starvationBoundMs(timeoutMs: number): number {
  return Math.max(STARVED_FLOOR_MS, timeoutMs / 4);
}

/** The worst lateness of one sample: loop delay, timer lateness or send lag. */
export function sampleWorstMs(s: HarnessSample): number {
  return Math.max(s.loopMaxMs, s.timerLateMaxMs, s.sendLagMaxMs);
}

/**
 * How much a sample's starvation could delay a timeout inside it (ms): its worst single lag, the time its
 * timers lost in all — many short stalls add up the same — or the time tasks waited for a CPU, whichever
 * is more; 0 when not starved.
 */
export function sampleStarvedMs(s: HarnessSample): number {
  const worst = sampleWorstMs(s);
  const waitedMs =
    s.cpuPressure !== undefined && s.cpuPressure >= STARVED_PRESSURE ? s.cpuPressure * s.ms : 0;
  if (worst < STARVED_FLOOR_MS && s.lostMs < STARVED_LOST_MS && waitedMs === 0) return 0;
  return Math.max(worst, s.lostMs, waitedMs);
}

/** Samples this close are consecutive (ms). */
const MERGE_GAP_MS = 250;

/** Consecutive starved samples, merged (samples in time order). */
export function starvedStretches(samples: readonly HarnessSample[]): StarvedStretch[] {
  const out: StarvedStretch[] = [];
  let cur: StarvedStretch | undefined;
  for (const s of samples) {
    const worst = sampleStarvedMs(s);
    if (worst === 0) {
      cur = undefined;
      continue;
    }
    // consecutive samples: the next starts a few ms after one ends (its timer fires late)
    if (cur === undefined || s.t > cur.toT + MERGE_GAP_MS) {
      cur = {
        fromT: s.t,
        toT: s.t + s.ms,
        worstMs: worst,
        loopMaxMs: s.loopMaxMs,
        timerLateMaxMs: s.timerLateMaxMs,
        sendLagMaxMs: s.sendLagMaxMs,
        lostMs: s.lostMs,
        cpuShare: s.cpuShare,
        machineBusy: s.machineBusy,
        ...(s.cpuPressure !== undefined ? { cpuPressure: s.cpuPressure } : {}),
      };
      out.push(cur);
      continue;
    }
    cur.toT = s.t + s.ms;
    cur.worstMs = Math.max(cur.worstMs, worst);
    cur.loopMaxMs = Math.max(cur.loopMaxMs, s.loopMaxMs);
    cur.timerLateMaxMs = Math.max(cur.timerLateMaxMs, s.timerLateMaxMs);
    cur.sendLagMaxMs = Math.max(cur.sendLagMaxMs, s.sendLagMaxMs);
    cur.lostMs += s.lostMs;
    cur.cpuShare = Math.min(cur.cpuShare, s.cpuShare);
    cur.machineBusy = Math.max(cur.machineBusy, s.machineBusy);
    if (s.cpuPressure !== undefined) cur.cpuPressure = Math.max(cur.cpuPressure ?? 0, s.cpuPressure);
  }
  return out;
}

/** The stretch with the worst lag (undefined when none). */
export function worstStretch(stretches: readonly StarvedStretch[]): StarvedStretch | undefined {
  let worst: StarvedStretch | undefined;
  for (const s of stretches) if (worst === undefined || s.worstMs > worst.worstMs) worst = s;
  return worst;
}

/** `[2.000s, 5.000s): loop blocked up to 420 ms, timers 400 ms late, sends 380 ms late, …`. */
export function describeStretch(s: StarvedStretch): string {
  const parts = [
    `event loop blocked up to ${Math.round(Math.max(s.loopMaxMs, s.timerLateMaxMs))}ms at once`,
    `load sent up to ${Math.round(s.sendLagMaxMs)}ms late`,
    `${Math.round(s.lostMs)}ms lost`,
    `this process got ${s.cpuShare.toFixed(2)} of a CPU`,
    `machine ${Math.round(s.machineBusy * 100)}% busy`,
    ...(s.cpuPressure !== undefined
      ? [`tasks waited for a CPU ${Math.round(s.cpuPressure * 100)}% of the time`]
      : []),
  ];
  return `[${secondsText(s.fromT)}, ${secondsText(s.toT)}): ${parts.join(', ')}`;
}
