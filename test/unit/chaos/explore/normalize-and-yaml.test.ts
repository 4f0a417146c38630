import { describe, expect, it } from 'vitest';
import {
  buildExploreScenario,
  DEFAULT_EXPLORE_MANAGER,
  DEFAULT_FLEET,
  EXPLORE_INVARIANTS,
  formatMs,
  normalizeSchedule,
  overlapKeyOf,
  parseScenario,
  type ScheduledFault,
  scenarioToYaml,
} from '../../../../src/chaos/index.js';

const down = (atMs: number, forMs: number, target: string): ScheduledFault => ({
  atMs,
  forMs,
  target,
  action: { down: true },
});
const opts = { durationMs: 5000, replicas: 3 };

describe('normalizeSchedule', () => {
  it('drops a fault overlapping an earlier one of the same kind on a shared endpoint', () => {
    const s = normalizeSchedule(
      [down(0, 1000, 'svc[0]'), down(500, 1000, 'svc[*]'), down(500, 1000, 'svc[1]')],
      opts,
    );
    expect(s.map((f) => f.target)).toEqual(['svc[0]', 'svc[1]']);
  });

  it('keeps overlapping faults of different kinds, and back-to-back faults of one kind', () => {
    const blackhole: ScheduledFault = {
      atMs: 200,
      forMs: 500,
      target: 'svc[0]',
      action: { toxic: { type: 'timeout', attributes: { timeout: 0 } } },
    };
    const upstream: ScheduledFault = {
      ...blackhole,
      action: { toxic: { type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } } },
    };
    const s = normalizeSchedule(
      [down(0, 1000, 'svc[0]'), blackhole, upstream, down(1000, 500, 'svc[0]')],
      opts,
    );
    expect(s).toHaveLength(4);
    expect(overlapKeyOf(blackhole.action)).not.toBe(overlapKeyOf(upstream.action));
  });

  it('keeps a fault length and moves one that would run past the end earlier', () => {
    const s = normalizeSchedule(
      [down(4500, 2000, 'svc[0]'), down(4980, 100, 'svc[1]'), down(0, 9000, 'svc[2]')],
      opts,
    );
    expect(s).toEqual([down(3000, 2000, 'svc[0]'), down(4900, 100, 'svc[1]'), down(0, 5000, 'svc[2]')]);
  });

  it('shrinking a raw `at` or `for` never makes the normalised fault longer or later than the raw one', () => {
    for (const [at, len] of [
      [4800, 500],
      [4800, 200],
      [100, 300],
    ] as const) {
      const [f] = normalizeSchedule([down(at, len, 'svc[0]')], opts);
      expect(f?.forMs).toBe(len);
      expect(f?.atMs).toBeLessThanOrEqual(at);
    }
  });

  it('rejects a malformed target', () => {
    expect(() => normalizeSchedule([down(0, 100, 'svc[')], opts)).toThrow(RangeError);
  });
});

describe('scenario document and YAML', () => {
  const schedule: ScheduledFault[] = [
    down(0, 1500, 'svc[1]'),
    {
      atMs: 1200,
      forMs: 800,
      target: 'svc[50%]',
      action: {
        toxic: {
          type: 'latency',
          stream: 'upstream',
          toxicity: 0.5,
          attributes: { latency: 1250, jitter: 30 },
        },
      },
    },
    { atMs: 2000, forMs: 1000, target: 'svc[*]', action: { process: 'pause' } },
    {
      atMs: 3000,
      forMs: 300,
      target: 'svc[2]',
      action: { toxic: { type: 'slicer', attributes: { average_size: 8, size_variation: 2, delay: 1500 } } },
    },
  ];

  it('round-trips through the real loader: same timeline, manager, load and invariants', () => {
    const doc = buildExploreScenario(schedule, {
      fleet: DEFAULT_FLEET,
      manager: DEFAULT_EXPLORE_MANAGER,
      invariants: EXPLORE_INVARIANTS,
      name: 'explore-7',
      seed: 7,
      description: 'round trip',
    });
    const text = scenarioToYaml(doc, {
      schemaRef: '../schema/scenario.schema.json',
      comments: ['a comment'],
    });
    expect(
      text.startsWith('# yaml-language-server: $schema=../schema/scenario.schema.json\n# a comment\n'),
    ).toBe(true);
    const r = parseScenario(text, 'x.yaml');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.warnings).toEqual([]);
    const s = r.scenario;
    expect([s.name, s.seed, s.description, s.durationMs]).toEqual(['explore-7', 7, 'round trip', 5000]);
    expect(s.servers).toHaveLength(1);
    expect(s.servers[0]).toMatchObject({ name: 'svc', replicas: 3, kind: 'mock' });
    expect(s.load[0]).toMatchObject({ server: 'svc', tool: 'echo', ratePerSec: 100, idempotent: true });
    expect(s.manager).toMatchObject({
      callTimeoutMs: 1000,
      breaker: { trip: { policy: 'consecutive', failures: 3 }, openForMs: 1000, halfOpenTrials: 1 },
      health: { intervalMs: 500, timeoutMs: 400 },
    });
    expect(s.faults.map((f) => [f.atMs, f.forMs, f.target.source])).toEqual(
      schedule.map((f) => [f.atMs, f.forMs, f.target]),
    );
    expect(s.faults[0]?.action).toEqual({ kind: 'down' });
    expect(s.faults[1]?.action).toEqual({
      kind: 'toxic',
      toxic: {
        type: 'latency',
        stream: 'upstream',
        toxicity: 0.5,
        attributes: { latency: 1250, jitter: 30 },
      },
    });
    expect(s.faults[2]?.action).toEqual({ kind: 'process', process: 'pause' });
    expect(s.faults[3]?.action).toMatchObject({
      toxic: { type: 'slicer', attributes: { average_size: 8, size_variation: 2, delay: 1500 } },
    });
    expect(s.invariants.map((i) => i.name)).toEqual(
      EXPLORE_INVARIANTS.map((e) => (typeof e === 'string' ? e : Object.keys(e)[0])),
    );
    expect(s.invariants.find((i) => i.name === 'no-lost-calls')?.params).toEqual({ slack: '1s' });
  });

  it('writes durations as the format spells them', () => {
    expect([formatMs(0), formatMs(250), formatMs(2000), formatMs(1500), formatMs(12.5)]).toEqual([
      0,
      '250ms',
      '2s',
      '1500ms',
      '12.5ms',
    ]);
    expect(() => formatMs(-1)).toThrow(RangeError);
  });
});
