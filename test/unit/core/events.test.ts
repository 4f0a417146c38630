import { describe, expect, it } from 'vitest';
import { ChaosError, isChaosError } from '../../../src/core/errors.js';
import { Emitter } from '../../../src/core/events.js';

describe('Emitter', () => {
  it('delivers to listeners until disposed; a throwing listener does not stop others', () => {
    const errors: unknown[] = [];
    const em = new Emitter<number>((e) => errors.push(e));
    const got: number[] = [];
    em.event(() => {
      throw new Error('boom');
    });
    const sub = em.event((v) => got.push(v));
    em.emit(1);
    sub.dispose();
    em.emit(2);
    expect(got).toEqual([1]);
    expect(errors).toHaveLength(2);
    expect(em.hasListeners).toBe(true);
  });
});

describe('ChaosError', () => {
  it('carries code, cause and details; guard checks the code', () => {
    const cause = new Error('low');
    const e = new ChaosError('CIRCUIT_OPEN', 'open', { cause, details: { endpoint: 'a[0]' } });
    expect(isChaosError(e)).toBe(true);
    expect(isChaosError(e, 'CIRCUIT_OPEN')).toBe(true);
    expect(isChaosError(e, 'POOL_EXHAUSTED')).toBe(false);
    expect(isChaosError(new Error('x'))).toBe(false);
    expect(e.cause).toBe(cause);
    expect(e.details).toEqual({ endpoint: 'a[0]' });
  });
});
