/** Number and label formatting shared by every renderer. */
import type { Verdict } from '../chaos/journal.js';

/** A latency or duration in ms, compact: `0.8ms`, `12ms`, `1.25s`, `2.5m`. Non-finite → `–`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return `${Math.round(ms * 10) / 10}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return `${(ms / 60_000).toFixed(1)}m`;
}

/** A point in the run (ms since load start) as seconds: `t=3.42s`. */
export function formatT(t: number): string {
  if (!Number.isFinite(t)) return 't=?';
  return `t=${(t / 1000).toFixed(2)}s`;
}

/** A ratio in [0,1] as a percentage with two decimals. */
/**
 * A run's figures with nothing made up: a run with no finished call has no availability or latency
 * (NaN, shown as `–`), not "100 %" and "0 ms".
 */
export function measuredFigures(s: {
  calls: number;
  availability: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}): { availability: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number } {
  if (s.calls > 0) return s;
  return {
    availability: Number.NaN,
    p50Ms: Number.NaN,
    p95Ms: Number.NaN,
    p99Ms: Number.NaN,
    maxMs: Number.NaN,
  };
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return `${(r * 100).toFixed(2)}%`;
}

/** An integer count with thousands separators. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Seconds for JUnit `time` attributes: three decimals, never negative. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0.000';
  return (ms / 1000).toFixed(3);
}

const VERDICT_TEXT: Record<Verdict, string> = {
  passed: 'PASSED',
  deviated: 'DEVIATED',
  invalid: 'INVALID INPUT',
  'infrastructure-error': 'INFRASTRUCTURE ERROR',
  'rollback-failed': 'ROLLBACK FAILED',
  interrupted: 'INTERRUPTED',
  inconclusive: 'INCONCLUSIVE',
};

/** Upper-case verdict text, e.g. `ROLLBACK FAILED`; unknown verdicts are shown as given. */
export function verdictText(verdict: Verdict): string {
  return VERDICT_TEXT[verdict] ?? String(verdict).toUpperCase();
}

/** ✅ for passed, ❔ for inconclusive, ❌ otherwise. */
export function verdictIcon(verdict: Verdict): string {
  return verdict === 'passed' ? '✅' : verdict === 'inconclusive' ? '❔' : '❌';
}

/** Run duration in ms from the ISO start/end stamps (0 when unparsable). */
export function runDurationMs(startedAt: string, endedAt: string): number {
  const d = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(d) && d > 0 ? d : 0;
}

/** The Toxiproxy a run used, for report headers: `URL (version)`, or `not used` when none was. */
/** The system under test: `McpManager (in-process, white-box)` or `gateway (black-box): <command>`. */
export function sutLabel(
  sut: { kind: 'manager' } | { kind: 'gateway'; command: string } | undefined,
): string {
  if (sut === undefined || sut.kind === 'manager') return 'McpManager (in-process, white-box)';
  return `gateway (black-box): ${sut.command}`;
}

export function toxiproxyLabel(url: string | undefined, version: string | undefined): string {
  if (url === undefined || url === '') return 'not used';
  return version === undefined || version === '' || version === '?' ? url : `${url} (${version})`;
}
