import { describe, expect, it } from 'vitest';
import { type Clock, FakeClock } from '../../../../src/core/clock.js';
import { isChaosError } from '../../../../src/core/errors.js';
import {
  type BreakerPermit,
  type BreakerTransition,
  CircuitBreaker,
  isLegalBreakerTransition,
  rejectionError,
} from '../../../../src/manager/breaker/index.js';
import type { BreakerSettings } from '../../../../src/manager/types.js';

const base: BreakerSettings = {
  trip: { policy: 'consecutive', failures: 3 },
  openForMs: 1000,
  halfOpenTrials: 1,
  countedFailures: ['connection', 'timeout', 'session-lost', 'server-5xx'],
};

function setup(over: Partial<BreakerSettings> = {}) {
  const clock = new FakeClock(0);
  const breaker = new CircuitBreaker({ ...base, ...over }, { clock, endpoint: 'ep[0]' });
  const events: BreakerTransition[] = [];
  breaker.onStateChange((e) => events.push(e));
  const permit = (): BreakerPermit => {
    const p = breaker.tryAcquire();
    if (!p.ok) throw new Error(`rejected: ${p.code}`);
    return p;
  };
  const fail = (n = 1) => {
    for (let i = 0; i < n; i++) permit().failure('connection', 5);
  };
  const succeed = (n = 1) => {
    for (let i = 0; i < n; i++) permit().success(5);
  };
  return { clock, breaker, events, permit, fail, succeed };
}

describe('CircuitBreaker — consecutive policy', () => {
  it('opens when consecutive counted failures reach the threshold (>=)', () => {
    const { breaker, events, fail, succeed } = setup();
    fail(2);
    succeed(); // resets the run
    fail(2);
    expect(breaker.state).toBe('closed');
    fail(1);
    expect(breaker.state).toBe('open');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ endpoint: 'ep[0]', from: 'closed', to: 'open', t: 0 });
    expect(events[0]!.reason).toContain('3 consecutive failures');
  });

  it('rejects with CIRCUIT_OPEN while open, carrying the retry time', () => {
    const { clock, breaker, fail } = setup();
    clock.advance(100);
    fail(3);
    const r = breaker.tryAcquire();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('CIRCUIT_OPEN');
    expect(r.retryAtT).toBe(1100);
    expect(breaker.openUntilT).toBe(1100);
    const err = rejectionError(r, 'ep[0]');
    expect(isChaosError(err, 'CIRCUIT_OPEN')).toBe(true);
  });

  it('fires open→half-open from a timer exactly when the wait has passed, without any call', () => {
    const { clock, breaker, events, fail } = setup();
    fail(3);
    clock.advance(999);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire().ok).toBe(false);
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
    expect(events.map((e) => [e.from, e.to, e.t])).toEqual([
      ['closed', 'open', 0],
      ['open', 'half-open', 1000],
    ]);
    expect(clock.pending()).toBe(0);
  });

  it('uncounted classes and ignore() count neither way', () => {
    const { breaker, permit, fail } = setup();
    fail(2);
    permit().failure('tool-error', 1);
    permit().failure('protocol', 1);
    permit().ignore();
    expect(breaker.state).toBe('closed');
    fail(1); // run was not reset by the ignored ones
    expect(breaker.state).toBe('open');
  });

  it('a permit settles once: repeated results are no-ops', () => {
    const { breaker, permit } = setup();
    const p = permit();
    p.failure('timeout', 1);
    p.failure('timeout', 1);
    p.failure('timeout', 1);
    expect(p.settled).toBe(true);
    expect(breaker.state).toBe('closed');
  });
});

describe('CircuitBreaker — half-open', () => {
  it('admits N concurrent trials, rejects the rest with HALF_OPEN_LIMIT, closes after N successes', () => {
    const { clock, breaker, events, permit, fail } = setup({ halfOpenTrials: 2 });
    fail(3);
    clock.advance(1000);
    const a = permit();
    const b = permit();
    expect(a.trial && b.trial).toBe(true);
    const c = breaker.tryAcquire();
    expect(c.ok === false && c.code).toBe('HALF_OPEN_LIMIT');
    expect(breaker.trialsActive).toBe(2);
    a.success(1);
    // a finished trial does not free a slot: the verdict needs N successful trials in total
    expect(breaker.tryAcquire().ok).toBe(false);
    b.success(1);
    expect(breaker.state).toBe('closed');
    expect(events.at(-1)).toMatchObject({ from: 'half-open', to: 'closed', t: 1000 });
  });

  it('reopens on any counted trial failure', () => {
    const { clock, breaker, permit, fail } = setup({ halfOpenTrials: 2 });
    fail(3);
    clock.advance(1000);
    const a = permit();
    const b = permit();
    a.success(1);
    b.failure('timeout', 1);
    expect(breaker.state).toBe('open');
    expect(breaker.openUntilT).toBe(2000);
  });

  it('an ignored trial frees its slot and decides nothing', () => {
    const { clock, breaker, permit, fail } = setup();
    fail(3);
    clock.advance(1000);
    permit().ignore();
    expect(breaker.state).toBe('half-open');
    const p = permit(); // takes the freed slot
    expect(breaker.tryAcquire().ok).toBe(false);
    p.failure('tool-error', 1); // uncounted → ignored too
    expect(breaker.state).toBe('half-open');
    permit().success(1);
    expect(breaker.state).toBe('closed');
  });

  it('transitions lazily on tryAcquire when the timer is late (real clocks)', () => {
    const fake = new FakeClock(0);
    // A clock whose timers never fire: simulates an event loop that runs the open timer late.
    const clock: Clock = {
      now: () => fake.now(),
      setTimeout: () => ({ __timer: 0 }),
      clearTimeout: () => {},
      sleep: () => Promise.resolve(),
    };
    const b = new CircuitBreaker(base, { clock, endpoint: 'x' });
    for (let i = 0; i < 3; i++) {
      const p = b.tryAcquire();
      if (p.ok) p.failure('connection', 1);
    }
    fake.advance(1500);
    expect(b.state).toBe('open');
    const p = b.tryAcquire();
    expect(p.ok && p.trial).toBe(true);
    expect(b.state).toBe('half-open');
  });
});

