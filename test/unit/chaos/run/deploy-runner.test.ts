/**
 * The deploy runner on a fake clock, with a fake manager and replica host: batches of maxUnavailable,
 * old replicas drained only after the new one serves, a broken replica (never admitted, or in trouble
 * while watched) halting the deploy and reverted, scale out and in, restore, and the fault window.
 */
import { describe, expect, it } from 'vitest';
import type { DeployEvent, FaultEvent } from '../../../../src/chaos/history.js';
import {
  DeployRunner,
  type FleetControl,
  type ReplicaHost,
} from '../../../../src/chaos/run/deploy-runner.js';
import type { FaultStep } from '../../../../src/chaos/run/fault-timeline.js';
import { FleetSlots } from '../../../../src/chaos/run/fleet-slots.js';
import type { PlannedEndpoint, PlannedServer } from '../../../../src/chaos/scenario/index.js';
import { FakeClock } from '../../../../src/core/clock.js';

type Kind = 'ok' | 'never-admitted' | 'errors';

function version(server: string, replica: number, kind: Kind, tag = 'v1'): PlannedEndpoint {
  const errorRate = kind === 'errors' ? 1 : 0;
  const p50Ms = kind === 'never-admitted' ? 999 : 1;
  return {
    id: `${server}[${replica}]`,
    server,
    replica,
    proxied: true,
    kind: 'mock',
    transport: 'http',
    mock: {
      transport: 'http',
      protocol: tag === 'v1' ? 'legacy' : 'modern',
      session: 'stateful',
      response: 'json',
      latency: { p50Ms, p99Ms: p50Ms },
      errorRate,
    },
  };
}

function setup(replicas: number) {
  const clock = new FakeClock(0);
  const server: PlannedServer = {
    name: 'w',
    kind: 'mock',
    replicas,
    transport: 'http',
    proxied: true,
    settings: {},
    overrides: {},
    endpoints: Array.from({ length: replicas }, (_, r) => version('w', r, 'ok')),
  };
  const slots = new FleetSlots([server]);
  const running = new Map<string, PlannedEndpoint>(server.endpoints.map((e) => [e.id, e]));
  const serving = new Set(running.keys());
  const log: string[] = [];
  const trouble = new Map<string, string>();
  const host: ReplicaHost = {
    startReplica: async (v, id) => {
      running.set(id, v);
      log.push(`start ${id}`);
      return { id, server: v.server, proxied: true };
    },
    retire: async (id) => {
      running.delete(id);
      log.push(`stop ${id}`);
    },
    endpointConfig: (id) => ({ id, url: `http://127.0.0.1:1/${encodeURIComponent(id)}` }),
  };
  const control: FleetControl = {
    add: async (_server, config) => {
      const id = config.id as string;
      const v = running.get(id);
      await clock.sleep(50); // connect + first probe
      if (v?.kind === 'mock' && v.mock.latency.p50Ms === 999) throw new Error('no good probe within 50 ms');
      serving.add(id);
      log.push(`serve ${id}`);
      if (v?.kind === 'mock' && v.mock.errorRate === 1) {
        // its errors open the breaker 100 ms after it starts serving
        clock.setTimeout(() => trouble.set(id, 'its breaker opened'), 100);
      }
      return id;
    },
    remove: async (id, drainMs) => {
      log.push(`drain ${id}`);
      await clock.sleep(Math.min(drainMs ?? 30, 30));
      serving.delete(id);
      log.push(`removed ${id}`);
    },
    trouble: (id) => trouble.get(id),
  };
  const events: Array<DeployEvent | FaultEvent> = [];
  const runner = new DeployRunner({
    clock,
    slots,
    host,
    control,
    record: (e) => events.push(e),
    log: () => {},
    durationMs: 60_000,
  });
  const step = (
    kind: Kind,
    spec: {
      maxUnavailable?: number;
      everyMs?: number;
      replicas?: number;
      changes?: boolean;
      tag?: string;
    } = {},
    endT = 60_000,
  ): FaultStep => {
    const n = Math.max(replicas, spec.replicas ?? 0);
    return {
      name: 'd',
      endpoints: server.endpoints.map((e) => e.id),
      startT: 0,
      endT,
      kind: 'deploy',
      detail: 'deploy test',
      deploy: {
        plan: {
          server: 'w',
          changes: spec.changes ?? true,
          versions: Array.from({ length: n }, (_, r) => version('w', r, kind, spec.tag ?? 'v2')),
          ...(spec.replicas !== undefined ? { replicas: spec.replicas } : {}),
        },
        spec: { maxUnavailable: spec.maxUnavailable ?? 1, everyMs: spec.everyMs ?? 200 },
      },
    };
  };
  const actions = () => events.filter((e): e is DeployEvent => e.type === 'deploy').map((e) => e.action);
  const settle = async (p: Promise<void>) => {
    let done = false;
    void p.then(() => {
      done = true;
    });
    for (let i = 0; i < 400 && !done; i++) await clock.advanceAsync(10);
    expect(done, 'the deploy settled').toBe(true);
  };
  return { clock, slots, running, serving, log, events, runner, step, actions, settle, trouble };
}

