/** Starts a relay's server listening (loopback and port 0 by default); resolves with its address. */
import type { AddressInfo, Server as NetServer } from 'node:net';

export async function listen(server: NetServer, host = '127.0.0.1', port = 0): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
