/** The fault timeline on a fake clock with a recording actuator. */
import { describe, expect, it } from 'vitest';
import type { FaultEvent } from '../../../src/chaos/history.js';
import { type FaultActuator, type FaultStep, FaultTimeline } from '../../../src/chaos/index.js';
import { FakeClock } from '../../../src/core/clock.js';

function recorder() {
  const calls: string[] = [];
  let failInject = false;
  let slowMs = 0;
  const clock = new FakeClock();
  const actuator: FaultActuator = {
    async inject(step, ep) {
      calls.push(`+${step.name}@${ep}@${clock.now()}`);
      if (slowMs > 0) await clock.sleep(slowMs);
      if (failInject) throw new Error('proxy said no');
    },
    async remove(step, ep) {
      calls.push(`-${step.name}@${ep}@${clock.now()}`);
    },
  };
  return {
    calls,
    clock,
    actuator,
    failInjects() {
      failInject = true;
    },
    slow(ms: number) {
      slowMs = ms;
    },
  };
}

const toxic = (name: string, startT: number, endT: number, endpoints = ['w[0]']): FaultStep => ({
  name,
  endpoints,
  startT,
  endT,
  kind: 'toxic',
  toxic: { type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100 } },
});

describe('FaultTimeline', () => {
  it('injects at startT and removes at endT, recording each as a fault event', async () => {
    const r = recorder();
    const events: FaultEvent[] = [];
    const tl = new FaultTimeline([toxic('a', 100, 300, ['w[0]', 'w[1]'])], r.actuator, r.clock, (e) =>
      events.push(e),
    );
    tl.start(1000);
    await r.clock.advanceAsync(1000);
    await tl.stop();
    expect(r.calls).toEqual(['+a@w[0]@100', '+a@w[1]@100', '-a@w[0]@300', '-a@w[1]@300']);
    expect(events.map((e) => `${e.action} ${e.endpoint} ${e.t} ${e.detail}`)).toEqual([
      'inject w[0] 100 latency',
      'inject w[1] 100 latency',
      'rollback w[0] 300 latency',
      'rollback w[1] 300 latency',
    ]);
    expect(tl.stillActive()).toEqual([]);
  });

  it('leaves faults that last until the end of load to rollback', async () => {
    const r = recorder();
    const tl = new FaultTimeline([toxic('open', 100, 1000)], r.actuator, r.clock, () => {});
    tl.start(1000);
    await r.clock.advanceAsync(1000);
    await tl.stop();
    expect(r.calls).toEqual(['+open@w[0]@100']);
    const active = tl.stillActive();
    expect(active.map((a) => `${a.step.name} ${a.endpoint}`)).toEqual(['open w[0]']);
    await tl.rollback(active[0]!.step, active[0]!.endpoint);
    expect(r.calls.at(-1)).toBe('-open@w[0]@1000');
    expect(tl.stillActive()).toEqual([]);
  });

  it('cancels what has not fired when stopped', async () => {
    const r = recorder();
    const tl = new FaultTimeline([toxic('late', 500, 600)], r.actuator, r.clock, () => {});
    tl.start(1000);
    await r.clock.advanceAsync(100);
    await tl.stop();
    await r.clock.advanceAsync(900);
    expect(r.calls).toEqual([]);
  });

  it('serialises actions per endpoint: a removal waits for a slow injection', async () => {
    const r = recorder();
    r.slow(200);
    const tl = new FaultTimeline([toxic('x', 0, 50)], r.actuator, r.clock, () => {});
    tl.start(1000);
    await r.clock.advanceAsync(1000);
    await tl.stop();
    expect(r.calls).toEqual(['+x@w[0]@0', '-x@w[0]@200']);
  });

  it('records a failed injection as an error and still rolls it back', async () => {
    const r = recorder();
    r.failInjects();
    const tl = new FaultTimeline([toxic('bad', 10, 1000)], r.actuator, r.clock, () => {});
    tl.start(1000);
    await r.clock.advanceAsync(100);
    await tl.stop();
    expect(tl.errors).toEqual(['fault bad inject on w[0]: proxy said no']);
    expect(tl.stillActive().length).toBe(1);
  });
});
