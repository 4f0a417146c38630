import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatProgressLine, type ProgressSnapshot } from '../../../src/cli/progress.js';

class FakeStream {
  chunks: string[] = [];
  isTTY: boolean;
  columns: number | undefined;
  constructor(isTTY: boolean, columns?: number) {
    this.isTTY = isTTY;
    this.columns = columns;
  }
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

const snap = (elapsedMs: number, over: Partial<ProgressSnapshot> = {}): ProgressSnapshot => ({
  elapsedMs,
  durationMs: 12_000,
  calls: Math.round(elapsedMs / 5),
  errors: 3,
  callsPerSec: 200,
  breakers: { 'weather[0]': 'open', 'weather[1]': 'closed' },
  scenario: 'blackhole',
  ...over,
});

describe('createProgress', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('formats elapsed, calls/s, errors and breaker states', () => {
    expect(formatProgressLine(snap(4200))).toBe(
      '[blackhole] 4.2s/12.0s  calls 840 (200/s)  errors 3  weather[0]:open weather[1]:closed',
    );
    expect(formatProgressLine(snap(4200), true)).toContain('weather[0]:\x1b[31mopen\x1b[0m');
  });

  it('never shows load time past the duration, names the stages before and after load', () => {
    expect(formatProgressLine(snap(1300, { stage: 'before' }))).toMatch(
      /^\[blackhole\] starting 1\.3s {2}calls/,
    );
    expect(formatProgressLine(snap(12_400, { stage: 'load' }))).toMatch(
      /^\[blackhole\] 12\.0s\/12\.0s {2}calls/,
    );
    expect(formatProgressLine(snap(15_300, { stage: 'after' }))).toMatch(
      /^\[blackhole\] 12\.0s\/12\.0s load done, finishing \+3\.3s {2}calls/,
    );
  });

  it('never goes backwards within a stage', () => {
    const stream = new FakeStream(false);
    const p = createProgress({ stream: stream as never, now: () => now, intervalMs: 1 });
    p.update(snap(5000));
    advance(5);
    p.update(snap(4000));
    expect(stream.chunks.at(-1)).toMatch(/ 5\.0s\/12\.0s /);
    advance(5);
    p.update(snap(100, { stage: 'after', elapsedMs: 12_500 }));
    expect(stream.chunks.at(-1)).toMatch(/finishing \+0\.5s/);
    p.close();
  });

  it('on a TTY redraws in place at most 10 times a second, with a trailing redraw of the latest numbers', () => {
    const stream = new FakeStream(true, 200);
    const p = createProgress({ stream: stream as never, now: () => now, color: false });
    for (let i = 0; i < 100; i++) {
      p.update(snap(i * 10));
      advance(10); // 100 updates over 1 s
    }
    advance(200);
    expect(stream.chunks.length).toBeGreaterThanOrEqual(9);
    expect(stream.chunks.length).toBeLessThanOrEqual(11);
    for (const c of stream.chunks) expect(c.startsWith('\r\x1b[2K')).toBe(true);
    expect(stream.chunks.join('')).not.toContain('\n');
    expect(stream.chunks[stream.chunks.length - 1]).toContain('1.0s/12.0s');
    p.done('blackhole: passed');
    expect(stream.chunks.slice(-2)).toEqual(['\r\x1b[2K', 'blackhole: passed\n']);
    p.update(snap(5000));
    advance(1000);
    expect(stream.chunks[stream.chunks.length - 1]).toBe('blackhole: passed\n');
  });

  it('a log line goes above the live line on a TTY, and carries no control codes off one', () => {
    const tty = new FakeStream(true, 200);
    const live = createProgress({ stream: tty as never, now: () => now, color: false });
    live.update(snap(1000));
    live.note('[info] proxy created');
    expect(tty.chunks.slice(-2)).toEqual(['\r\x1b[2K', '[info] proxy created\n']);
    const piped = new FakeStream(false, 200);
    const plain = createProgress({ stream: piped as never, now: () => now, color: false });
    plain.update(snap(1000));
    plain.note('[info] proxy created');
    expect(piped.chunks.join('')).not.toMatch(/\x1b|\r/);
    expect(piped.chunks.at(-1)).toBe('[info] proxy created\n');
  });

  it('cuts the live line to the terminal width', () => {
    const stream = new FakeStream(true, 30);
    const p = createProgress({ stream: stream as never, now: () => now, color: true });
    p.update(snap(1000));
    const visible = (stream.chunks[0] ?? '').replace(/\r|\x1b\[[0-9;]*[A-Za-z]/g, '');
    expect(visible.length).toBe(29);
    p.close();
  });

  it('without a TTY prints a plain line about every 2 s and never uses escape codes', () => {
    const stream = new FakeStream(false);
    const p = createProgress({ stream: stream as never, now: () => now });
    for (let t = 0; t <= 10_000; t += 100) {
      p.update(snap(t));
      advance(100);
    }
    expect(stream.chunks).toHaveLength(6); // t = 0, 2, 4, 6, 8, 10 s
    for (const c of stream.chunks) {
      expect(c.endsWith('\n')).toBe(true);
      expect(c).not.toContain('\x1b');
    }
    p.close();
    p.close();
    expect(stream.chunks).toHaveLength(6);
  });

  it('close() stops a pending redraw and clears the live line; bad intervals throw', () => {
    const stream = new FakeStream(true);
    const p = createProgress({ stream: stream as never, now: () => now });
    p.update(snap(0));
    p.update(snap(50)); // schedules a trailing redraw
    p.close();
    advance(1000);
    expect(stream.chunks).toHaveLength(2); // first draw + clear
    expect(stream.chunks[1]).toBe('\r\x1b[2K');
    expect(() => createProgress({ stream: stream as never, intervalMs: 0 })).toThrow(RangeError);
  });
});

describe('the harness lag on the progress line', () => {
  it('shows from 50 ms, with a warning sign, and not below', () => {
    expect(formatProgressLine(snap(6000, { harnessLagMs: 180.4 }))).toMatch(/ harness lag 180ms ⚠$/);
    expect(formatProgressLine(snap(6000, { harnessLagMs: 49 }))).not.toContain('harness lag');
    expect(formatProgressLine(snap(6000))).not.toContain('harness lag');
  });
});
