/**
 * Live progress of a scenario run. On a TTY: one line redrawn in place (`\r` + ANSI clear-line) at most
 * 10 times a second, with breaker states coloured. Otherwise (CI logs, pipes): a plain line every ~2 s.
 * The runner calls `update()` as often as it likes; rendering is throttled here.
 */

export interface ProgressSnapshot {
  /**
   * `before` load (start-up, steady state; elapsed since the run started), `load`, or `after` it (calls in
   * flight finishing, rollback, steady state after; elapsed since load start). Default `load`.
   */
  stage?: 'before' | 'load' | 'after';
  /** A black-box system under test, shown after the scenario's name. */
  sut?: string;
  elapsedMs: number;
  /** Planned load duration (0 or less = unknown). */
  durationMs: number;
  calls: number;
  errors: number;
  callsPerSec: number;
  /** endpoint id → breaker state. */
  breakers: Record<string, string>;
  scenario: string;
  /** How late the harness itself ran lately (ms): shown from {@link LAG_SHOWN_MS} on. */
  harnessLagMs?: number;
}

/** The harness lag from which the progress line shows it. */
export const LAG_SHOWN_MS = 50;

export interface ProgressOptions {
  /** Where to draw (usually process.stderr). */
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw in place (default: `stream.isTTY`). */
  isTTY?: boolean;
  /** Minimum ms between renders (default 100 on a TTY, i.e. ≤ 10 Hz; 2000 otherwise). Values below 100 on a TTY are raised to 100. */
  intervalMs?: number;
  /** Colour breaker states on a TTY (default: true unless `NO_COLOR` is set). */
  color?: boolean;
  /** Time source in ms (default Date.now; tests inject one). */
  now?: () => number;
}

export interface Progress {
  update(snapshot: ProgressSnapshot): void;
  /** Clears the live line and prints `finalLine` on its own line. */
  done(finalLine: string): void;
  /** Prints a line of its own (a log entry) above the live line; no control codes off a TTY. */
  note(line: string): void;
  /** Stops drawing (idempotent); clears a half-drawn live line. */
  close(): void;
}

const CLEAR = '\r\x1b[2K';
const COLORS: Record<string, string> = { open: '31', 'forced-open': '31', 'half-open': '33', closed: '32' };

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** One line describing a snapshot; `color` wraps breaker states in ANSI colours. */
export function formatProgressLine(s: ProgressSnapshot, color = false): string {
  const stage = s.stage ?? 'load';
  const of = s.durationMs > 0 ? `/${seconds(s.durationMs)}` : '';
  // load time never shows past the planned duration: what runs after it is said as such
  const when =
    stage === 'before'
      ? `starting ${seconds(s.elapsedMs)}`
      : stage === 'after' && s.durationMs > 0
        ? `${seconds(s.durationMs)}${of} load done, finishing +${seconds(s.elapsedMs - s.durationMs)}`
        : `${seconds(s.durationMs > 0 ? Math.min(s.elapsedMs, s.durationMs) : s.elapsedMs)}${of}`;
  const breakers = Object.entries(s.breakers)
    .map(([id, state]) => {
      const code = COLORS[state];
      return `${id}:${color && code ? `\x1b[${code}m${state}\x1b[0m` : state}`;
    })
    .join(' ');
  const rate = Number.isFinite(s.callsPerSec) ? Math.round(s.callsPerSec) : 0;
  const lag =
    s.harnessLagMs !== undefined && s.harnessLagMs >= LAG_SHOWN_MS
      ? `  harness lag ${Math.round(s.harnessLagMs)}ms ⚠`
      : '';
  return `[${s.scenario}${s.sut ? ` → ${s.sut}` : ''}] ${when}  calls ${s.calls} (${rate}/s)  errors ${s.errors}${breakers ? `  ${breakers}` : ''}${lag}`;
}

/** Cuts a line (which may hold ANSI colour codes) to `columns` visible characters. */
function fitColumns(line: string, columns: number | undefined): string {
  if (!columns || columns <= 1) return line;
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      if (end < 0) break;
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= columns - 1) {
      return `${out}\x1b[0m`;
    }
    out += line[i];
    visible++;
  }
  return out;
}

/** Creates a progress reporter writing to `options.stream`. */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream;
  const tty = options.isTTY ?? Boolean(stream.isTTY);
  const requested = options.intervalMs ?? (tty ? 100 : 2000);
  if (!(requested > 0)) throw new RangeError(`intervalMs must be > 0, got ${options.intervalMs}`);
  const intervalMs = tty ? Math.max(100, requested) : requested;
  const color = tty && (options.color ?? !process.env.NO_COLOR);
  const now = options.now ?? Date.now;
  let last: ProgressSnapshot | undefined;
  let lastRenderAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const render = () => {
    timer = undefined;
    if (closed || !last) return;
    lastRenderAt = now();
    if (tty) {
      stream.write(`${CLEAR}${fitColumns(formatProgressLine(last, color), stream.columns)}`);
      drawn = true;
    } else {
      stream.write(`${formatProgressLine(last)}\n`);
    }
  };

  const clearLine = () => {
    if (tty && drawn) stream.write(CLEAR);
    drawn = false;
  };

  return {
    update(snapshot) {
      if (closed) return;
      // never backwards within a stage (a late timer tick must not undo a newer figure)
      if (
        last !== undefined &&
        (last.stage ?? 'load') === (snapshot.stage ?? 'load') &&
        snapshot.elapsedMs < last.elapsedMs
      )
        snapshot = { ...snapshot, elapsedMs: last.elapsedMs };
      last = snapshot;
      const wait = lastRenderAt + intervalMs - now();
      if (wait <= 0) {
        if (timer) clearTimeout(timer);
        render();
      } else if (tty && !timer) {
        // Trailing redraw so the line shows the latest numbers even if updates stop.
        timer = setTimeout(render, wait);
        timer.unref?.();
      }
    },
    note(line) {
      clearLine();
      stream.write(`${line}\n`);
    },
    done(finalLine) {
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = undefined;
      clearLine();
      stream.write(`${finalLine}\n`);
      closed = true;
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      clearLine();
    },
  };
}
