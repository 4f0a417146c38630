import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../../src/core/rng.js';
import {
  createBalancer,
  type EndpointStatus,
  type EndpointView,
  EwmaLatency,
  p2cCost,
  selectEligible,
} from '../../../../src/manager/balancers/index.js';
import type { BalancerKind } from '../../../../src/manager/types.js';

function views(n: number, over: Partial<EndpointView>[] = []): EndpointView[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `s[${i}]`,
    inFlight: 0,
    ewmaLatencyMs: 10,
    weight: 1,
    eligible: true,
    ...over[i],
  }));
}

const rng = () => new SeededRng(42);
const ids = (picks: Array<EndpointView | undefined>) => picks.map((p) => p?.id);

describe('round-robin', () => {
  it('cycles in order and skips ineligible endpoints', () => {
    const b = createBalancer('round-robin', { rng: rng() });
    const v = views(3);
    expect(ids([b.pick(v), b.pick(v), b.pick(v), b.pick(v)])).toEqual(['s[0]', 's[1]', 's[2]', 's[0]']);
    v[2]!.eligible = false;
    expect(ids([b.pick(v), b.pick(v), b.pick(v)])).toEqual(['s[1]', 's[0]', 's[1]']);
  });
});

describe('least-in-flight', () => {
  it('picks the fewest in flight, breaking ties uniformly at random', () => {
    const b = createBalancer('least-in-flight', { rng: rng() });
    const v = views(4, [{ inFlight: 2 }, { inFlight: 1 }, { inFlight: 1 }, { inFlight: 1 }]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const id = b.pick(v)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get('s[0]')).toBeUndefined();
    for (const id of ['s[1]', 's[2]', 's[3]']) expect(Math.abs(counts.get(id)! - 1000)).toBeLessThan(120);
    v[1]!.inFlight = 0;
    expect(b.pick(v)?.id).toBe('s[1]');
    v[1]!.eligible = false;
    v[2]!.eligible = false;
    v[3]!.eligible = false;
    expect(b.pick(v)?.id).toBe('s[0]');
  });
});

