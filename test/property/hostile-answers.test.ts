/**
 * Whatever an HTTP server answers — random bytes, or random JSON-RPC shapes, as JSON or as SSE, with any
 * status — a call ends within its deadline (plus scheduling tolerance), with a ChaosError or a result, and
 * nothing escapes as an unhandled rejection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isChaosError } from '../../src/core/errors.js';
import { McpManager } from '../../src/manager/index.js';
import { FC_SEED } from '../helpers/seed.js';
import { about } from '../helpers/timing.js';
import { type HostileServer, startHostileServer } from '../integration/hostile/hostile-http.js';

const DEADLINE = 300;
let h: HostileServer;
let m: McpManager;
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startHostileServer({ kind: 'ok' });
  m = new McpManager({
    servers: [{ name: 'h', endpoints: [{ url: h.url }] }],
    settings: {
      callTimeoutMs: DEADLINE,
      maxResponseBytes: 64 * 1024,
      health: { probe: 'none' },
      retry: { attempts: 1 },
      breaker: { mode: 'disabled' },
      retryAfter: 'ignore',
      ejection: { consecutiveFailures: 1_000_000 },
    },
  });
  await m.start();
});
afterAll(async () => {
  await m.close();
  await h.close();
  process.off('unhandledRejection', onUnhandled);
});

const id = fc.oneof(
  fc.constant('$ID'),
  fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
);
const value = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null');
/** A JSON-RPC-like message: the right or a wrong id, a result, an error or both, odd members. */
const message = fc
  .record({
    id,
    member: fc.constantFrom('result', 'error', 'method', 'params', ''),
    v: value,
    extra: fc.option(value),
  })
  .map(({ id, member, v, extra }) => {
    const parts = ['"jsonrpc":"2.0"', `"id":${id}`];
    if (member) parts.push(`"${member}":${v}`);
    if (extra !== null) parts.push(`"result":${extra}`);
    return `{${parts.join(',')}}`;
  });
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  message.map((s) => Buffer.from(s)),
  fc.array(message, { maxLength: 4 }).map((a) => Buffer.from(`[${a.join(',')}]`)),
  fc.array(message, { maxLength: 4 }).map((a) => Buffer.from(a.map((s) => `data: ${s}\n\n`).join(''))),
  fc.array(message, { maxLength: 3 }).map((a) => Buffer.from(a.map((s) => `data: ${s}\n`).join(''))),
);
const answer = fc.record({
  status: fc.constantFrom(200, 200, 200, 202, 204, 400, 404, 429, 500, 503),
  contentType: fc.constantFrom(
    'application/json',
    'text/event-stream',
    'text/html',
    'application/octet-stream',
  ),
  body,
});

describe('hostile answers (property)', () => {
  it('no answer makes a call outlive its deadline or escape as an unhandled rejection', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (a) => {
        h.answer = { kind: 'template', ...a };
        const t0 = performance.now();
        try {
          await m.callTool('h', 'echo', {});
        } catch (e) {
          if (!isChaosError(e)) throw e;
        }
        expect(performance.now() - t0).toBeLessThan(about(DEADLINE));
      }),
      { seed: FC_SEED, numRuns: 60 },
    );
    expect(unhandled).toEqual([]);
  });
});
