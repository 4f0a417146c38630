/**
 * Invariants replayed over histories from a simulated manager: random call arrivals on a few endpoints,
 * each behind a small consecutive-failures breaker (open after N failures, half-open after openFor,
 * up to K concurrent trials, closed on a successful trial). Such histories are well formed, so
 * `breaker-rejects-while-open`, `breaker-transitions-legal`, `half-open-trial-limit` and `no-lost-calls`
 * hold; one injected illegal attempt (or a duplicated transition) is always caught, at the right place.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { History, HistoryEvent } from '../../src/chaos/history.js';
import { checkInvariant } from '../../src/chaos/invariants/index.js';
import type { BreakerState } from '../../src/manager/types.js';
import { FC_SEED } from '../helpers/seed.js';
import { HistoryBuilder } from '../unit/chaos/invariants/history-builder.js';

const seed = FC_SEED;

interface Arrival {
  gapMs: number;
  endpoint: number;
  fails: boolean;
  latencyMs: number;
}

interface SimConfig {
  endpoints: number;
  failures: number;
  openForMs: number;
  trials: number;
  arrivals: Arrival[];
}

type Job =
  | { kind: 'arrive'; t: number; a: Arrival }
  | {
      kind: 'end';
      t: number;
      callId: number;
      ep: number;
      fails: boolean;
      trial: boolean;
      gen: number;
      start: number;
    }
  | { kind: 'half-open'; t: number; ep: number; gen: number };

interface Breaker {
  state: BreakerState;
  consecutive: number;
  gen: number;
  trialsInFlight: number;
}

/** Runs the simulation; returns the history and the open intervals [from, to) of each endpoint. */
function simulate(cfg: SimConfig): {
  history: History;
  open: Array<{ ep: string; from: number; to: number }>;
} {
  const h = new HistoryBuilder({
    servers: { s: cfg.endpoints },
    settings: {
      breaker: {
        trip: { policy: 'consecutive', failures: cfg.failures },
        openForMs: cfg.openForMs,
        halfOpenTrials: cfg.trials,
      },
    },
  });
  const br: Breaker[] = Array.from({ length: cfg.endpoints }, () => ({
    state: 'closed',
    consecutive: 0,
    gen: 0,
    trialsInFlight: 0,
  }));
  const queue: Job[] = [];
  let t = 0;
  for (const a of cfg.arrivals) {
    t += a.gapMs;
    queue.push({ kind: 'arrive', t, a });
  }
  const push = (j: Job) => {
    // insert keeping time order, after jobs at the same time (FIFO)
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.t > j.t) i--;
    queue.splice(i, 0, j);
  };
  const open: Array<{ ep: string; from: number; to: number }> = [];
  const openedAt: number[] = [];
  const to = (now: number, ep: number, state: BreakerState) => {
    const b = br[ep]!;
    h.breaker(now, `s[${ep}]`, b.state, state);
    if (state === 'open') openedAt[ep] = now;
    if (b.state === 'open') open.push({ ep: `s[${ep}]`, from: openedAt[ep]!, to: now });
    b.state = state;
    b.gen++;
    b.trialsInFlight = 0;
    if (state === 'open') push({ kind: 'half-open', t: now + cfg.openForMs, ep, gen: b.gen });
  };
  let callId = 0;
  while (queue.length > 0) {
    const j = queue.shift()!;
    const now = j.t;
    if (j.kind === 'half-open') {
      if (br[j.ep]!.gen === j.gen && br[j.ep]!.state === 'open') to(now, j.ep, 'half-open');
    } else if (j.kind === 'arrive') {
      const ep = j.a.endpoint % cfg.endpoints;
      const b = br[ep]!;
      const id = ++callId;
      h.event({
        type: 'call-start',
        t: now,
        callId: id,
        server: 's',
        tool: 'echo',
        idempotent: true,
        deadline: now + 1000,
      });
      const trial = b.state === 'half-open';
      if (b.state === 'open' || (trial && b.trialsInFlight >= cfg.trials)) {
        h.event({
          type: 'call-end',
          t: now,
          callId: id,
          server: 's',
          outcome: 'circuit-open',
          latencyMs: 0,
          attempts: 0,
        });
        continue;
      }
      if (trial) b.trialsInFlight++;
      h.event({
        type: 'attempt-start',
        t: now,
        callId: id,
        attempt: 1,
        endpoint: `s[${ep}]`,
        trial,
        kind: 'first',
      });
      push({
        kind: 'end',
        t: now + j.a.latencyMs,
        callId: id,
        ep,
        fails: j.a.fails,
        trial,
        gen: b.gen,
        start: now,
      });
    } else {
      const b = br[j.ep]!;
      const outcome = j.fails ? 'timeout' : 'success';
      const lat = now - j.start;
      h.event({
        type: 'attempt-end',
        t: now,
        callId: j.callId,
        attempt: 1,
        endpoint: `s[${j.ep}]`,
        outcome,
        latencyMs: lat,
      });
      h.event({
        type: 'call-end',
        t: now,
        callId: j.callId,
        server: 's',
        outcome,
        latencyMs: lat,
        attempts: 1,
        endpoint: `s[${j.ep}]`,
      });
      if (j.gen !== b.gen) continue; // a verdict from an earlier breaker period does not count
      if (b.state === 'closed') {
        b.consecutive = j.fails ? b.consecutive + 1 : 0;
        if (b.consecutive >= cfg.failures) {
          b.consecutive = 0;
          to(now, j.ep, 'open');
        }
      } else if (b.state === 'half-open' && j.trial) {
        b.trialsInFlight--;
        to(now, j.ep, j.fails ? 'open' : 'closed');
      }
    }
  }
  for (let ep = 0; ep < cfg.endpoints; ep++) {
    if (br[ep]!.state === 'open')
      open.push({ ep: `s[${ep}]`, from: openedAt[ep]!, to: Number.POSITIVE_INFINITY });
  }
  return { history: h.build(), open };
}

