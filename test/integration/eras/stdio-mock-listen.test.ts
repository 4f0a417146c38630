/**
 * The 2026-07-28 stdio mock (one pinned v2 server per connection) serves runtime tools like the 2025 one:
 * an added tool is listed, and its `notifications/tools/list_changed` reaches the client's
 * `subscriptions/listen` stream. Driven in-process over pipes by the v2 SDK's own client.
 */
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { startStdioMockServer } from '../../../src/mock/index.js';
import { fixtures } from '../../helpers/fixtures.js';

const fx = fixtures();

/** A client transport over the mock's stdin/stdout pipes (newline-delimited JSON-RPC). */
function pipeTransport(toServer: PassThrough, fromServer: PassThrough) {
  let buf = '';
  const t = {
    onmessage: undefined as ((m: unknown) => void) | undefined,
    onclose: undefined as (() => void) | undefined,
    onerror: undefined as ((e: Error) => void) | undefined,
    async start() {
      fromServer.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) t.onmessage?.(JSON.parse(line));
        }
      });
    },
    async send(m: unknown) {
      toServer.write(`${JSON.stringify(m)}\n`);
    },
    async close() {
      t.onclose?.();
    },
  };
  return t;
}

describe('stdio mock, 2026-07-28: runtime tools', () => {
  it('an added tool is listed and announced on the listen stream', async () => {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const h = fx.own(
      await startStdioMockServer({ protocol: 'modern' }, { stdin: toServer, stdout: fromServer }),
      (x) => x.close(),
    );
    const client = fx.own(
      new Client({ name: 't', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } }),
      (x) => x.close(),
    );
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed' as never, () => {
      changes++;
    });
    await client.connect(pipeTransport(toServer, fromServer) as never);
    const sub = await client.listen({ toolsListChanged: true });
    h.addTool({ name: 'late', text: 'late!' });
    await expect.poll(() => changes).toBe(1);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('late');
    const r = await client.callTool({ name: 'late', arguments: {} });
    expect(r.content).toEqual([{ type: 'text', text: 'late!' }]);
    expect(h.removeTool('late')).toBe(true);
    await expect.poll(() => changes).toBe(2);
    await sub.close();
  });
});
