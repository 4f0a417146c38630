import { describe, expect, it } from 'vitest';
import { claimsOf } from '../../scenarios/description-claims.js';

describe('description claims', () => {
  it('finds what a description says happens, and not what it says does not', () => {
    expect(
      claimsOf(
        'the breaker counts five consecutive timeouts and opens, after which the replica gets no traffic',
      ),
    ).toEqual(['breaker']);
    expect(claimsOf('Pings still pass, so health never flags it. No breaker opens.')).toEqual([]);
    expect(claimsOf('the idempotent call is retried on weather[1]: no idempotent call fails')).toEqual([
      'failover',
    ]);
    expect(claimsOf('breaker, health and ejection take it out of rotation')).toEqual([
      'breaker',
      'ejection',
      'health',
    ]);
    expect(claimsOf('health checks mark it unhealthy and traffic moves to the others')).toEqual([
      'failover',
      'health',
    ]);
    expect(claimsOf('without ejecting it')).toEqual([]);
    expect(claimsOf('takes it out of rotation before its breaker would open')).toEqual([]);
    expect(claimsOf('breaker and ejection are not needed')).toEqual([]);
  });
});
