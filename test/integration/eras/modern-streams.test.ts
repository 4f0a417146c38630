/**
 * 2026-07-28 over HTTP, against the v2 SDK's handler (the modern mock):
 * - tool-list changes arrive on the `subscriptions/listen` stream the connection keeps open, as
 *   `tools-changed`; a stream the server ended, or one silent past `listenIdleMs` (a half-open connection
 *   looks so), is reopened, and the reopening is reported (what was sent meanwhile is lost);
 * - an `input_required` result comes back to the caller intact, and the retry carrying `inputResponses` /
 *   `requestState` is finished by whichever replica serves it — also after the first one died.
 */
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import type { HttpConnection } from '../../../src/manager/connection/http-connection.js';
import { type ConnectionEvent, createConnection } from '../../../src/manager/connection/index.js';
import { McpManager } from '../../../src/manager/index.js';
import { startMockServer } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';

const fx = fixtures();

async function modernMock(protocol: 'modern' | 'dual' | 'legacy' = 'modern') {
  return fx.own(await startMockServer({ protocol, response: 'json' }), (x) => x.close());
}

function connect(url: string, listenIdleMs?: number) {
  const events: ConnectionEvent[] = [];
  const c = createConnection(
    { id: 'm[0]', transport: 'http', url },
    {
      onEvent: (e) => events.push(e),
      protocol: 'modern',
      reconnectBackoff: { baseMs: 20, maxMs: 200 },
      ...(listenIdleMs === undefined ? {} : { listenIdleMs }),
    },
  ) as HttpConnection;
  fx.own(c, (x) => x.close());
  const changes = () => events.filter((e) => e.kind === 'tools-changed').map((e) => e.detail ?? '');
  return { c, events, changes };
}

const names = async (c: HttpConnection) => (await c.listTools({ timeoutMs: 2000 })).map((t) => t.name);

describe('2026-07-28 notification stream (subscriptions/listen)', () => {
  it('tool-list changes arrive as tools-changed; the listing follows', async () => {
    const before = resourceCounts();
    const h = await modernMock();
    const { c, changes } = connect(h.url);
    await c.connect();
    await expect.poll(() => c.notificationStream).toBe('open');
    expect(h.stats().notificationStreams).toBe(1);
    h.addTool({ name: 'late', text: 'late!' });
    await expect.poll(changes).toEqual(['modern: notifications/tools/list_changed']);
    expect(await names(c)).toContain('late');
    expect(h.removeTool('late')).toBe(true);
    await expect.poll(() => changes().length).toBe(2);
    expect(await names(c)).not.toContain('late');
    await c.close();
    await expect.poll(() => h.stats().notificationStreams).toBe(0); // the close cancels the stream
    await h.close();
    await expectNoLeaks(before);
  });

  it('a stream the server ended is reopened, and the reopening reported', async () => {
    const h = await modernMock();
    const { c, changes } = connect(h.url);
    await c.connect();
    await expect.poll(() => c.listenOpens).toBe(1);
    expect(await h.dropNotificationStreams()).toBe(1);
    await expect.poll(() => c.listenOpens).toBe(2);
    expect(changes()).toEqual(['modern: notification stream reopened; changes may have been missed']);
    expect(h.stats().notificationStreams).toBe(1);
    h.addTool({ name: 'after-drop' });
    await expect.poll(() => changes().length).toBe(2);
    expect(await names(c)).toContain('after-drop');
  });

  it('a silent stream is dropped after listenIdleMs and reopened', async () => {
    const h = await modernMock(); // keepalives every 15 s: 300 ms of silence is "too long" here
    const { c } = connect(h.url, 300);
    await c.connect();
    const t0 = Date.now();
    await expect.poll(() => c.listenOpens, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    // two drops, each after ~300 ms of silence (and not before)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    await expect.poll(() => h.stats().notificationStreams).toBe(1); // the dropped ones are gone
  });
});

describe('input_required (2026-07-28 multi-round-trip)', () => {
  const CONFIRM = 'confirm';
  function manager(urls: string[]) {
    return fx.own(
      new McpManager({
        servers: [{ name: 's', endpoints: urls.map((url) => ({ url })) }],
        inputCapabilities: { elicitation: { form: {} } },
        settings: { callTimeoutMs: 3000, retry: { attempts: 3 }, balancer: 'round-robin' },
      }),
      (x) => x.close(),
    );
  }

  it('the result comes back intact; the retry with requestState finishes on another replica', async () => {
    const a = await modernMock();
    const b = await modernMock();
    const m = manager([a.url, b.url]);
    await m.start();
    const first = (await m.callTool('s', CONFIRM, { action: 'deploy' }, { idempotent: true })) as unknown as {
      resultType: string;
      inputRequests: Record<string, { method: string }>;
      requestState: string;
    };
    expect(first.resultType).toBe('input_required');
    expect(first.inputRequests.confirm?.method).toBe('elicitation/create');
    expect(typeof first.requestState).toBe('string');
    const served = [a, b].map((x) => x.stats().calls);
    // the replica that started the flow dies; the other one finishes it from the state alone
    await (served[0] ? a : b).close();
    const input = {
      inputResponses: { confirm: { action: 'accept', content: { confirm: true } } },
      requestState: first.requestState,
    };
    const done = await m.callTool('s', CONFIRM, { action: 'deploy' }, { idempotent: true, input });
    expect(done.content).toEqual([{ type: 'text', text: 'confirmed deploy' }]);
    const declined = await m.callTool(
      's',
      CONFIRM,
      { action: 'deploy' },
      { input: { ...input, inputResponses: { confirm: { action: 'decline' } } } },
    );
    expect(declined.content).toEqual([{ type: 'text', text: 'declined deploy' }]);
  });

  it('a 2025 endpoint cannot take the answer: PROTOCOL_VERSION, not retried', async () => {
    const h = await modernMock('legacy');
    const m = manager([h.url]);
    await m.start();
    const calls = h.stats().calls;
    const e = await m.callTool('s', 'echo', { message: 'x' }, { input: { requestState: 'x' } }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isChaosError(e) && e.code).toBe('PROTOCOL_VERSION');
    expect(String((e as Error).message)).toMatch(/needs 2026-07-28/);
    expect(h.stats().calls).toBe(calls);
  });
});
