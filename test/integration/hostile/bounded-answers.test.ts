/**
 * Hostile answers the manager must survive with bounded memory and an honest classification: a JSON body
 * far past `maxResponseBytes`, and a huge error page (which must not become a huge error message).
 */
import { describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { McpManager } from '../../../src/manager/index.js';
import { fixtures } from '../../helpers/fixtures.js';
import { expectNoLeaks, resourceCounts } from '../../helpers/leaks.js';
import { about } from '../../helpers/timing.js';
import { startHostileServer } from './hostile-http.js';

const fx = fixtures();
const MiB = 1024 * 1024;

async function managerFor(url: string, maxResponseBytes = MiB) {
  const m = fx.own(
    new McpManager({
      servers: [{ name: 'h', endpoints: [{ url }] }],
      settings: { callTimeoutMs: 5000, maxResponseBytes, health: { probe: 'none' }, retry: { attempts: 1 } },
    }),
    (x) => x.close(),
  );
  await m.start();
  return m;
}

async function failureOf(p: Promise<unknown>) {
  const t0 = performance.now();
  try {
    await p;
  } catch (e) {
    if (!isChaosError(e)) throw e;
    return { error: e, ms: performance.now() - t0 };
  }
  throw new Error('expected a failure');
}

describe('hostile HTTP answers', () => {
  it('a 200 MB JSON answer fails as response-too-large after about 1 MiB, memory bounded', async () => {
    const before = resourceCounts();
    const h = fx.own(await startHostileServer({ kind: 'big-json', bytes: 200 * MiB }), (x) => x.close());
    const m = await managerFor(h.url);
    const rss0 = process.memoryUsage().rss;
    const r = await failureOf(m.callTool('h', 'echo', {}));
    const grew = process.memoryUsage().rss - rss0;
    expect(r.error.code).toBe('RESPONSE_TOO_LARGE');
    expect(r.error.details).toMatchObject({ outcome: 'response-too-large' });
    expect(r.ms).toBeLessThan(about(500));
    expect(grew).toBeLessThan(64 * MiB);
    expect(h.written).toBeLessThan(64 * MiB); // the server was cut off, not read to the end
    await m.close();
    await h.close();
    await expectNoLeaks(before);
  });

  it('a 50 MB error page becomes a server-5xx error with at most about 1 KiB of its text', async () => {
    const h = fx.own(await startHostileServer({ kind: 'error-page', status: 500, bytes: 50 * MiB }), (x) =>
      x.close(),
    );
    const m = await managerFor(h.url, 64 * MiB);
    const rss0 = process.memoryUsage().rss;
    const r = await failureOf(m.callTool('h', 'echo', {}));
    expect(r.error.details).toMatchObject({ outcome: 'server-5xx' });
    expect(r.error.message.length).toBeLessThan(2 * 1024);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * MiB);
    expect(r.ms).toBeLessThan(about(500));
  });

  it('a normal answer still passes under the limit', async () => {
    const h = fx.own(await startHostileServer({ kind: 'ok' }), (x) => x.close());
    const m = await managerFor(h.url);
    const res = await m.callTool('h', 'echo', {});
    expect(res.content).toEqual([{ type: 'text', text: 'ok' }]);
  });
});
