/**
 * The deploy invariants over synthetic histories, and membership: a replica a deploy added or removed
 * is healthy for no-failed-idempotent-calls-while-healthy only while it served.
 */
import { describe, expect, it } from 'vitest';
import type { DeployEvent } from '../../../../src/chaos/history.js';
import { checkInvariant } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

function deployed(
  steps: Array<[number, DeployEvent['action'], string?]>,
  kind: 'deploy' | 'down' = 'deploy',
) {
  const h = new HistoryBuilder({ servers: { w: 2 }, durationMs: 8000 });
  h.fault({ name: 'up', endpoints: ['w[0]', 'w[1]'], startT: 1000, endT: 4000, kind, detail: 'deploy x' });
  for (const [t, action, detail] of steps)
    h.event({ type: 'deploy', t, fault: 'up', server: 'w', action, ...(detail ? { detail } : {}) });
  return h;
}

describe('deploy-completes-within', () => {
  const check = (h: HistoryBuilder, within = '3s') =>
    checkInvariant('deploy-completes-within', { fault: 'up', within }, h.build());

  it('holds when the deploy completed in time, fails when late, halted or unfinished', () => {
    const done = deployed([
      [1000, 'start'],
      [3500, 'complete'],
    ]);
    expect(check(done).held).toBe(true);
    expect(check(done).summary).toBe('deploy up completed in 2.5s (limit 3s)');
    expect(check(done, '2s').held).toBe(false);
    const halted = check(
      deployed([
        [1000, 'start'],
        [1500, 'halted', 'w[0]#1: its breaker opened'],
      ]),
    );
    expect(halted.held).toBe(false);
    expect(halted.summary).toBe('deploy up halted at 1.5s: w[0]#1: its breaker opened');
    expect(check(deployed([[1000, 'start']])).summary).toBe('deploy up was still rolling when the run ended');
    expect(check(deployed([])).held).toBe(false);
  });

  it('a restore that halts is not the deploy completing or halting', () => {
    const r = check(
      deployed([
        [1000, 'start'],
        [2000, 'complete'],
        [5000, 'restoring'],
        [5100, 'halted', 'restore: w[0]#2 not admitted'],
      ]),
    );
    expect(r.held).toBe(true);
  });

  it('names a fault that is no deploy', () => {
    const r = check(
      deployed(
        [
          [1000, 'start'],
          [2000, 'complete'],
        ],
        'down',
      ),
    );
    expect(r.held).toBe(false);
    expect(r.violations[0]?.message).toBe('no deploy named "up" in this run (deploys: none)');
  });
});

describe('deploy-halts-within', () => {
  const check = (h: HistoryBuilder, within?: string) =>
    checkInvariant('deploy-halts-within', { fault: 'up', ...(within ? { within } : {}) }, h.build());

  it('holds when a broken replica halted the deploy in time and took no call afterwards', () => {
    const h = deployed([
      [1000, 'start'],
      [1800, 'halted', 'w[0]#1: its breaker opened'],
    ]);
    h.call({ t: 1500, endpoint: 'w[0]#1', outcome: 'tool-error' });
    const r = check(h, '1s');
    expect(r.held).toBe(true);
    expect(r.summary).toBe(
      'deploy up halted after 800ms: w[0]#1: its breaker opened; w[0]#1 took no call after the halt',
    );
    expect(check(h, '500ms').held).toBe(false);
    h.call({ t: 1900, endpoint: 'w[0]#1' });
    const late = check(h);
    expect(late.held).toBe(false);
    expect(late.violations[0]?.message).toBe(
      'w[0]#1 halted the deploy at 1.8s but still got 1 new attempt, the first at 1.9s',
    );
  });

  it('fails when the broken version was not noticed, or the load merely ended', () => {
    expect(
      check(
        deployed([
          [1000, 'start'],
          [3000, 'complete'],
        ]),
      ).summary,
    ).toBe('deploy up completed at 3s: the broken version was not noticed');
    const cut = check(
      deployed([
        [1000, 'start'],
        [8000, 'halted', 'the load ended before the deploy did'],
      ]),
    );
    expect(cut.held).toBe(false);
    expect(cut.summary).toBe('deploy up was cut by the end of the load, not halted by a broken replica');
  });
});

describe('membership', () => {
  it('a replica is healthy only while it serves: added, admitted, draining, removed', () => {
    const h = new HistoryBuilder({ servers: { w: 1 }, durationMs: 8000 });
    h.manager({ type: 'fleet', t: 1000, server: 'w', endpoint: 'w[0]#1', action: 'added' });
    h.manager({ type: 'fleet', t: 1100, server: 'w', endpoint: 'w[0]#1', action: 'admitted' });
    h.manager({ type: 'fleet', t: 1100, server: 'w', endpoint: 'w[0]', action: 'draining' });
    h.manager({ type: 'fleet', t: 1150, server: 'w', endpoint: 'w[0]', action: 'removed' });
    h.fault({ name: 'down', endpoints: ['w[0]'], startT: 800, endT: 1100, kind: 'down' });
    // fails while w[0] is down and w[0]#1 not admitted yet: no healthy replica, not a violation
    h.call({ t: 900, endpoint: 'w[0]', outcome: 'connection', timeoutMs: 150, idempotent: true });
    const early = h.build();
    early.endpoints['w[0]#1'] = 'w';
    expect(checkInvariant('no-failed-idempotent-calls-while-healthy', {}, early).held).toBe(true);
    // fails at 2 s while w[0]#1 served throughout its deadline: a violation
    h.call({ t: 2000, endpoint: 'w[0]#1', outcome: 'connection', timeoutMs: 150, idempotent: true });
    const later = h.build();
    later.endpoints['w[0]#1'] = 'w';
    const r = checkInvariant('no-failed-idempotent-calls-while-healthy', {}, later);
    expect(r.held).toBe(false);
    expect(r.violationCount).toBe(1);
  });
});
