/**
 * Resuming a 2025 server's SSE response stream (SEP-1699). A server may end a request's POST stream before
 * the answer after a priming event (`id:` and `retry:`); the client is then to reconnect with a GET carrying
 * `Last-Event-ID` after `retry` ms, and the answer comes on that stream. The SDK's own reconnection is off
 * in the manager (it would also reopen the notification stream, which the manager does itself), so this
 * does it for the request's scope:
 *
 * - {@link SseFields} reads an SSE body's `id:` and `retry:` lines as it streams (only line heads are
 *   decoded, so a megabyte `data:` line costs a byte scan);
 * - {@link StreamResumes} — per session — when a watched stream ends without its answer and had an event
 *   id: waits `retry` ms (default {@link DEFAULT_RETRY_MS}) on the injected clock, then asks the transport
 *   to resume from that id; the GET that follows is matched to the request by its `Last-Event-ID`
 *   (bounded-fetch.ts), carries the request's deadline and is watched in turn. At most
 *   {@link MAX_RESUMES} resumptions per request; after that, or when the GET fails, the request fails as a
 *   lost stream (`connection`) — never later than its deadline.
 *
 * The 2026-07-28 era has no resumption: a modern session has no StreamResumes.
 */
import type { Clock } from '../../core/clock.js';
import type { RequestScope } from './request-scope.js';

/** Resumptions of one request's stream before it is given up. */
export const MAX_RESUMES = 3;
/** Wait before resuming when the server gave no `retry:` (the SDK's initial reconnection delay). */
export const DEFAULT_RETRY_MS = 1000;
/** Longest line head decoded (an `id:` line longer than this makes the stream unresumable). */
const MAX_HEAD = 256;
const NL = 0x0a;

/** The `id:` and `retry:` fields seen so far in one SSE body. */
export class SseFields {
  lastId: string | undefined;
  retryMs: number | undefined;
  private head = '';
  /** The current line is of no interest (data, event, comment) or too long: skip to its end. */
  private skip = false;
  private atStart = true;
  /** The current line is longer than MAX_HEAD. */
  private cut = false;
  private readonly decoder = new TextDecoder();

  /** A resumed stream starts from the event it resumed after, and the reconnection time already given. */
  constructor(from?: { lastEventId: string; retryMs: number | undefined }) {
    this.lastId = from?.lastEventId;
    this.retryMs = from?.retryMs;
  }

  scan(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.atStart) {
        const c = chunk[pos] as number;
        // only `id:` and `retry:` lines matter
        this.skip = c !== 0x69 && c !== 0x72;
        this.atStart = false;
      }
      const nl = chunk.indexOf(NL, pos);
      const end = nl < 0 ? chunk.length : nl;
      if (!this.skip) {
        const room = MAX_HEAD - this.head.length;
        this.head += this.decoder.decode(chunk.subarray(pos, Math.min(end, pos + room)));
        if (end - pos > room) {
          this.skip = true;
          this.cut = true;
        }
      }
      if (nl < 0) return;
      this.line(this.head, this.cut);
      this.head = '';
      this.skip = false;
      this.cut = false;
      this.atStart = true;
      pos = nl + 1;
    }
  }

  private line(raw: string, cut: boolean): void {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const value = (name: string) => {
      const v = l.slice(name.length + 1);
      return v.startsWith(' ') ? v.slice(1) : v;
    };
    if (l.startsWith('id:')) {
      // an id too long to keep cannot be sent back: the stream is then not resumable
      const v = value('id');
      if (cut) this.lastId = undefined;
      else if (!v.includes('\u0000')) this.lastId = v === '' ? undefined : v;
    } else if (l.startsWith('retry:')) {
      const v = value('retry');
      if (/^\d{1,9}$/.test(v)) this.retryMs = Number(v);
    }
  }
}

/** A request waiting for its stream to be resumed. */
export interface PendingResume {
  id: string | number;
  scope: RequestScope;
  lastEventId: string;
  /** The server's reconnection time (`retry:`), kept for the resumed stream as SSE keeps it. */
  retryMs: number | undefined;
  /** Resumptions so far, this one included. */
  attempts: number;
}

export class StreamResumes {
  private readonly pending = new Map<string, PendingResume>();

  constructor(
    private readonly clock: Clock,
    /** Opens the GET that resumes after `lastEventId` (the transport's `resumeStream`). */
    private readonly resume: (lastEventId: string) => Promise<void>,
  ) {}

  /**
   * Request `id`'s stream ended without its answer after `fields`: schedules its resumption and returns
   * true, or false when it cannot be resumed (no event id, or {@link MAX_RESUMES} reached).
   */
  after(id: string | number, scope: RequestScope, fields: SseFields, attempts: number): boolean {
    const lastEventId = fields.lastId;
    if (lastEventId === undefined || attempts >= MAX_RESUMES || !scope.live) return false;
    const p: PendingResume = { id, scope, lastEventId, retryMs: fields.retryMs, attempts: attempts + 1 };
    this.pending.set(lastEventId, p);
    const timer = this.clock.setTimeout(() => {
      if (this.pending.get(lastEventId) !== p) return;
      if (!scope.live) {
        this.pending.delete(lastEventId);
        return;
      }
      this.resume(lastEventId).catch((e) => {
        if (this.pending.get(lastEventId) === p) this.pending.delete(lastEventId);
        scope.lost(e);
      });
    }, fields.retryMs ?? DEFAULT_RETRY_MS);
    scope.whenSettled(() => {
      this.clock.clearTimeout(timer);
      if (this.pending.get(lastEventId) === p) this.pending.delete(lastEventId);
    });
    return true;
  }

  /** The pending resumption a GET with this `Last-Event-ID` is for (taken: one GET per resumption). */
  take(lastEventId: string): PendingResume | undefined {
    const p = this.pending.get(lastEventId);
    if (p === undefined) return undefined;
    this.pending.delete(lastEventId);
    return p.scope.live ? p : undefined;
  }
}
