/**
 * Reference model of the circuit breaker (the spec, written naively) and the model-based property that
 * compares a breaker with it. Shared by test/property/breaker-model.test.ts (real breaker) and
 * test/property/breaker-mutants.test.ts (broken breakers the property must catch).
 */
import fc from 'fast-check';
import { FakeClock } from '../../../../src/core/clock.js';
import {
  type BreakerPermit,
  type BreakerTransition,
  type CircuitBreaker,
  type CircuitBreakerDeps,
  isLegalBreakerTransition,
} from '../../../../src/manager/breaker/index.js';
import { FAILURE_CLASSES } from '../../../../src/manager/settings-kinds.js';
import type { BreakerSettings, BreakerState, FailureClass } from '../../../../src/manager/types.js';

/** Every failure class (the manager's own list, so new classes are exercised too). */
export const CLASSES: FailureClass[] = [...FAILURE_CLASSES];

// ------------------------------------------------------------------ reference model (the spec, naively)

type Result = { ok: true; trial: boolean } | { ok: false; code: 'CIRCUIT_OPEN' | 'HALF_OPEN_LIMIT' };
interface RefPermit {
  gen: number;
  trial: boolean;
}

export class RefBreaker {
  state: BreakerState;
  now = 0;
  gen = 0;
  trials = 0;
  trialOk = 0;
  openings = 0;
  openUntil = 0;
  consecutive = 0;
  outcomes: Array<{ t: number; failed: boolean; slow: boolean }> = [];
  events: Array<{ from: BreakerState; to: BreakerState; t: number }> = [];

  constructor(readonly s: BreakerSettings) {
    this.state = s.mode === 'disabled' ? 'disabled' : s.mode === 'forced-open' ? 'forced-open' : 'closed';
  }

  acquire(): Result & { permit?: RefPermit } {
    if (this.state === 'closed' || this.state === 'disabled')
      return { ok: true, trial: false, permit: { gen: this.gen, trial: false } };
    if (this.state === 'half-open') {
      if (this.trials + this.trialOk >= this.s.halfOpenTrials) return { ok: false, code: 'HALF_OPEN_LIMIT' };
      this.trials++;
      return { ok: true, trial: true, permit: { gen: this.gen, trial: true } };
    }
    return { ok: false, code: 'CIRCUIT_OPEN' }; // open (the timer fires on time) or forced-open
  }

  settle(p: RefPermit, kind: 'success' | 'failure' | 'ignore', cls: FailureClass, latencyMs: number): void {
    if (p.gen !== this.gen) return; // late permit
    const ignored = kind === 'ignore' || (kind === 'failure' && !this.s.countedFailures.includes(cls));
    if (this.state === 'closed' && !ignored) {
      const failed = kind === 'failure';
      this.consecutive = failed ? this.consecutive + 1 : 0;
      const slowOver = this.s.trip.policy === 'rate' ? this.s.trip.slowCall?.overMs : undefined;
      this.outcomes.push({ t: this.now, failed, slow: slowOver !== undefined && latencyMs > slowOver });
      if (this.mustOpen()) this.go('open');
    } else if (this.state === 'half-open') {
      this.trials--;
      if (ignored) return;
      if (kind === 'failure') this.go('open');
      else if (++this.trialOk === this.s.halfOpenTrials) this.go('closed');
    }
  }

  /** Invariants 1 and 2: below minCalls never; at or above, exactly when a rate reaches its threshold. */
  mustOpen(): boolean {
    const trip = this.s.trip;
    if (trip.policy === 'consecutive') return this.consecutive >= trip.failures;
    let inWindow = this.outcomes;
    let minCalls = trip.minCalls;
    if (trip.window.kind === 'count') {
      inWindow = inWindow.slice(-trip.window.size);
      minCalls = Math.min(minCalls, trip.window.size);
    } else {
      const bucketMs = trip.window.sizeMs / 10;
      const oldest = Math.floor(this.now / bucketMs) - 9;
      inWindow = inWindow.filter((o) => Math.floor(o.t / bucketMs) >= oldest);
    }
    const calls = inWindow.length;
    if (calls < minCalls) return false;
    const failures = inWindow.filter((o) => o.failed).length;
    const slow = inWindow.filter((o) => o.slow).length;
    return (
      failures / calls >= trip.failureRate ||
      (trip.slowCall !== undefined && slow / calls >= trip.slowCall.rate)
    );
  }