describe('p2c', () => {
  it('of two candidates always keeps the cheaper one', () => {
    const b = createBalancer('p2c', { rng: rng() });
    const v = views(2, [{ ewmaLatencyMs: 50 }, { ewmaLatencyMs: 5 }]);
    for (let i = 0; i < 20; i++) expect(b.pick(v)?.id).toBe('s[1]');
    v[1]!.inFlight = 20; // (5+1)×21 = 126 > (50+1)×1
    expect(b.pick(v)?.id).toBe('s[0]');
    expect(p2cCost(v[0]!)).toBe(51);
  });

  it('never picks the worst of three and only picks eligible ones', () => {
    const b = createBalancer('p2c', { rng: rng() });
    const v = views(3, [{ ewmaLatencyMs: 1 }, { ewmaLatencyMs: 2 }, { ewmaLatencyMs: 300 }]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 600; i++) {
      const id = b.pick(v)!.id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    expect(counts.get('s[2]')).toBeUndefined();
    // s[0] wins every pair it is in: 2 of 3 pairs
    expect(counts.get('s[0]')!).toBeGreaterThan(330);
    v[0]!.eligible = false;
    v[1]!.eligible = false;
    expect(b.pick(v)?.id).toBe('s[2]');
    v[2]!.eligible = false;
    expect(b.pick(v)).toBeUndefined();
  });
});

describe('weighted (smooth WRR)', () => {
  it('picks each endpoint exactly weight times per cycle, spread out like nginx', () => {
    const b = createBalancer('weighted', { rng: rng() });
    const v = views(3, [{ weight: 5 }, { weight: 1 }, { weight: 1 }]);
    const seq = ids(Array.from({ length: 7 }, () => b.pick(v)));
    // nginx's documented sequence for weights 5,1,1: a a b a c a a
    expect(seq).toEqual(['s[0]', 's[0]', 's[1]', 's[0]', 's[2]', 's[0]', 's[0]']);
  });

  it('ignores zero weights unless all are zero', () => {
    const b = createBalancer('weighted', { rng: rng() });
    const v = views(2, [{ weight: 0 }, { weight: 2 }]);
    expect(ids([b.pick(v), b.pick(v)])).toEqual(['s[1]', 's[1]']);
    v[1]!.eligible = false;
    expect(b.pick(v)?.id).toBe('s[0]');
  });
});

describe('sticky (rendezvous)', () => {
  it('keeps a key on its endpoint while it stays eligible, moves only its keys when it leaves', () => {
    const b = createBalancer('sticky', { rng: rng() });
    const v = views(5);
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const before = new Map(keys.map((k) => [k, b.pick(v, { key: k })!.id]));
    for (const k of keys) expect(b.pick(v, { key: k })!.id).toBe(before.get(k));
    const spread = new Set(before.values());
    expect(spread.size).toBe(5);
    v[3]!.eligible = false;
    for (const k of keys) {
      const now = b.pick(v, { key: k })!.id;
      if (before.get(k) !== 's[3]') expect(now).toBe(before.get(k));
      else expect(now).not.toBe('s[3]');
    }
  });

  it('goes round-robin without a key', () => {
    const b = createBalancer('sticky', { rng: rng() });
    const v = views(2);
    expect(ids([b.pick(v), b.pick(v), b.pick(v)])).toEqual(['s[0]', 's[1]', 's[0]']);
  });
});

describe('every balancer', () => {
  const kinds: BalancerKind[] = ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky'];
  it.each(kinds)('%s returns undefined for no / no eligible candidates', (kind) => {
    const b = createBalancer(kind, { rng: rng() });
    expect(b.kind).toBe(kind);
    expect(b.pick([], { key: 'k' })).toBeUndefined();
    expect(
      b.pick(views(3, [{ eligible: false }, { eligible: false }, { eligible: false }]), { key: 'k' }),
    ).toBe(undefined);
    const v = views(3, [{ eligible: false }, { eligible: false }]);
    expect(b.pick(v, { key: 'k' })).toBe(v[2]);
  });
  it('rejects an unknown kind', () => {
    expect(() => createBalancer('random' as BalancerKind, { rng: rng() })).toThrow(/"random"/);
  });
});

describe('selectEligible', () => {
  function status(over: Partial<EndpointStatus>, i: number): EndpointStatus {
    return {
      ...views(1)[0]!,
      id: `s[${i}]`,
      breaker: 'closed',
      breakerAdmits: true,
      health: 'healthy',
      ejected: false,
      ...over,
    };
  }
  const make = (...o: Partial<EndpointStatus>[]) => o.map(status);
  const eligibleIds = (s: EndpointStatus[]) => s.filter((e) => e.eligible).map((e) => e.id);

  it('prefers healthy+closed over half-open trials over unknown health', () => {
    const s = make(
      { health: 'unknown' },
      { breaker: 'half-open', breakerAdmits: true },
      { health: 'healthy' },
      { breaker: 'disabled' },
    );
    expect(selectEligible(s)).toBe('healthy');
    expect(eligibleIds(s)).toEqual(['s[2]', 's[3]']);
    s[2]!.ejected = true;
    s[3]!.health = 'unhealthy';
    expect(selectEligible(s)).toBe('trial');
    expect(eligibleIds(s)).toEqual(['s[1]']);
    s[1]!.breakerAdmits = false; // trial slots taken
    expect(selectEligible(s)).toBe('unknown-health');
    expect(eligibleIds(s)).toEqual(['s[0]']);
  });

  it('never marks open, forced-open, ejected or unhealthy endpoints; none when nothing qualifies', () => {
    const s = make(
      { breaker: 'open', breakerAdmits: false },
      { breaker: 'forced-open', breakerAdmits: false },
      { ejected: true },
      { health: 'unhealthy' },
    );
    expect(selectEligible(s)).toBe('none');
    expect(eligibleIds(s)).toEqual([]);
    s[0]!.breakerAdmits = true; // open, wait over: will be a trial
    expect(selectEligible(s)).toBe('trial');
    expect(eligibleIds(s)).toEqual(['s[0]']);
  });
});

describe('EwmaLatency', () => {
  it('starts at the first sample and moves by alpha', () => {
    const e = new EwmaLatency(0.5);
    expect(e.value).toBe(0);
    e.record(100);
    expect(e.value).toBe(100);
    e.record(50);
    expect(e.value).toBe(75);
    e.record(-1);
    e.record(Number.NaN);
    expect([e.value, e.samples]).toEqual([75, 2]);
    e.reset();
    expect(e.value).toBe(0);
    expect(() => new EwmaLatency(0)).toThrow(RangeError);
  });
});