const config = fc.record({
  endpoints: fc.integer({ min: 1, max: 3 }),
  failures: fc.integer({ min: 1, max: 4 }),
  openForMs: fc.integer({ min: 5, max: 200 }),
  trials: fc.integer({ min: 1, max: 3 }),
  arrivals: fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 20 }),
      endpoint: fc.nat(5),
      fails: fc.boolean(),
      latencyMs: fc.integer({ min: 0, max: 60 }),
    }),
    { minLength: 1, maxLength: 150 },
  ),
});

/** Inserts `e` after every event at time ≤ e.t. */
function insert(history: History, e: HistoryEvent): History {
  const events = [...history.events];
  let i = events.findIndex((x) => x.t > e.t);
  if (i < 0) i = events.length;
  events.splice(i, 0, e);
  return { ...history, events };
}

describe('invariants over simulated breaker histories', () => {
  it('breaker-rejects-while-open, breaker-transitions-legal, half-open-trial-limit and no-lost-calls hold', () => {
    fc.assert(
      fc.property(config, (cfg) => {
        const { history } = simulate(cfg);
        for (const name of [
          'breaker-rejects-while-open',
          'breaker-transitions-legal',
          'half-open-trial-limit',
          'no-lost-calls',
        ]) {
          const r = checkInvariant(name, {}, history);
          expect(r.violations, name).toEqual([]);
          expect(r.held, name).toBe(true);
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('an attempt injected while a breaker is open is caught, naming its endpoint and time', () => {
    fc.assert(
      fc.property(config, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (cfg, where) => {
        const { history, open } = simulate({ ...cfg, failures: 1 });
        const iv = open.find((o) => o.to > o.from);
        fc.pre(iv !== undefined);
        const end = Number.isFinite(iv!.to) ? iv!.to : iv!.from + 100;
        const t = Math.floor(iv!.from + where * (end - iv!.from));
        const bad = insert(history, {
          type: 'attempt-start',
          t,
          callId: 1_000_000,
          attempt: 1,
          endpoint: iv!.ep,
          trial: false,
          kind: 'first',
        });
        const r = checkInvariant('breaker-rejects-while-open', {}, bad);
        expect(r.held).toBe(false);
        expect(r.violationCount).toBe(1);
        expect(r.violations[0]).toMatchObject({ t, endpoint: iv!.ep });
        expect(r.violations[0]!.message).toContain('call 1000000');
      }),
      { seed, numRuns: 200 },
    );
  });

  it('a duplicated breaker transition is caught by breaker-transitions-legal', () => {
    fc.assert(
      fc.property(config, fc.nat(), (cfg, pick) => {
        const { history } = simulate({ ...cfg, failures: 1 });
        const transitions = history.events.filter((e) => e.type === 'breaker');
        fc.pre(transitions.length > 0);
        const dup = transitions[pick % transitions.length]!;
        const r = checkInvariant('breaker-transitions-legal', {}, insert(history, { ...dup }));
        expect(r.held).toBe(false);
        expect(
          r.violations.some((v) => v.t === dup.t && v.endpoint === (dup as { endpoint: string }).endpoint),
        ).toBe(true);
      }),
      { seed, numRuns: 200 },
    );
  });
});