  advance(ms: number): void {
    const target = this.now + ms;
    if (this.state === 'open' && this.openUntil <= target) {
      this.now = this.openUntil;
      this.go('half-open');
    }
    this.now = target;
  }

  reset(): void {
    this.openings = 0;
    if (this.state === 'closed') this.clear();
    else this.go('closed');
  }

  go(to: BreakerState): void {
    if (to === this.state) return;
    const from = this.state;
    this.state = to;
    this.gen++;
    this.trials = 0;
    this.trialOk = 0;
    if (to === 'open') {
      this.openings++;
      let wait = this.s.openForMs;
      for (let i = 1; i < this.openings && this.s.backoff; i++)
        wait = Math.min(this.s.backoff.maxMs, wait * this.s.backoff.multiplier);
      this.openUntil = this.now + wait;
    }
    if (to === 'closed') {
      if (from === 'half-open') this.openings = 0;
      this.clear();
    }
    this.events.push({ from, to, t: this.now });
  }

  private clear(): void {
    this.consecutive = 0;
    this.outcomes = [];
  }
}

// ------------------------------------------------------------------ the reusable property

export type BreakerFactory = (settings: BreakerSettings, deps: CircuitBreakerDeps) => CircuitBreaker;
interface Model {
  ref: RefBreaker;
  open: Array<{ real: BreakerPermit; ref: RefPermit }>;
  settled: Array<{ real: BreakerPermit; ref: RefPermit }>;
}
interface Real {
  breaker: CircuitBreaker;
  clock: FakeClock;
  events: BreakerTransition[];
  seen: number;
}

function invariant(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

/** After every command: same state, and invariant 4 and 5 on the events. */
function compare(m: Model, r: Real): void {
  const fresh = r.events.slice(r.seen);
  r.seen = r.events.length;
  for (const e of fresh)
    invariant(isLegalBreakerTransition(e.from, e.to), `inv 5: illegal ${e.from}→${e.to}`);
  const expected = m.ref.events.splice(0);
  invariant(
    JSON.stringify(fresh.map((e) => [e.from, e.to, e.t])) ===
      JSON.stringify(expected.map((e) => [e.from, e.to, e.t])),
    `inv 5: events ${JSON.stringify(fresh.map((e) => [e.from, e.to, e.t]))}, model ${JSON.stringify(expected)}`,
  );
  invariant(r.breaker.state === m.ref.state, `state ${r.breaker.state}, model ${m.ref.state}`);
  invariant(
    r.breaker.trialsActive <= m.ref.s.halfOpenTrials,
    `inv 4: ${r.breaker.trialsActive} trials in flight`,
  );
  invariant(
    r.breaker.trialsActive === m.ref.trials * (m.ref.state === 'half-open' ? 1 : 0),
    'trials in flight differ',
  );
}

class Acquire implements fc.Command<Model, Real> {
  check = () => true;
  run(m: Model, r: Real): void {
    const before = m.ref.state;
    const real = r.breaker.tryAcquire();
    const ref = m.ref.acquire();
    if (before === 'forced-open' || (before === 'open' && r.clock.now() < m.ref.openUntil)) {
      invariant(!real.ok, `inv ${before === 'open' ? 3 : 6}: ${before} breaker admitted a call`);
    }
    if (before === 'disabled') invariant(real.ok, 'inv 6: disabled breaker rejected a call');
    invariant(real.ok === ref.ok, `acquire: real ${real.ok}, model ${ref.ok} in ${before}`);
    if (real.ok && ref.ok) {
      invariant(real.trial === ref.trial, 'trial flag differs');
      m.open.push({ real, ref: ref.permit! });
    } else if (!real.ok && !ref.ok) invariant(real.code === ref.code, `code ${real.code}, model ${ref.code}`);
    compare(m, r);
  }
  toString = () => 'acquire';
}

class Settle implements fc.Command<Model, Real> {
  constructor(
    readonly pick: number,
    readonly kind: 'success' | 'failure' | 'ignore',
    readonly cls: FailureClass,
    readonly latencyMs: number,
    readonly again: boolean,
  ) {}
  check = (m: Readonly<Model>) => (this.again ? m.settled.length > 0 : m.open.length > 0);
  run(m: Model, r: Real): void {
    const list = this.again ? m.settled : m.open;
    const [p] = list.splice(this.pick % list.length, 1);
    if (!p) return;
    if (this.kind === 'success') p.real.success(this.latencyMs);
    else if (this.kind === 'failure') p.real.failure(this.cls, this.latencyMs);
    else p.real.ignore();
    if (!this.again) m.ref.settle(p.ref, this.kind, this.cls, this.latencyMs); // settled permits are no-ops
    m.settled.push(p);
    compare(m, r);
  }
  toString = () =>
    `${this.again ? 're-' : ''}settle#${this.pick} ${this.kind}(${this.cls}, ${this.latencyMs}ms)`;
}

class Advance implements fc.Command<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.clock.advance(this.ms);
    m.ref.advance(this.ms);
    compare(m, r);
  }
  toString = () => `advance ${this.ms}`;
}

