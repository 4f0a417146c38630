import { describe, expect, it } from 'vitest';
import { lanes } from '../../../../src/chaos/stats/index.js';
import { HistoryBuilder } from '../invariants/history-builder.js';

describe('lanes', () => {
  it('turns breaker and health events into intervals per endpoint', () => {
    const h = new HistoryBuilder({ servers: { s: 2 }, durationMs: 1000 });
    h.breakerTo(100, 's[0]', 'open').breakerTo(300, 's[0]', 'half-open').breakerTo(310, 's[0]', 'closed');
    h.healthTo(0, 's[0]', 'healthy').healthTo(200, 's[0]', 'unhealthy');
    h.call({ t: 50, endpoint: 's[0]' });
    h.call({ t: 60, endpoint: 's[0]', outcome: 'timeout' });
    h.call({ t: 70, endpoint: 's[1]' });
    const ls = lanes(h.build());
    expect(ls.map((l) => l.endpoint)).toEqual(['s[0]', 's[1]']);
    const l0 = ls[0]!;
    expect(l0.breaker).toEqual([
      { fromT: 0, toT: 100, state: 'closed' },
      { fromT: 100, toT: 300, state: 'open' },
      { fromT: 300, toT: 310, state: 'half-open' },
      { fromT: 310, toT: 1000, state: 'closed' },
    ]);
    expect(l0.health).toEqual([
      { fromT: 0, toT: 200, state: 'healthy' },
      { fromT: 200, toT: 1000, state: 'unhealthy' },
    ]);
    expect(l0).toMatchObject({ calls: 2, failures: 1 });
    expect(ls[1]!.breaker).toEqual([{ fromT: 0, toT: 1000, state: 'closed' }]);
    expect(ls[1]!.health).toEqual([{ fromT: 0, toT: 1000, state: 'unknown' }]);
  });

  it('starts a forced-open server in forced-open', () => {
    const h = new HistoryBuilder({ servers: { s: 1 }, settings: { breaker: { mode: 'forced-open' } } });
    expect(lanes(h.build())[0]!.breaker[0]!.state).toBe('forced-open');
  });

  it('records the era spoken to each endpoint, with its changes (none when no era was found)', () => {
    const h = new HistoryBuilder({ servers: { s: 2 }, durationMs: 1000 });
    h.event({ type: 'connection', t: 0, endpoint: 's[0]', kind: 'era', era: 'legacy' });
    h.event({ type: 'connection', t: 400, endpoint: 's[0]', kind: 'era', era: 'modern' });
    h.event({ type: 'connection', t: 500, endpoint: 's[0]', kind: 'era', era: 'modern' });
    const ls = lanes(h.build());
    expect(ls[0]!.eras).toEqual([
      { fromT: 0, toT: 400, era: 'legacy' },
      { fromT: 400, toT: 1000, era: 'modern' },
    ]);
    expect(ls[1]!.eras).toBeUndefined();
  });
});
