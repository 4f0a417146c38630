import { describe, expect, it } from 'vitest';
import { describeWindow } from '../../../../src/chaos/invariants/fault-selection.js';
import { faultWindows } from '../../../../src/chaos/stats/index.js';
import { secondsText } from '../../../../src/core/index.js';
import { HistoryBuilder } from './history-builder.js';

describe('times in messages', () => {
  it('are seconds with millisecond precision, never raw floats', () => {
    expect(secondsText(1.626220703125)).toBe('0.002s');
    expect(secondsText(505.59912109375)).toBe('0.506s');
    expect(secondsText(3000)).toBe('3s');
    const h = new HistoryBuilder({ servers: { s: 1 } });
    h.fault({ name: 'f', endpoints: ['s[0]'], startT: 1.626220703125, endT: 505.59912109375 });
    const [w] = faultWindows(h.build());
    expect(describeWindow(w as never)).toMatch(/\[0\.002s, 0\.506s\]$/);
  });
});
