/** Reconnect backoff: exponential from `baseMs`, capped at `maxMs`, no jitter (deterministic). */
export interface BackoffSettings {
  /** Delay after the first failure, ms (> 0). */
  baseMs: number;
  /** Largest delay, ms (≥ baseMs). */
  maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: Readonly<BackoffSettings> = Object.freeze({
  baseMs: 100,
  maxMs: 1000,
});

/** Delay before the next attempt after `failures` consecutive failures (0 failures → 0 ms). */
export function backoffDelay(failures: number, b: BackoffSettings): number {
  if (failures <= 0) return 0;
  return Math.min(b.maxMs, b.baseMs * 2 ** Math.min(30, failures - 1));
}

/** Validates backoff settings; RangeError quoting the value. */
export function validateBackoff(b: BackoffSettings): BackoffSettings {
  if (!b || typeof b !== 'object')
    throw new RangeError(`reconnectBackoff must be {baseMs, maxMs}, got ${String(b)}`);
  if (!Number.isFinite(b.baseMs) || b.baseMs <= 0) {
    throw new RangeError(`reconnectBackoff.baseMs must be a number > 0, got ${JSON.stringify(b.baseMs)}`);
  }
  if (!Number.isFinite(b.maxMs) || b.maxMs < b.baseMs) {
    throw new RangeError(
      `reconnectBackoff.maxMs must be a number >= baseMs (${b.baseMs}), got ${JSON.stringify(b.maxMs)}`,
    );
  }
  return { baseMs: b.baseMs, maxMs: b.maxMs };
}
