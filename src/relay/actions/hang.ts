/**
 * `hang`: the request is forwarded (the server executes it) and its answer never comes: the client waits
 * until it gives up. The relay releases a hung answer when it closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function hangAnswer(up: IncomingMessage, res: ServerResponse, hung: Set<ServerResponse>): void {
  up.resume(); // read and drop the answer
  hung.add(res);
  res.once('close', () => hung.delete(res));
}
