import type { Clock, Rng } from '../../core/index.js';

const BASE32HEX = '0123456789abcdefghijklmnopqrstuv';

/**
 * Request ids in the xid format the real server sends in `X-Toxiproxy-Request-Id` (20 base32hex chars:
 * seconds, a machine/process part and a counter), drawn from the seeded Rng rather than the host.
 */
export function requestIdGenerator(clock: Clock, rng: Rng): () => string {
  const machine = [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)];
  let counter = rng.int(0, 0xffffff);
  return () => {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(Math.floor(clock.now() / 1000) >>> 0, 0);
    for (let i = 0; i < 5; i++) bytes[4 + i] = machine[i]!;
    counter = (counter + 1) & 0xffffff;
    bytes.writeUIntBE(counter, 9, 3);
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (const b of bytes) {
      buffer = (buffer << 8) | b;
      bits += 8;
      while (bits >= 5) {
        out += BASE32HEX[(buffer >>> (bits - 5)) & 31];
        bits -= 5;
      }
      buffer &= (1 << bits) - 1;
    }
    if (bits > 0) out += BASE32HEX[(buffer << (5 - bits)) & 31];
    return out;
  };
}
