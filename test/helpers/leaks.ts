/**
 * The one leak detector: live handles by type (`process.getActiveResourcesInfo()`) before and after,
 * waited for by polling (sockets close asynchronously after close() resolves), never a fixed sleep.
 */
import { expect } from 'vitest';

const WATCHED = new Set([
  'TCPSocketWrap',
  'TCPServerWrap',
  'Timeout',
  'ProcessWrap',
  'PipeWrap',
  'Immediate',
]);

/** Live handles of the watched types, by type. */
export function resourceCounts(): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) if (WATCHED.has(r)) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Waits (bounded) until no watched handle type has more live instances than in `before`, then asserts it. */
export async function expectNoLeaks(before: Map<string, number>, timeoutMs = 3000): Promise<void> {
  const extra = () => {
    const out: string[] = [];
    for (const [k, n] of resourceCounts())
      if (n > (before.get(k) ?? 0)) out.push(`${k}: ${before.get(k) ?? 0} → ${n}`);
    return out;
  };
  await expect.poll(extra, { timeout: timeoutMs, interval: 25 }).toEqual([]);
}
