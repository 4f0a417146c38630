/** A server's tool catalogue (tools/list, every page), asked of its endpoints in turn. */
import type { Clock } from '../../core/clock.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import { isEligible } from '../call/index.js';
import type { ToolInfo } from './managed-connection.js';
import type { ServerEntry } from './server-entry.js';

/** Asks eligible endpoints first, then the rest, each within what is left of `timeoutMs`. */
export async function fetchTools(clock: Clock, group: ServerEntry, timeoutMs: number): Promise<ToolInfo[]> {
  const deadline = clock.now() + timeoutMs;
  const ordered = [...group.endpoints].sort((a, b) => Number(isEligible(b)) - Number(isEligible(a)));
  let last: unknown;
  for (const e of ordered) {
    const left = deadline - clock.now();
    if (left <= 0) break;
    try {
      return await e.connection.listTools({ timeoutMs: left });
    } catch (err) {
      last = err;
    }
  }
  throw new ChaosError(
    last === undefined ? 'CALL_TIMEOUT' : 'NO_ENDPOINT',
    `${group.name}: tools/list failed on every endpoint${last === undefined ? '' : `: ${errorMessage(last)}`}`,
    { cause: last, details: { server: group.name } },
  );
}
