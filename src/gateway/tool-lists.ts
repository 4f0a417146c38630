/**
 * Each server's tool list as the catalogue needs it: fast, whatever one upstream does.
 *
 * - A list the manager has (its cache) is used as it is; a server whose list has not come within
 *   {@link LIST_WAIT_MS}, or could not be had, is left out of this listing — it is *unlisted*: `/readyz`
 *   names it, later listings do not wait for it (each asks again in the background), and when its list
 *   comes clients are told the tools changed (`onLate`).
 * - A list refused over a listing bound (endless pages, too many tools: PROTOCOL_ERROR) is left out for
 *   {@link REFUSED_LIST_MS} and reported (`onRefused`), not paged again by every client's `tools/list`.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Clock } from '../core/clock.js';
import { isChaosError } from '../core/errors.js';
import type { McpManager } from '../manager/index.js';

/** How long a listing waits for one server's tools before leaving it out (ms). */
export const LIST_WAIT_MS = 2000;
/** How long a server whose tool list was refused is left out before it is asked again (ms). */
export const REFUSED_LIST_MS = 60_000;

export class ToolLists {
  /** Servers whose list was refused, until when they are left out. */
  private readonly refused = new Map<string, number>();
  /** Servers whose list did not come within the wait or failed, until one comes. */
  private readonly unlisted = new Set<string>();

  constructor(
    private readonly manager: McpManager,
    private readonly clock: Clock,
    private readonly onRefused: (server: string) => void,
    private readonly onLate: (server: string) => void,
  ) {}

  /** Servers whose tool list has not come yet (left out of listings meanwhile). */
  pending(): string[] {
    return [...this.unlisted];
  }

  /** `server`'s tools, or [] when its list was refused lately or has not come within `waitMs`. */
  async get(server: string, refresh: boolean, waitMs = LIST_WAIT_MS): Promise<Tool[]> {
    const until = this.refused.get(server);
    if (until !== undefined && this.clock.now() < until && !refresh) return [];
    const fetching = this.manager.listTools(server, { refresh }).then(
      (tools) => {
        this.refused.delete(server);
        if (this.unlisted.delete(server)) this.onLate(server);
        return tools;
      },
      (e: unknown) => {
        this.unlisted.add(server);
        if (
          isChaosError(e, 'PROTOCOL_ERROR') ||
          isChaosError((e as { cause?: unknown }).cause, 'PROTOCOL_ERROR')
        ) {
          this.refused.set(server, this.clock.now() + REFUSED_LIST_MS);
          this.onRefused(server);
        }
        return [] as Tool[];
      },
    );
    // a server whose list is already missing is not waited for again (the fetch goes on meanwhile)
    const wait = this.unlisted.has(server) ? 0 : waitMs;
    const ac = new AbortController();
    const timedOut = this.clock.sleep(wait, ac.signal).then(
      () => undefined,
      () => undefined,
    );
    const tools = await Promise.race([fetching, timedOut]);
    ac.abort();
    if (tools !== undefined) return tools;
    this.unlisted.add(server);
    return [];
  }
}
