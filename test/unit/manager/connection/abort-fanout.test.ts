/** One listener per caller signal, however many requests follow it (connection/abort-fanout.ts). */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../../../src/manager/connection/abort-fanout.js';

describe('onAbort', () => {
  it('adds one listener for any number of subscribers and removes it with the last one', () => {
    const ctl = new AbortController();
    const fired: number[] = [];
    const offs = Array.from({ length: 50 }, (_, i) => onAbort(ctl.signal, () => fired.push(i)));
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(1);
    for (const off of offs.slice(0, 49)) off();
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(1);
    offs[49]?.();
    offs[49]?.();
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
    ctl.abort();
    expect(fired).toEqual([]);
  });

  it('calls every live subscriber once on abort, in order; later unsubscribes are no-ops', () => {
    const ctl = new AbortController();
    const fired: string[] = [];
    const offA = onAbort(ctl.signal, () => fired.push('a'));
    const offB = onAbort(ctl.signal, () => fired.push('b'));
    onAbort(ctl.signal, () => fired.push('c'));
    offB();
    ctl.abort();
    ctl.abort();
    expect(fired).toEqual(['a', 'c']);
    offA();
    expect(getEventListeners(ctl.signal, 'abort')).toHaveLength(0);
    // A subscriber on an aborted signal runs at once; a fresh subscription after an abort works too.
    onAbort(ctl.signal, () => fired.push('late'));
    expect(fired).toEqual(['a', 'c', 'late']);
  });
});