class Operator implements fc.Command<Model, Real> {
  constructor(readonly op: 'forceOpen' | 'disable' | 'reset') {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.breaker[this.op]();
    if (this.op === 'reset') m.ref.reset();
    else m.ref.go(this.op === 'disable' ? 'disabled' : 'forced-open');
    compare(m, r);
  }
  toString = () => this.op;
}

const settingsArb: fc.Arbitrary<BreakerSettings> = fc.record({
  mode: fc.oneof(
    { arbitrary: fc.constant('normal' as const), weight: 8 },
    fc.constantFrom('disabled', 'forced-open'),
  ),
  trip: fc.oneof(
    fc.record({ policy: fc.constant('consecutive' as const), failures: fc.integer({ min: 1, max: 4 }) }),
    fc.record({
      policy: fc.constant('rate' as const),
      window: fc.oneof(
        fc.record({ kind: fc.constant('count' as const), size: fc.integer({ min: 1, max: 8 }) }),
        fc.record({ kind: fc.constant('time' as const), sizeMs: fc.constantFrom(100, 250, 1000) }),
      ),
      minCalls: fc.integer({ min: 1, max: 6 }),
      failureRate: fc.constantFrom(0.25, 1 / 3, 0.5, 0.6, 1),
      slowCall: fc.option(fc.record({ overMs: fc.constantFrom(50, 100), rate: fc.constantFrom(0.5, 1) }), {
        nil: undefined,
      }),
    }),
  ),
  openForMs: fc.integer({ min: 1, max: 300 }),
  backoff: fc.option(
    fc.record({ multiplier: fc.constantFrom(1, 1.5, 2), maxMs: fc.integer({ min: 300, max: 1000 }) }),
    {
      nil: undefined,
    },
  ),
  halfOpenTrials: fc.integer({ min: 1, max: 3 }),
  countedFailures: fc.subarray(CLASSES, { minLength: 1 }),
});

const settleArb = fc
  .tuple(
    fc.nat(),
    fc.constantFrom('success', 'success', 'failure', 'failure', 'failure', 'ignore'),
    fc.constantFrom(...CLASSES),
    fc.constantFrom(0, 10, 50, 51, 100, 101, 200),
    fc.nat({ max: 7 }),
  )
  .map(([p, k, c, l, again]) => new Settle(p, k as 'success' | 'failure' | 'ignore', c, l, again === 0));

/** Weighted so that runs trip, wait, trial and reopen often; operator commands are rare. */
const commandsArb = fc.commands(
  [
    fc.oneof(
      { arbitrary: fc.constant(new Acquire()), weight: 10 },
      { arbitrary: settleArb, weight: 12 },
      { arbitrary: fc.integer({ min: 0, max: 400 }).map((ms) => new Advance(ms)), weight: 4 },
      {
        arbitrary: fc
          .constantFrom('forceOpen', 'disable', 'reset', 'reset')
          .map((op) => new Operator(op as 'reset')),
        weight: 1,
      },
    ),
  ],
  { maxCommands: 80, size: 'max' },
);

/** The property, parameterised by how a breaker is built. */
export function breakerMatchesModel(factory: BreakerFactory) {
  return fc.property(settingsArb, commandsArb, (settings, cmds) => {
    const clock = new FakeClock(0);
    const breaker = factory(settings, { clock, endpoint: 'e' });
    const real: Real = { breaker, clock, events: [], seen: 0 };
    breaker.onStateChange((e) => real.events.push(e));
    fc.modelRun(() => ({ model: { ref: new RefBreaker(settings), open: [], settled: [] }, real }), cmds);
    breaker.dispose();
  });
}