describe('DeployRunner', () => {
  it('replaces one replica at a time: the new one serves before the old one drains', async () => {
    const t = setup(3);
    await t.settle(t.runner.run(t.step('ok')));
    expect(t.actions()).toEqual([
      'start',
      'ready',
      'replaced',
      'ready',
      'replaced',
      'ready',
      'replaced',
      'complete',
    ]);
    expect([...t.serving].sort()).toEqual(['w[0]#1', 'w[1]#1', 'w[2]#1']);
    const i = (s: string) => t.log.indexOf(s);
    expect(i('serve w[0]#1')).toBeLessThan(i('drain w[0]'));
    expect(i('stop w[0]')).toBeLessThan(i('start w[1]#1'));
    // the window: inject per slot at the start, rollback per slot at completion
    const faults = t.events.filter((e): e is FaultEvent => e.type === 'fault');
    expect(faults.map((e) => `${e.action} ${e.endpoint}`)).toEqual([
      'inject w[0]',
      'inject w[1]',
      'inject w[2]',
      'rollback w[0]',
      'rollback w[1]',
      'rollback w[2]',
    ]);
    const complete = t.events.find((e) => e.type === 'deploy' && e.action === 'complete');
    // three batches, each: 50 ms admission + 30 ms drain, then a 200 ms watched pause
    expect(complete?.t).toBeGreaterThanOrEqual(3 * (50 + 30 + 200));
    expect(complete?.t).toBeLessThan(3 * (50 + 30 + 200) + 100);
  });

  it('takes maxUnavailable replicas at once', async () => {
    const t = setup(4);
    await t.settle(t.runner.run(t.step('ok', { maxUnavailable: 2 })));
    const starts = t.log.filter((l) => l.startsWith('start'));
    expect(starts.slice(0, 2)).toEqual(['start w[0]#1', 'start w[1]#1']);
    // the second pair starts only after the first pair is through its pause
    expect(t.log.indexOf('start w[2]#1')).toBeGreaterThan(t.log.indexOf('removed w[1]'));
    expect(t.serving.size).toBe(4);
  });

  it('halts on a replica never admitted: the old one keeps serving, nothing else is touched', async () => {
    const t = setup(3);
    await t.settle(t.runner.run(t.step('never-admitted')));
    expect(t.actions()).toEqual(['start', 'not-admitted', 'halted']);
    expect([...t.serving].sort()).toEqual(['w[0]', 'w[1]', 'w[2]']);
    expect(t.running.has('w[0]#1')).toBe(false); // stopped again
    expect(t.slots.current('w[0]')).toBe('w[0]');
    expect(t.runner.pendingRestore).toBe(false);
  });

  it('halts on a replica in trouble while watched, and reverts it to the old version', async () => {
    const t = setup(3);
    await t.settle(t.runner.run(t.step('errors')));
    expect(t.actions()).toEqual(['start', 'ready', 'replaced', 'halted', 'ready', 'replaced']);
    const halted = t.events.find((e): e is DeployEvent => e.type === 'deploy' && e.action === 'halted');
    expect(halted?.detail).toBe('w[0]#1: its breaker opened');
    expect([...t.serving].sort()).toEqual(['w[0]#2', 'w[1]', 'w[2]']);
    const v = t.running.get('w[0]#2');
    expect(v?.kind === 'mock' && v.mock.protocol).toBe('legacy'); // the old version again
    expect(t.runner.pendingRestore).toBe(false);
  });

  it('scales out and in, and restore brings the replica count back', async () => {
    const t = setup(2);
    await t.settle(t.runner.run(t.step('ok', { replicas: 4, changes: false })));
    expect(t.actions()).toEqual(['start', 'added', 'added', 'complete']);
    expect([...t.serving].sort()).toEqual(['w[0]', 'w[1]', 'w[2]', 'w[3]']);
    await t.settle(t.runner.restoreAll());
    expect([...t.serving].sort()).toEqual(['w[0]', 'w[1]']);
    expect(t.actions().slice(-4)).toEqual(['restoring', 'removed', 'removed', 'restored']);

    const s = setup(3);
    await s.settle(s.runner.run(s.step('ok', { replicas: 1, changes: false })));
    expect([...s.serving]).toEqual(['w[0]']);
    expect(s.slots.current('w[2]')).toBeUndefined();
  });

  it('a scale out after an upgrade adds the upgraded version, not the one the run started with', async () => {
    const t = setup(2);
    await t.settle(t.runner.run(t.step('ok')));
    // a pure scale plans the server's spec as written (v1); the fleet now runs v2
    await t.settle(t.runner.run(t.step('ok', { replicas: 3, changes: false, tag: 'v1' })));
    const added = t.running.get('w[2]');
    expect(added?.kind === 'mock' && added.mock.protocol).toBe('modern');
    expect(added?.replica).toBe(2);
  });

  it('restores after `for`: the window stays open until the old version is back', async () => {
    const t = setup(2);
    const step = t.step('ok', {}, 5_000);
    await t.settle(t.runner.run(step));
    expect(t.events.some((e) => e.type === 'fault' && e.action === 'rollback')).toBe(false);
    await t.settle(t.runner.restore(step));
    expect([...t.serving].sort()).toEqual(['w[0]#2', 'w[1]#2']);
    const v = t.running.get('w[1]#2');
    expect(v?.kind === 'mock' && v.mock.protocol).toBe('legacy');
    expect(t.events.filter((e) => e.type === 'fault' && e.action === 'rollback')).toHaveLength(2);
    expect(t.runner.pendingRestore).toBe(false);
  });

  it('stops between batches when the load ends, saying so', async () => {
    const t = setup(3);
    const p = t.runner.run(t.step('ok'));
    await t.clock.advanceAsync(100); // first batch under way
    const stopped = t.runner.stop();
    await t.settle(stopped);
    await p;
    const halted = t.events.find((e): e is DeployEvent => e.type === 'deploy' && e.action === 'halted');
    expect(halted?.detail).toBe('the load ended before the deploy did');
    expect(t.slots.current('w[1]')).toBe('w[1]');
  });
});
