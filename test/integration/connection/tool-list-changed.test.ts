/**
 * `notifications/tools/list_changed` from a real stateful HTTP mock surfaces as a `tools-changed`
 * connection event, and keeps arriving after the server dropped the GET notification stream (the
 * connection reopens it on its next successful request — the SDK's own retries are off — and reports the
 * reopening as `tools-changed` too, since notifications sent meanwhile are lost).
 */
import { describe, expect, it } from 'vitest';
import type { HttpConnection } from '../../../src/manager/connection/http-connection.js';
import { type ConnectionEvent, createConnection } from '../../../src/manager/connection/index.js';
import type { MockServerHandle } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { textOf } from './helpers.js';

const fx = fixtures();

/** Records events; `next(kind)` resolves with the next event of that kind (rejects after `withinMs`). */
function watcher() {
  const events: ConnectionEvent[] = [];
  const waiting: Array<{ kind: ConnectionEvent['kind']; resolve: (e: ConnectionEvent) => void }> = [];
  return {
    events,
    onEvent(e: ConnectionEvent) {
      if (e.kind === 'era') return; // the era found at connect is not what these tests watch
      events.push(e);
      for (const w of waiting.filter((x) => x.kind === e.kind)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(e);
      }
    },
    next(kind: ConnectionEvent['kind'], withinMs = 5000): Promise<ConnectionEvent> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${kind} event within ${withinMs} ms`)), withinMs);
        waiting.push({
          kind,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
      });
    },
  };
}

async function setup(response: 'sse' | 'json') {
  const h: MockServerHandle = await fx.mock({ response });
  const w = watcher();
  const c = createConnection(
    { id: 'srv[0]', transport: 'http', url: h.url },
    { onEvent: w.onEvent },
  ) as HttpConnection;
  fx.own(c, (x) => x.close());
  await c.connect();
  await expect.poll(() => h.stats().notificationStreams).toBe(1);
  return { h, c, w };
}

const names = async (c: HttpConnection) => (await c.listTools({ timeoutMs: 2000 })).map((t) => t.name).sort();

describe.each(['sse', 'json'] as const)(
  'tools/list_changed over stateful HTTP (%s responses)',
  (response) => {
    it('adding and removing a tool on the server raises tools-changed; the listing follows', async () => {
      const { h, c, w } = await setup(response);
      expect(await names(c)).toEqual(['add', 'big', 'echo', 'fail', 'sleep']);
      const added = w.next('tools-changed');
      h.addTool({ name: 'late', text: 'late!' });
      expect((await added).detail).toBe(c.sessionId);
      expect(await names(c)).toEqual(['add', 'big', 'echo', 'fail', 'late', 'sleep']);
      expect(textOf(await c.callTool('late', {}, { timeoutMs: 2000 }))).toBe('late!');
      const removed = w.next('tools-changed');
      expect(h.removeTool('late')).toBe(true);
      await removed;
      expect(await names(c)).not.toContain('late');
      expect(w.events.map((e) => e.kind)).toEqual(['connected', 'tools-changed', 'tools-changed']);
      expect(() => h.addTool({ name: 'echo' })).toThrow(RangeError); // built-in names are not replaceable
      expect(h.removeTool('late')).toBe(false);
    });

    it('still arrives after the server dropped the GET stream: the next request reopens it', async () => {
      const { h, c, w } = await setup(response);
      expect(await h.dropNotificationStreams()).toBe(1);
      await expect.poll(() => c.notificationStream).toBe('closed');
      expect(h.stats().notificationStreams).toBe(0);
      // The reopened stream is itself reported: a list_changed sent while it was down is lost.
      const reopened = w.next('tools-changed');
      expect(textOf(await c.callTool('echo', { message: 'hi' }, { timeoutMs: 2000 }))).toBe('hi');
      expect((await reopened).detail).toMatch(/notification stream reopened/);
      expect(h.stats().notificationStreams).toBe(1);
      const changed = w.next('tools-changed');
      h.addTool({ name: 'after-drop' });
      expect((await changed).detail).toBe(c.sessionId);
      expect(await names(c)).toContain('after-drop');
      expect(h.stats().sessions).toBe(1); // the same session throughout
    });
  },
);
