import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listenTcp, startEcho, startServer, tcpClient, tolerance } from './helpers.js';

type Started = Awaited<ReturnType<typeof startServer>>;
let t: Started;
let echo: Awaited<ReturnType<typeof startEcho>>;

beforeAll(async () => {
  t = await startServer({ seed: 77 });
  echo = await startEcho();
});
afterAll(async () => {
  await t.server.close();
  await echo.close();
});
afterEach(async () => {
  await t.call('DELETE', '/proxies/p');
});

/** Creates proxy `p` to the echo server with the given toxics. */
async function echoProxy(...toxics: Array<Record<string, unknown>>): Promise<number> {
  const port = await t.createProxy('p', `127.0.0.1:${echo.port}`);
  for (const toxic of toxics) {
    const answer = await t.call('POST', '/proxies/p/toxics', toxic);
    expect(answer.status, answer.body).toBe(200);
  }
  return port;
}

/** Writes `text` and resolves with the ms until `total` bytes have come back. */
async function roundTrip(conn: ReturnType<typeof tcpClient>, text: string, total: number): Promise<number> {
  const started = performance.now();
  conn.socket.write(text);
  await conn.waitFor(total);
  return performance.now() - started;
}

describe('latency', () => {
  it('delays by latency ± jitter, within tolerance', async () => {
    const port = await echoProxy({ type: 'latency', attributes: { latency: 150, jitter: 40 } });
    const conn = tcpClient(port);
    await conn.ready;
    for (let i = 1; i <= 4; i++) {
      const ms = await roundTrip(conn, 'x', i);
      expect(ms).toBeGreaterThanOrEqual(110 - 5);
      expect(ms).toBeLessThanOrEqual(190 + tolerance(190));
    }
    conn.socket.destroy();
  });

  it('does not accumulate delay over queued chunks', async () => {
    const port = await echoProxy({ type: 'latency', attributes: { latency: 200 } });
    const conn = tcpClient(port);
    await conn.ready;
    const started = performance.now();
    for (let i = 0; i < 5; i++) {
      conn.socket.write(String(i));
      await sleep(25);
    }
    await conn.waitFor(5);
    const elapsed = performance.now() - started;
    // the last chunk left ~100 ms after the first: everything is back ~300 ms in, not 5 × 200 ms
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + tolerance(300));
    expect(conn.received().toString()).toBe('01234');
    conn.socket.destroy();
  });

  it('never delivers early: 200 echo round trips through latency 20 ms all take 20 ms or more', async () => {
    const port = await echoProxy({ type: 'latency', attributes: { latency: 20 } });
    const conn = tcpClient(port);
    await conn.ready;
    const times: number[] = [];
    for (let i = 1; i <= 200; i++) times.push(await roundTrip(conn, 'x', i));
    conn.socket.destroy();
    expect(times.filter((ms) => ms < 20)).toEqual([]);
  });

  it('the same seed replays the same jitter; another seed does not', async () => {
    const measure = async (seed: number) => {
      const other = await startServer({ seed });
      try {
        const port = await other.createProxy('j', `127.0.0.1:${echo.port}`);
        await other.call('POST', '/proxies/j/toxics', {
          type: 'latency',
          attributes: { latency: 250, jitter: 200 },
        });
        const conn = tcpClient(port);
        await conn.ready;
        const delays: number[] = [];
        for (let i = 1; i <= 4; i++) delays.push(await roundTrip(conn, 'x', i));
        conn.socket.destroy();
        return delays;
      } finally {
        await other.server.close();
      }
    };
    // seeds 5 and 11 draw delays [436, 135, 114, 291] and [60, 229, 425, 241] ms on this proxy's first link
    const [a, b, c] = await Promise.all([measure(5), measure(5), measure(11)]);
    a.forEach((ms, i) => {
      expect(Math.abs(ms - b[i]!)).toBeLessThanOrEqual(tolerance(ms));
    });
    expect(Math.max(...a.map((ms, i) => Math.abs(ms - c[i]!)))).toBeGreaterThan(150);
  });
});

describe('bandwidth', () => {
  it('moves 100 KB at 100 KB/s in about a second', async () => {
    let received = 0;
    let doneAt = 0;
    const sink = await listenTcp((socket) =>
      socket.on('data', (d: Buffer) => {
        received += d.length;
        if (received >= 100_000) doneAt = performance.now();
      }),
    );
    try {
      const port = await t.createProxy('p', `127.0.0.1:${sink.port}`);
      await t.call('POST', '/proxies/p/toxics', {
        type: 'bandwidth',
        stream: 'upstream',
        attributes: { rate: 100 },
      });
      const conn = tcpClient(port);
      await conn.ready;
      const started = performance.now();
      conn.socket.write(Buffer.alloc(100_000, 7));
      while (received < 100_000) await sleep(20);
      const elapsed = doneAt - started;
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThanOrEqual(1000 + tolerance(1000));
      conn.socket.destroy();
    } finally {
      await sink.close();
    }
  });
});

