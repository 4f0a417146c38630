import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../../src/core/errors.js';
import { McpManager } from '../../../../src/manager/index.js';

const url = 'http://127.0.0.1:1/mcp';
const problems = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isChaosError(e, 'INVALID_CONFIG')) return e.message;
    throw e;
  }
  return '';
};

describe('McpManager settings, in code form or written as in a config file', () => {
  it('takes the config-file form (durations as text, breaker.failures) and resolves it like a file', () => {
    const m = new McpManager({
      settings: { callTimeout: '2s', breaker: { failures: 4, openFor: '3s' }, health: { interval: '500ms' } },
      servers: [
        { name: 'a', endpoints: [{ url }], settings: { retry: { attempts: 5, backoff: { base: '20ms' } } } },
      ],
    });
    const s = m.registry.server('a')?.settings;
    expect(s?.callTimeoutMs).toBe(2000);
    expect(s?.breaker.openForMs).toBe(3000);
    expect(s?.breaker.trip).toMatchObject({ policy: 'consecutive', failures: 4 });
    expect(s?.health.intervalMs).toBe(500);
    expect(s?.retry.attempts).toBe(5);
    expect(s?.retry.backoffMs.baseMs).toBe(20);
  });

  it('takes the code form as before', () => {
    const m = new McpManager({
      settings: {
        callTimeoutMs: 1500,
        breaker: { trip: { policy: 'consecutive', failures: 2 }, openForMs: 800 },
      },
      servers: [{ name: 'a', endpoints: [{ url }] }],
    });
    expect(m.registry.server('a')?.settings.breaker.openForMs).toBe(800);
  });

  it('says did-you-mean for a misspelt setting in either form', () => {
    expect(
      problems(
        () =>
          new McpManager({
            settings: {
              breaker: { trip: { policy: 'consecutive', failures: 2 }, halfOpenTrails: 1 },
            } as never,
            servers: [{ name: 'a', endpoints: [{ url }] }],
          }),
      ),
    ).toMatch(/breaker\.halfOpenTrails: unknown setting \(did you mean "halfOpenTrials"\?\)/);
    expect(
      problems(
        () =>
          new McpManager({
            settings: { callTimeout: '1s', breaker: { failures: 2, halfOpenTrails: 1 } } as never,
            servers: [{ name: 'a', endpoints: [{ url }] }],
          }),
      ),
    ).toMatch(/halfOpenTrails: unknown setting \(did you mean "halfOpenTrials"\?\)/);
  });
});
