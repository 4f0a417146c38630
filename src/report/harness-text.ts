/**
 * What the journal's harness lane says, in words shared by the Markdown summary, the HTML report and the
 * terminal: the worst second of the harness's own lag, the starved stretches, and the preflight.
 */
import type { HarnessLane, HarnessSample, Journal } from '../chaos/journal.js';

/** `6.00s`: a time since load start. */
const sec = (t: number) => `${(t / 1000).toFixed(2)}s`;

/** The sample with the worst lateness (loop delay, timer lateness or send lag). */
function worstSample(samples: readonly HarnessSample[]): HarnessSample | undefined {
  let worst: HarnessSample | undefined;
  let worstMs = -1;
  for (const s of samples) {
    const ms = Math.max(s.loopMaxMs, s.timerLateMaxMs, s.sendLagMaxMs);
    if (ms > worstMs) {
      worst = s;
      worstMs = ms;
    }
  }
  return worst;
}

function sampleText(s: HarnessSample): string {
  return (
    `loop delay p99 ${Math.round(s.loopP99Ms)}ms / max ${Math.round(s.loopMaxMs)}ms, timers up to ` +
    `${Math.round(s.timerLateMaxMs)}ms late (${Math.round(s.lostMs)}ms lost), load sent up to ${Math.round(s.sendLagMaxMs)}ms late, this ` +
    `process got ${s.cpuShare.toFixed(2)} of a CPU, machine ${Math.round(s.machineBusy * 100)}% busy` +
    (s.cpuPressure !== undefined
      ? `, tasks waited for a CPU ${Math.round(s.cpuPressure * 100)}% of the time`
      : '')
  );
}

/** Lines about the harness lane (empty when the journal has none). */
export function harnessLines(j: Pick<Journal, 'harness'>): string[] {
  const h: HarnessLane | undefined = j.harness;
  if (!h) return [];
  const lines: string[] = [];
  if (h.preflight) lines.push(`Preflight: ${h.preflight.message}`);
  const worst = worstSample(h.samples);
  if (worst) lines.push(`Worst second of the harness, from ${sec(worst.t)}: ${sampleText(worst)}.`);
  if (h.stretches.length === 0) {
    lines.push(
      `The harness was never starved (no second with ${h.floorMs}ms of lag at once, ${h.lostFloorMs ?? '–'}ms lost in all, or tasks waiting for a CPU ${Math.round((h.pressureFloor ?? 1) * 100)}% of the time).`,
    );
  } else {
    for (const s of h.stretches.slice(0, 10)) {
      lines.push(
        `Starved [${sec(s.fromT)}, ${sec(s.toT)}): event loop blocked up to ` +
          `${Math.round(Math.max(s.loopMaxMs, s.timerLateMaxMs))}ms, load sent up to ${Math.round(s.sendLagMaxMs)}ms ` +
          `late, ${Math.round(s.lostMs)}ms lost, this process got ${s.cpuShare.toFixed(2)} of a CPU, machine ` +
          `${Math.round(s.machineBusy * 100)}% busy${s.cpuPressure !== undefined ? `, tasks waited for a CPU ${Math.round(s.cpuPressure * 100)}% of the time` : ''}.`,
      );
    }
    if (h.stretches.length > 10) lines.push(`… and ${h.stretches.length - 10} more starved stretches.`);
  }
  return lines;
}

/** What to do about an inconclusive run. */
export const INCONCLUSIVE_ADVICE =
  'Inconclusive: every check that did not hold failed by time where the harness itself was starved. ' +
  'Re-run on a quieter machine, or slow the scenario down with --time-scale 2 (its timeouts scale with it).';
