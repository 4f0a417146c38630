import type { Balancer, EndpointView } from './balancer.js';

/** Each pick takes the next eligible endpoint after the previous pick, in array order. */
export class RoundRobinBalancer implements Balancer {
  readonly kind = 'round-robin' as const;
  private next = 0;

  pick<T extends EndpointView>(candidates: readonly T[]): T | undefined {
    const n = candidates.length;
    let idx = this.next >= n ? 0 : this.next;
    for (let i = 0; i < n; i++) {
      const c = candidates[idx]!;
      if (c.eligible) {
        this.next = idx + 1;
        return c;
      }
      idx = idx + 1 === n ? 0 : idx + 1;
    }
    return undefined;
  }
}
