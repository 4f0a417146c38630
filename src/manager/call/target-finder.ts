/**
 * Finding where a call's next attempt goes: eligible candidates (panic mode when none), the balancer's
 * pick, a bulkhead slot (at once, or after a wait) and a breaker permit. An endpoint that refuses (bulkhead
 * full or timed out, breaker open or at its half-open limit) is remembered and another is tried.
 */
import type { AttemptKind, AttemptSet } from './attempt-set.js';
import { releaseAll } from './attempt-set.js';
import type { CallGroup, CallTarget, PermitLike, ReleaseLike, TokenLike } from './call-target.js';
import { Refusals } from './refusals.js';
import { markCandidates } from './select-target.js';

/** One search for an endpoint. */
export interface Launch {
  kind: AttemptKind;
  /** Endpoints this launch may not pick: those in flight for the call, and those that refused it. */
  excluded: CallTarget[] | undefined;
  /** Retry-budget and hedge tokens the attempt will hold. */
  tokens: TokenLike[] | undefined;
}

/** The call the finder works for. */
export interface FinderOwner {
  /** The call has ended: a search stops and gives back what it holds. */
  readonly finished: boolean;
  /** Sends the attempt on `target` with its permit and bulkhead slot. */
  sendOn(target: CallTarget, permit: PermitLike, release: ReleaseLike, launch: Launch): void;
  /** A search found nothing (its tokens are given back). */
  foundNothing(): void;
}

export class TargetFinder {
  /** Bulkhead waits under way. */
  waiting = 0;
  /** Aborts bulkhead waits when the call ends; created only when a wait happens. */
  private controller: AbortController | undefined;
  /** Allocated on the first refusal. */
  private refusals: Refusals | undefined;

  constructor(
    private readonly group: CallGroup,
    private readonly attempts: AttemptSet,
    private readonly pickContext: { key?: string },
    private readonly owner: FinderOwner,
  ) {}

  /** Looks for an endpoint for `l` and hands it to the owner (now, or after a bulkhead wait). */
  find(l: Launch): void {
    const { group } = this;
    for (;;) {
      if (this.owner.finished) {
        drop(l);
        return;
      }
      const allowTried = l.kind !== 'hedge';
      const tried = this.attempts.tried;
      let n = markCandidates(group.endpoints, tried, l.excluded, allowTried);
      if (n === 0) n = markCandidates(group.endpoints, tried, l.excluded, allowTried, true);
      const target = n === 0 ? undefined : group.balancer.pick(group.endpoints, this.pickContext);
      if (target === undefined) {
        drop(l);
        this.owner.foundNothing();
        return;
      }
      const fast = target.bulkhead.tryAcquire?.();
      if (fast !== undefined) {
        if (this.admit(target, fast, l)) return;
        continue;
      }
      exclude(l, target);
      this.waiting++;
      if (this.controller === undefined) this.controller = new AbortController();
      target.bulkhead.acquire(this.controller.signal).then(
        (release) => {
          this.waiting--;
          if (this.owner.finished) {
            release();
            drop(l);
          } else if (!this.admit(target, release, l)) this.find(l);
        },
        () => {
          this.waiting--;
          if (this.owner.finished) {
            drop(l);
            return;
          }
          this.refused().byPool(target);
          this.find(l);
        },
      );
      return;
    }
  }

  /** How a call that reached no server ends, given what refused it. */
  ending() {
    return Refusals.ending(this.group.endpoints, this.refusals);
  }

  /** The call ended: abort the bulkhead waits under way. */
  stop(): void {
    if (this.waiting > 0) this.controller?.abort();
  }

  /** Breaker check after the bulkhead slot; sends on a permit. */
  private admit(target: CallTarget, release: ReleaseLike, l: Launch): boolean {
    const permit = target.breaker.tryAcquire();
    if (!permit.ok) {
      release();
      if (l.excluded === undefined || !l.excluded.includes(target)) exclude(l, target);
      this.refused().byBreaker(target, permit.code);
      return false;
    }
    this.owner.sendOn(target, permit, release, l);
    return true;
  }

  private refused(): Refusals {
    if (this.refusals === undefined) this.refusals = new Refusals();
    return this.refusals;
  }
}

function exclude(l: Launch, target: CallTarget): void {
  if (l.excluded === undefined) l.excluded = [target];
  else l.excluded.push(target);
}

/** Gives back what a launch holds. */
function drop(l: Launch): void {
  releaseAll(l.tokens);
  l.tokens = undefined;
}