describe('CircuitBreaker — backoff', () => {
  it('grows the open wait per reopening up to maxMs, and resets after a successful close', () => {
    const { clock, breaker, permit, fail } = setup({ backoff: { multiplier: 2, maxMs: 3000 } });
    fail(3);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const until = breaker.openUntilT!;
      waits.push(until - clock.now());
      clock.advance(until - clock.now());
      expect(breaker.state).toBe('half-open');
      permit().failure('server-5xx', 1);
    }
    expect(waits).toEqual([1000, 2000, 3000, 3000]);
    clock.advance(3000);
    permit().success(1);
    expect(breaker.state).toBe('closed');
    fail(3);
    expect(breaker.openUntilT! - clock.now()).toBe(1000);
  });
});

describe('CircuitBreaker — late permits (generations)', () => {
  it('drops results from permits issued before a state change', () => {
    const { clock, breaker, permit, fail } = setup();
    const late = [permit(), permit(), permit()];
    fail(3);
    clock.advance(1000);
    const trial = permit();
    for (const p of late) p.failure('connection', 1); // from closed: must not reopen the half-open breaker
    expect(breaker.state).toBe('half-open');
    trial.success(1);
    expect(breaker.state).toBe('closed');
    late[0]!.success(1); // settled already: no-op
    const lateTrial = trial;
    lateTrial.failure('connection', 1);
    expect(breaker.state).toBe('closed');
  });

  it('a trial result after a reopen does not close the breaker', () => {
    const { clock, breaker, permit, fail } = setup({ halfOpenTrials: 2 });
    fail(3);
    clock.advance(1000);
    const a = permit();
    const b = permit();
    a.failure('connection', 1);
    b.success(1);
    expect(breaker.state).toBe('open');
  });
});

describe('CircuitBreaker — operator states', () => {
  it('forced-open rejects everything, disabled admits everything, reset closes; one event each', () => {
    const { breaker, events, permit } = setup();
    breaker.forceOpen();
    const r = breaker.tryAcquire();
    expect(r.ok === false && r.code).toBe('CIRCUIT_OPEN');
    breaker.forceOpen(); // no change, no event
    breaker.disable();
    for (let i = 0; i < 10; i++) permit().failure('connection', 1);
    expect(breaker.state).toBe('disabled');
    breaker.reset();
    breaker.reset();
    expect(events.map((e) => `${e.from}->${e.to}`)).toEqual([
      'closed->forced-open',
      'forced-open->disabled',
      'disabled->closed',
    ]);
    for (const e of events) expect(isLegalBreakerTransition(e.from, e.to)).toBe(true);
  });

  it('starts in the configured mode and clears its timer on dispose', () => {
    const clock = new FakeClock();
    expect(new CircuitBreaker({ ...base, mode: 'forced-open' }, { clock, endpoint: 'a' }).state).toBe(
      'forced-open',
    );
    expect(new CircuitBreaker({ ...base, mode: 'disabled' }, { clock, endpoint: 'a' }).state).toBe(
      'disabled',
    );
    const b = new CircuitBreaker(base, { clock, endpoint: 'a' });
    b.forceOpen();
    b.reset();
    for (let i = 0; i < 3; i++) {
      const p = b.tryAcquire();
      if (p.ok) p.failure('timeout', 1);
    }
    expect(clock.pending()).toBe(1);
    b.dispose();
    expect(clock.pending()).toBe(0);
  });

  it('rejects bad settings with RangeError quoting the value', () => {
    const clock = new FakeClock();
    expect(() => new CircuitBreaker({ ...base, openForMs: -1 }, { clock, endpoint: 'a' })).toThrow(/-1/);
    expect(() => new CircuitBreaker({ ...base, halfOpenTrials: 0 }, { clock, endpoint: 'a' })).toThrow(
      RangeError,
    );
  });
});

describe('isLegalBreakerTransition', () => {
  it('accepts exactly the documented pairs', () => {
    const legal = [
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['half-open', 'closed'],
      ['open', 'closed'],
      ['forced-open', 'closed'],
      ['disabled', 'closed'],
      ['closed', 'forced-open'],
      ['closed', 'disabled'],
      ['open', 'disabled'],
    ] as const;
    for (const [f, t] of legal) expect(isLegalBreakerTransition(f, t)).toBe(true);
    expect(isLegalBreakerTransition('closed', 'half-open')).toBe(false);
    expect(isLegalBreakerTransition('forced-open', 'open')).toBe(false);
    expect(isLegalBreakerTransition('open', 'open')).toBe(false);
    expect(isLegalBreakerTransition('disabled', 'half-open')).toBe(false);
  });
});
