import { describe, expect, it } from 'vitest';
import { SeededRng } from '../../../src/core/index.js';
import { slicePoints } from '../../../src/proxy/toxics/index.js';
import { makeLink, toxic } from './fakes.js';

describe('latency', () => {
  it('releases each chunk at read time + latency, without accumulating delay', () => {
    const { clock, dest, send } = makeLink([toxic('latency', { latency: 100 })]);
    send('a');
    clock.advance(30);
    send('b');
    clock.advance(69);
    expect(dest.writes).toEqual([]);
    clock.advance(1);
    expect(dest.writes).toEqual([{ data: 'a', at: 100 }]);
    clock.advance(30);
    expect(dest.writes).toEqual([
      { data: 'a', at: 100 },
      { data: 'b', at: 130 },
    ]);
  });

  it('adds uniform jitter in [latency - jitter, latency + jitter) and keeps order', () => {
    const { clock, dest, send } = makeLink([toxic('latency', { latency: 100, jitter: 50 })]);
    for (let i = 0; i < 40; i++) {
      send(String.fromCharCode(65 + i));
      clock.advance(10);
    }
    clock.advance(1000);
    expect(dest.text()).toBe(Array.from({ length: 40 }, (_, i) => String.fromCharCode(65 + i)).join(''));
    const delays = dest.writes.map((w, i) => w.at - i * 10);
    for (let i = 0; i < delays.length; i++) {
      const previous = dest.writes[i - 1]?.at ?? 0;
      // a chunk waits for the one before it, otherwise it leaves within the jitter window
      expect(dest.writes[i]!.at).toBeGreaterThanOrEqual(previous);
      if (dest.writes[i]!.at > previous) {
        expect(delays[i]).toBeGreaterThanOrEqual(50);
        expect(delays[i]).toBeLessThan(150);
      }
    }
    expect(new Set(delays).size).toBeGreaterThan(5);
  });

  it('replays the same jitter for the same seed and differs for another', () => {
    const times = (seed: number) => {
      const { clock, dest, send } = makeLink([toxic('latency', { latency: 100, jitter: 100 })], seed);
      for (let i = 0; i < 20; i++) {
        send('x');
        clock.advance(250);
      }
      return dest.writes.map((w) => w.at);
    };
    expect(times(7)).toEqual(times(7));
    expect(times(7)).not.toEqual(times(8));
  });

  it('stacked latency toxics add up', () => {
    const { clock, dest, send } = makeLink([
      toxic('latency', { latency: 50 }, { name: 'a' }),
      toxic('latency', { latency: 70 }, { name: 'b' }),
    ]);
    send('x');
    clock.advance(119);
    expect(dest.writes).toEqual([]);
    clock.advance(1);
    expect(dest.writes).toEqual([{ data: 'x', at: 120 }]);
  });
});

describe('bandwidth', () => {
  it('paces N bytes to N / rate ms, sending big chunks in 100 ms slices', () => {
    const { clock, dest, send } = makeLink([toxic('bandwidth', { rate: 1 })]); // 1000 B/s
    send('x'.repeat(250));
    clock.advance(1000);
    expect(dest.writes.map((w) => [w.data.length, w.at])).toEqual([
      [100, 100],
      [100, 200],
      [50, 250],
    ]);
  });

  it('paces consecutive small chunks', () => {
    const { clock, dest, send } = makeLink([toxic('bandwidth', { rate: 10 })]); // 10 B/ms
    send('x'.repeat(500));
    send('y'.repeat(500));
    clock.advance(2000);
    expect(dest.writes.map((w) => w.at)).toEqual([50, 100]);
  });
});

