/**
 * With no fault the stdio relay is transparent both ways: whatever goes in — JSON-RPC lines, lines that are
 * not JSON, bytes of any value, a last line without its newline — comes back byte for byte from a server
 * that echoes its stdin (one real child process per connection).
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { type StdioRelay, startStdioRelay } from '../../src/relay/index.js';
import { FC_SEED } from '../helpers/seed.js';

let relay: StdioRelay;
beforeAll(async () => {
  relay = await startStdioRelay({
    command: [process.execPath, '-e', 'process.stdin.pipe(process.stdout)'],
    clock: systemClock,
  });
});
afterAll(() => relay.close());

/** Sends `chunks` on one connection and reads until as many bytes came back. */
function roundTrip(chunks: Uint8Array[]): Promise<Buffer> {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  return new Promise((resolve, reject) => {
    const s = connect(relay.port, relay.host);
    const got: Buffer[] = [];
    let size = 0;
    s.on('data', (d: Buffer) => {
      got.push(d);
      size += d.length;
      if (size >= total) {
        s.destroy();
        resolve(Buffer.concat(got));
      }
    });
    s.on('error', reject);
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      s.end();
    });
  });
}

const line = fc.oneof(
  fc
    .record({
      jsonrpc: fc.constant('2.0'),
      id: fc.integer(),
      method: fc.constantFrom('tools/call', 'ping', 'x'),
      params: fc.jsonValue(),
    })
    .map((m) => `${JSON.stringify(m)}\n`),
  fc.string({ maxLength: 200 }).map((s) => `${s.replace(/\n/g, '')}\n`),
);

describe('stdio relay fidelity (property)', () => {
  it('bytes come back exactly as sent, however they are cut', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        async (lines, tail, cut) => {
          const all = Buffer.concat([Buffer.from(lines.join('')), Buffer.from(tail)]);
          const chunks: Uint8Array[] = [];
          for (let i = 0; i < all.length; i += cut) chunks.push(all.subarray(i, i + cut));
          if (all.length === 0) return;
          const back = await roundTrip(chunks);
          expect(Buffer.compare(back, all)).toBe(0);
        },
      ),
      { seed: FC_SEED, numRuns: 40 },
    );
  });
});
