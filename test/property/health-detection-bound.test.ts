/**
 * Property: the health checker marks an endpoint unhealthy within
 * unhealthyAfter × max(interval + jitter, timeout) + timeout of a fault starting (never before it), healthy
 * again within healthyAfter × max(unhealthyInterval + jitter, timeout) + timeout of the fault ending, and
 * never runs two probes at once — for refused, hanging and too-slow probes, under a fake clock.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/core/clock.js';
import { SeededRng } from '../../src/core/rng.js';
import {
  HealthChecker,
  type HealthTransition,
  healthDetectionBoundMs,
  healthRecoveryBoundMs,
} from '../../src/manager/health/index.js';
import type { HealthSettings } from '../../src/manager/types.js';
import { FC_SEED } from '../helpers/seed.js';

const seed = FC_SEED;

const settingsArb: fc.Arbitrary<HealthSettings> = fc.record({
  probe: fc.constant('ping' as const),
  intervalMs: fc.integer({ min: 20, max: 200 }),
  timeoutMs: fc.integer({ min: 5, max: 250 }),
  jitterMs: fc.integer({ min: 0, max: 50 }),
  unhealthyAfter: fc.integer({ min: 1, max: 3 }),
  healthyAfter: fc.integer({ min: 1, max: 3 }),
  unhealthyIntervalMs: fc.option(fc.integer({ min: 10, max: 100 }), { nil: undefined }),
});

describe('health checker detection bound', () => {
  it('detects within the bound, recovers within the bound, never overlaps probes', async () => {
    await fc.assert(
      fc.asyncProperty(
        settingsArb,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.constantFrom('refused', 'hang', 'slow'),
        fc.integer(),
        async (s, faultAt, extra, mode, rngSeed) => {
          const clock = new FakeClock(0);
          const detect = healthDetectionBoundMs(s);
          const faultEnd = faultAt + detect + extra;
          let running = 0;
          let maxRunning = 0;
          const probe = (signal: AbortSignal) => {
            const t = clock.now();
            running++;
            maxRunning = Math.max(maxRunning, running);
            let p: Promise<void>;
            if (t < faultAt || t >= faultEnd) p = clock.sleep(Math.floor(s.timeoutMs / 2), signal);
            else if (mode === 'refused') p = Promise.reject(new Error('refused'));
            else if (mode === 'hang') p = clock.sleep(1e9, signal);
            else p = clock.sleep(s.timeoutMs + 1, signal);
            return p.finally(() => running--);
          };
          const checker = new HealthChecker(s, { clock, rng: new SeededRng(rngSeed), endpoint: 'e', probe });
          const transitions: HealthTransition[] = [];
          checker.onTransition((e) => transitions.push(e));
          await checker.start();
          await clock.advanceAsync(faultEnd + healthRecoveryBoundMs(s) + 1);
          await checker.close();

          const down = transitions.find((e) => e.to === 'unhealthy');
          expect(down).toBeDefined();
          expect(down!.t).toBeGreaterThanOrEqual(faultAt);
          expect(down!.t - faultAt).toBeLessThanOrEqual(detect);
          const up = transitions.find((e) => e.to === 'healthy' && e.t >= faultEnd);
          expect(up).toBeDefined();
          expect(up!.t - faultEnd).toBeLessThanOrEqual(healthRecoveryBoundMs(s));
          expect(maxRunning).toBe(1);
          await clock.advanceAsync(0);
          expect(clock.pending()).toBe(0);
        },
      ),
      { seed, numRuns: 60 },
    );
  });
});
