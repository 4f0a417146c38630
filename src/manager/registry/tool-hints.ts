/** The tools' `idempotentHint` annotations as the default of CallOptions.idempotent. */
import type { CallOptions } from '../types.js';
import type { ToolInfo } from './managed-connection.js';
import type { ServerEntry } from './server-entry.js';

/**
 * Whether a call may be repeated when the caller did not say: the tool's `idempotentHint` annotation from
 * the server's catalogue (fetched at start() and on listTools), else no.
 */
export function withToolHint(group: ServerEntry, tool: string, options: CallOptions): CallOptions {
  const tools = group.tools;
  if (tools === undefined) return options;
  let hinted = HINTED.get(tools);
  if (hinted === undefined) {
    hinted = new Set(tools.filter((x) => x.annotations?.idempotentHint === true).map((x) => x.name));
    HINTED.set(tools, hinted);
  }
  return hinted.has(tool) ? { ...options, idempotent: true } : options;
}

/** The names of a catalogue's tools that say they may be repeated (built once per catalogue). */
const HINTED = new WeakMap<readonly ToolInfo[], ReadonlySet<string>>();
