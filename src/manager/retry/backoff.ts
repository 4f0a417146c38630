import type { Rng } from '../../core/rng.js';
import type { RetrySettings } from '../types.js';

/**
 * Full-jitter exponential backoff (AWS): a uniform delay in [0, min(maxMs, baseMs × 2^(retry − 1))),
 * where `retry` is 1 for the first retry (the second attempt), 2 for the next, …
 */
export function backoffDelay(retry: number, backoff: RetrySettings['backoffMs'], rng: Rng): number {
  if (!Number.isInteger(retry) || retry < 1)
    throw new RangeError(`backoff retry number must be an integer >= 1, got ${retry}`);
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (retry - 1));
  return cap > 0 ? rng.uniform(0, cap) : 0;
}
