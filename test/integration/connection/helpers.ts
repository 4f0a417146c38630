/** Shared bits of the connection integration tests. */
import { isChaosError } from '../../../src/core/errors.js';
import type { ConnectionEvent } from '../../../src/manager/connection/index.js';

export const textOf = (r: unknown): string =>
  ((r as { content: Array<{ text: string }> }).content[0] as { text: string }).text;

/** Runs `fn`, expecting a ChaosError; returns it with the elapsed ms. */
export async function failure(fn: () => Promise<unknown>) {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    if (!isChaosError(e)) throw new Error(`expected a ChaosError, got ${String(e)}`, { cause: e });
    return { error: e, code: e.code, failureClass: e.details.failureClass, ms: performance.now() - t0 };
  }
  throw new Error('expected a failure, got a result');
}

export { about } from '../../helpers/timing.js';

/** Records connection events: `events` and `kinds()` without `era` events, `eras()` those alone. */
export function recorder() {
  const events: ConnectionEvent[] = [];
  const eraEvents: ConnectionEvent[] = [];
  return {
    events,
    onEvent: (e: ConnectionEvent) => (e.kind === 'era' ? eraEvents : events).push(e),
    kinds: () => events.map((e) => e.kind),
    eras: () => eraEvents.flatMap((e) => (e.era ? [e.era] : [])),
  };
}
