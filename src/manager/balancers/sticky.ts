import { hashString } from '../../core/rng.js';
import { AlignedState } from './aligned-state.js';
import type { Balancer, EndpointView, PickContext } from './balancer.js';
import { RoundRobinBalancer } from './round-robin.js';

/** Rendezvous score of (key, endpoint), an unsigned 32-bit integer; the highest wins. */
export function rendezvousScore(keyHash: number, idHash: number): number {
  let h = keyHash ^ Math.imul(idHash, 0x9e3779b1);
  // murmur3's 32-bit finaliser
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Sticky by key with rendezvous (highest-random-weight) hashing over the eligible endpoints: a key maps
 * to the eligible endpoint with the highest score. Its endpoint therefore changes only when that
 * endpoint becomes ineligible (its keys spread over the others, nobody else's keys move) or when a
 * higher-ranked endpoint for that key becomes eligible again (keys return home). Weights are not used.
 * Picks without a key go round-robin.
 */
export class StickyBalancer implements Balancer {
  readonly kind = 'sticky' as const;
  private readonly idHashes = new AlignedState(hashString);
  private readonly fallback = new RoundRobinBalancer();

  pick<T extends EndpointView>(candidates: readonly T[], ctx?: PickContext): T | undefined {
    const key = ctx?.key;
    if (key === undefined) return this.fallback.pick(candidates);
    this.idHashes.align(candidates);
    const hashes = this.idHashes.values;
    const kh = hashString(key);
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      if (!c.eligible) continue;
      const score = rendezvousScore(kh, hashes[i]!);
      if (score > bestScore || (score === bestScore && c.id < candidates[best]!.id)) {
        best = i;
        bestScore = score;
      }
    }
    return best < 0 ? undefined : candidates[best];
  }
}
