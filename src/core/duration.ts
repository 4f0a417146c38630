/** `250ms`, `2s`, `1.5s`, `1m`, `1h`, or `0`. */
export const DURATION_PATTERN = /^(?:0|\d+(?:\.\d+)?(?:ms|s|m|h))$/;

/** A readable message for a value that is not a duration (one wording for every parser). */
export function durationProblem(input: unknown): string {
  if (typeof input === 'number') {
    if (input < 0) return `duration ${input} must not be negative`;
    return `duration ${input} has no unit (use e.g. ${input}ms or ${input}s)`;
  }
  if (typeof input === 'string') {
    const s = input.trim();
    if (s.startsWith('-')) return `duration "${input}" must not be negative`;
    if (/^\d+(?:\.\d+)?$/.test(s)) return `duration "${input}" has no unit (use e.g. ${s}ms or ${s}s)`;
    return `invalid duration "${input}" (expected e.g. 250ms, 2s, 1.5s, 1m or 0)`;
  }
  if (input === undefined) return 'required: a duration (e.g. 250ms, 2s, 1m)';
  if (input === null) return 'expected a duration (e.g. 250ms, 2s, 1m), got null';
  if (Array.isArray(input)) return 'expected a duration (e.g. 250ms, 2s, 1m), got a list';
  if (typeof input === 'object') return 'expected a duration (e.g. 250ms, 2s, 1m), got a map';
  return `expected a duration (e.g. 250ms, 2s, 1m), got ${typeof input} ${String(input)}`;
}

/**
 * Parses a duration: `250ms`, `2s`, `1.5s`, `1m`, `1h`, or `0`. Returns milliseconds.
 * Throws RangeError quoting the value for anything else (negative, unit-less non-zero, garbage).
 */
export function parseDuration(value: string | number): number {
  if (value === 0 || value === '0') return 0;
  if (typeof value === 'number') {
    throw new RangeError(`duration ${value} has no unit (use e.g. ${value}ms or ${value}s)`);
  }
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!m) throw new RangeError(`invalid duration "${value}" (expected e.g. 250ms, 2s, 1.5s, 1m)`);
  const n = Number(m[1]);
  const unit = m[2];
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return n * factor;
}

/** Formats milliseconds compactly: 250ms, 1.5s, 2m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms * 100) / 100}ms`;
  if (ms < 60_000) return `${Math.round(ms / 10) / 100}s`;
  return `${Math.round(ms / 600) / 100}m`;
}

/** A point in time or a span in seconds with millisecond precision, for messages: `3.25s`, `0.002s`. */
export function secondsText(ms: number): string {
  return `${Math.round(ms) / 1000}s`;
}
