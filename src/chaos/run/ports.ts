/**
 * Free loopback ports. Binds `count` listeners on port 0 at once (so the ports are distinct), reads the
 * ports back and closes them. A port may be taken by someone else between this call and its use; the
 * caller then sees EADDRINUSE and reports an infrastructure error.
 */
import { createServer, type Server } from 'node:net';
import { ChaosError } from '../../core/errors.js';

/**
 * Returns `count` distinct free TCP ports on `host`.
 * @param count how many (≥ 0)
 * @param host bind address (default 127.0.0.1)
 */
export async function allocatePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`port count must be an integer >= 0, got ${count}`);
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      ports.push(await listenEphemeral(server, host));
    }
    return ports;
  } catch (e) {
    throw new ChaosError('INFRASTRUCTURE', `cannot allocate a free port on ${host}`, { cause: e });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

function listenEphemeral(server: Server, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') resolve(addr.port);
      else reject(new Error('no address'));
    });
  });
}
