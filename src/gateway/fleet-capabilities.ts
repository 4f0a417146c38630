/**
 * What the gateway says of itself to a client: only the capabilities some upstream has, and the upstreams'
 * instructions merged. A server not connected yet (nothing known of it) counts as having every capability
 * the gateway can relay: it may have them, and refusing its methods would be worse than an empty answer.
 *
 * - `tools` always (the catalogue, with `listChanged`: the gateway tells clients when a list changes);
 * - `resources` (with `listChanged`, and `subscribe` when an upstream offers it), `prompts`, `completions`
 *   and `logging` when an upstream has them — a method of a capability none has is answered -32601
 *   (method not found), as the server itself would;
 * - `instructions`: each upstream's, under a `## <server>` heading, in config order, blank lines between;
 *   each cut to {@link MAX_INSTRUCTIONS} characters.
 *
 * Tasks are not relayed (the gateway answers each call itself): no `tasks` capability, and tools' `execution`
 * fields are not shown (docs/gateway.md).
 */
import type { ServerDetails } from '../manager/index.js';

/** Longest instructions kept per upstream (characters). */
export const MAX_INSTRUCTIONS = 16_384;

export interface FleetFace {
  capabilities: {
    tools: { listChanged: true };
    resources?: { listChanged: true; subscribe?: true };
    prompts?: { listChanged: true };
    completions?: Record<string, never>;
    logging?: Record<string, never>;
  };
  instructions?: string;
}

/** The gateway's face for a fleet whose servers said `details` of themselves (undefined: unknown yet). */
export function fleetFace(
  servers: ReadonlyArray<{ name: string; details: ServerDetails | undefined }>,
): FleetFace {
  const has = (cap: string) =>
    servers.some((s) => s.details === undefined || s.details.capabilities?.[cap] !== undefined);
  const subscribe = servers.some((s) => {
    const r = s.details?.capabilities?.resources as { subscribe?: unknown } | undefined;
    return s.details === undefined || r?.subscribe === true;
  });
  const capabilities: FleetFace['capabilities'] = { tools: { listChanged: true } };
  if (has('resources'))
    capabilities.resources = subscribe ? { listChanged: true, subscribe: true } : { listChanged: true };
  if (has('prompts')) capabilities.prompts = { listChanged: true };
  if (has('completions')) capabilities.completions = {};
  if (has('logging')) capabilities.logging = {};
  const parts = servers.flatMap((s) => {
    const text = s.details?.instructions;
    if (text === undefined || text.trim() === '') return [];
    const kept = text.length > MAX_INSTRUCTIONS ? `${text.slice(0, MAX_INSTRUCTIONS)}… (cut)` : text;
    return [`## ${s.name}\n\n${kept.trim()}`];
  });
  return { capabilities, ...(parts.length > 0 ? { instructions: parts.join('\n\n') } : {}) };
}