describe('timeout', () => {
  it('blackholes data and closes after the timeout', async () => {
    const port = await echoProxy({ type: 'timeout', attributes: { timeout: 300 } });
    const conn = tcpClient(port);
    conn.socket.write('lost');
    const end = await conn.ended;
    expect(end.connected).toBe(true);
    expect(end.data.length).toBe(0);
    expect(end.afterMs).toBeGreaterThanOrEqual(290);
    expect(end.afterMs).toBeLessThanOrEqual(300 + tolerance(300));
  });

  it('with 0 holds the connection open; removing the toxic closes it', async () => {
    const port = await echoProxy({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    const conn = tcpClient(port);
    conn.socket.write('lost');
    await sleep(150);
    expect(conn.socket.destroyed).toBe(false);
    const removedAt = performance.now();
    expect((await t.call('DELETE', '/proxies/p/toxics/timeout_upstream')).status).toBe(204);
    const end = await conn.ended;
    expect(end.data.length).toBe(0);
    expect(performance.now() - removedAt).toBeLessThan(1000);
  });
});

describe('reset_peer', () => {
  it('resets connections accepted after it was added (ECONNRESET), others close normally', async () => {
    const port = await echoProxy();
    const older = tcpClient(port);
    await older.ready;
    await t.call('POST', '/proxies/p/toxics', { type: 'reset_peer', attributes: { timeout: 50 } });
    const newer = tcpClient(port);
    await newer.ready;
    newer.socket.write('boom');
    older.socket.write('boom');
    const [n, o] = await Promise.all([newer.ended, older.ended]);
    expect(n.code).toBe('ECONNRESET');
    expect(n.data.length).toBe(0);
    expect(o.code).toBeUndefined();
    expect(o.data.length).toBe(0);
  });

  it('resets after its timeout, also for an upstream toxic', async () => {
    const port = await echoProxy({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 200 } });
    const conn = tcpClient(port);
    await conn.ready;
    const started = performance.now();
    conn.socket.write('x');
    const end = await conn.ended;
    expect(end.code).toBe('ECONNRESET');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('slicer', () => {
  it('splits data into pieces of about average_size, delay apart', async () => {
    const port = await echoProxy({
      type: 'slicer',
      attributes: { average_size: 100, size_variation: 20, delay: 30_000 },
    });
    const conn = tcpClient(port);
    await conn.ready;
    const payload = Buffer.alloc(1000, 'abcdefghij');
    const started = performance.now();
    conn.socket.write(payload);
    await conn.waitFor(1000);
    const elapsed = performance.now() - started;
    expect(conn.received().equals(payload)).toBe(true);
    const sizes = conn.chunks.map((c) => c.data.length);
    // pieces are 40..120 bytes, so at least 9 of them; TCP may merge a few on a busy machine
    expect(sizes.length).toBeGreaterThanOrEqual(6);
    expect(sizes.filter((s) => s <= 120).length / sizes.length).toBeGreaterThanOrEqual(0.7);
    expect(elapsed).toBeGreaterThanOrEqual(8 * 30 * 0.9);
    conn.socket.destroy();
  });
});

describe('limit_data', () => {
  it('forwards exactly `bytes` per direction, then closes', async () => {
    const server = await listenTcp((socket) => socket.write(Buffer.alloc(5000, 1)));
    try {
      await t.createProxy('p', `127.0.0.1:${server.port}`);
      const port = Number(JSON.parse((await t.call('GET', '/proxies/p')).body).listen.split(':')[1]);
      await t.call('POST', '/proxies/p/toxics', { type: 'limit_data', attributes: { bytes: 1234 } });
      const end = await tcpClient(port).ended;
      expect(end.connected).toBe(true);
      expect(end.data.length).toBe(1234);
    } finally {
      await server.close();
    }
  });

  it('counts bytes across chunks upstream', async () => {
    let got = 0;
    let sinkClosed!: () => void;
    const closed = new Promise<void>((resolve) => (sinkClosed = resolve));
    const sink = await listenTcp((socket) => {
      socket.on('data', (d: Buffer) => (got += d.length));
      socket.on('close', () => sinkClosed());
    });
    try {
      const port = await t.createProxy('p', `127.0.0.1:${sink.port}`);
      await t.call('POST', '/proxies/p/toxics', {
        type: 'limit_data',
        stream: 'upstream',
        attributes: { bytes: 10 },
      });
      const conn = tcpClient(port);
      await conn.ready;
      for (const part of ['abcd', 'efgh', 'ijkl']) {
        conn.socket.write(part);
        await sleep(20);
      }
      await conn.ended;
      await closed; // the proxy closed its upstream side after the 10th byte
      expect(got).toBe(10);
    } finally {
      await sink.close();
    }
  });
});

describe('slow_close', () => {
  it('holds the close after EOF for `delay` ms', async () => {
    const server = await listenTcp((socket) => socket.end('bye'));
    try {
      const port = await t.createProxy('p', `127.0.0.1:${server.port}`);
      await t.call('POST', '/proxies/p/toxics', { type: 'slow_close', attributes: { delay: 300 } });
      const conn = tcpClient(port);
      const end = await conn.ended;
      expect(end.data.toString()).toBe('bye');
      // the data passes at once; the close (EOF came right after it) waits ~300 ms
      const heldMs = end.afterMs - conn.chunks[0]!.atMs;
      expect(heldMs).toBeGreaterThanOrEqual(280);
      expect(heldMs).toBeLessThanOrEqual(300 + tolerance(300));
    } finally {
      await server.close();
    }
  });
});

describe('toxicity', () => {
  it('0 never applies, 1 always applies', async () => {
    const port = await echoProxy(
      { name: 'never', type: 'latency', toxicity: 0, attributes: { latency: 1000 } },
      { name: 'always', type: 'latency', stream: 'upstream', toxicity: 1, attributes: { latency: 150 } },
    );
    for (let i = 0; i < 3; i++) {
      const conn = tcpClient(port);
      await conn.ready;
      const ms = await roundTrip(conn, 'x', 1);
      expect(ms).toBeGreaterThanOrEqual(145);
      expect(ms).toBeLessThan(1000);
      conn.socket.destroy();
    }
  });
});
