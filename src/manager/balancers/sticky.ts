import { hashString } from '../../core/rng.js';
import type { Balancer, EndpointView, PickContext } from './balancer.js';
import { RoundRobinBalancer } from './round-robin.js';

/** murmur3's 32-bit finaliser. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Rendezvous score of (key, endpoint); the highest wins. */
export function rendezvousScore(keyHash: number, idHash: number): number {
  return fmix32(keyHash ^ Math.imul(idHash, 0x9e3779b1));
}

/**
 * Sticky by key with rendezvous (highest-random-weight) hashing over the eligible endpoints: a key maps
 * to the eligible endpoint with the highest score, so it stays put as long as that endpoint stays
 * eligible, and when it leaves only its keys move (spread over the others). Weights are not used.
 * Picks without a key go round-robin.
 */
export class StickyBalancer implements Balancer {
  readonly kind = 'sticky' as const;
  private readonly idHashes = new Map<string, number>();
  private readonly fallback = new RoundRobinBalancer();

  pick<T extends EndpointView>(candidates: readonly T[], ctx?: PickContext): T | undefined {
    const key = ctx?.key;
    if (key === undefined) return this.fallback.pick(candidates);
    const kh = hashString(key);
    let best: T | undefined;
    let bestScore = -1;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!c.eligible) continue;
      let ih = this.idHashes.get(c.id);
      if (ih === undefined) {
        ih = hashString(c.id);
        this.idHashes.set(c.id, ih);
      }
      const score = rendezvousScore(kh, ih);
      if (score > bestScore || (score === bestScore && best !== undefined && c.id < best.id)) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }
}