describe('slicer', () => {
  it('cuts chunks into pieces of at most average + variation, in order, delay µs apart', () => {
    const { clock, dest, send } = makeLink([
      toxic('slicer', { average_size: 10, size_variation: 4, delay: 2000 }),
    ]);
    const text = Array.from({ length: 100 }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
    send(text);
    clock.advance(1000);
    expect(dest.text()).toBe(text);
    expect(dest.writes.length).toBeGreaterThan(5);
    for (const w of dest.writes) expect(w.data.length).toBeLessThanOrEqual(14);
    dest.writes.forEach((w, i) => {
      expect(w.at).toBe(i * 2);
    });
  });

  it('slicePoints covers the range with increasing cut points', () => {
    const rng = new SeededRng(3);
    expect(slicePoints(0, 0, 16, 8, rng)).toEqual([0, 0]);
    for (const size of [1, 9, 10, 11, 1000, 65536]) {
      const points = slicePoints(0, size, 16, 8, rng);
      expect(points[0]).toBe(0);
      expect(points[points.length - 1]).toBe(size);
      const sizes = points.slice(1).map((p, i) => p - points[i]!);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(24);
    }
  });
});

describe('limit_data', () => {
  it('forwards exactly `bytes`, truncating the crossing chunk, then closes', () => {
    const { dest, closes, send } = makeLink([toxic('limit_data', { bytes: 10 })]);
    send('aaaa');
    send('bbbb');
    expect(closes).toEqual([]);
    send('cccc');
    send('dddd');
    expect(dest.text()).toBe('aaaabbbbcc');
    expect(closes).toHaveLength(1);
  });

  it('keeps its count across an update', () => {
    const entry = toxic('limit_data', { bytes: 10 });
    const { dest, closes, send, link } = makeLink([entry]);
    send('aaaaaa');
    link.updateToxic(toxic('limit_data', { bytes: 8 }), entry);
    send('bbbbbb');
    expect(dest.text()).toBe('aaaaaabb');
    expect(closes).toHaveLength(1);
  });
});

describe('timeout', () => {
  it('drops data and closes `timeout` ms after the start or the last chunk', () => {
    const { clock, dest, closes, send } = makeLink([toxic('timeout', { timeout: 100 })]);
    clock.advance(60);
    send('dropped');
    clock.advance(99);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([{ at: 160 }]);
    expect(dest.writes).toEqual([]);
  });

  it('with 0 never closes; removing it closes the connection', () => {
    const entry = toxic('timeout', { timeout: 0 });
    const { clock, dest, closes, send, link } = makeLink([entry]);
    send('x');
    clock.advance(1_000_000);
    expect(closes).toEqual([]);
    link.removeToxic(entry);
    expect(closes).toHaveLength(1);
    expect(dest.writes).toEqual([]);
  });
});

describe('slow_close', () => {
  it('passes data and holds the close after EOF for `delay` ms', () => {
    const { clock, dest, closes, send, link } = makeLink([toxic('slow_close', { delay: 200 })]);
    send('data');
    expect(dest.text()).toBe('data');
    link.onSourceEnd();
    clock.advance(199);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([{ at: 200 }]);
  });

  it('an update during the wait starts the wait again with the new delay', () => {
    const entry = toxic('slow_close', { delay: 100 });
    const { clock, closes, link } = makeLink([entry]);
    link.onSourceEnd();
    clock.advance(50);
    link.updateToxic(toxic('slow_close', { delay: 200 }), entry);
    clock.advance(199);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([{ at: 250 }]);
  });
});

describe('reset_peer', () => {
  it('forwards nothing and closes `timeout` ms after the first chunk', () => {
    const { clock, dest, closes, send } = makeLink([toxic('reset_peer', { timeout: 100 })]);
    clock.advance(10);
    send('x');
    send('y');
    clock.advance(99);
    expect(closes).toEqual([]);
    clock.advance(1);
    expect(closes).toEqual([{ at: 110 }]);
    expect(dest.writes).toEqual([]);
  });
});

describe('toxicity', () => {
  it('0 never applies the toxic, 1 always does', () => {
    const never = makeLink([toxic('latency', { latency: 100 }, { toxicity: 0 })]);
    never.send('x');
    expect(never.dest.writes).toEqual([{ data: 'x', at: 0 }]);
    const always = makeLink([toxic('latency', { latency: 100 }, { toxicity: 1 })]);
    always.send('x');
    expect(always.dest.writes).toEqual([]);
  });

  it('is rolled once per stage start, not per chunk', () => {
    let applied = 0;
    for (let seed = 0; seed < 200; seed++) {
      const { clock, dest, send } = makeLink([toxic('latency', { latency: 100 }, { toxicity: 0.5 })], seed);
      send('a');
      send('b');
      clock.advance(1);
      // both chunks share the roll
      expect([0, 2]).toContain(dest.writes.length);
      if (dest.writes.length === 0) applied++;
    }
    expect(applied).toBeGreaterThan(60);
    expect(applied).toBeLessThan(140);
  });
});
