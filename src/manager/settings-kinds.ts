/**
 * The closed lists of the resilience settings, each defined once: the types in `types.ts`, the settings
 * schema (config file and scenario `manager:` section alike), the error classifier and the docs use these.
 */

/**
 * Failure classes. Which ones count against a breaker is configurable.
 * - `connection`: refused, reset, socket closed before a response, spawn failure, child died
 * - `timeout`: the attempt's deadline passed
 * - `session-lost`: 404/400 for a request that carried a session id, and recovery failed
 * - `server-5xx`: non-2xx HTTP status from the server (5xx or other unexpected status)
 * - `tool-error`: result with isError: true (a result, not an exception)
 * - `protocol`: JSON-RPC error from the server, malformed response
 * - `stream-idle`: the response stream brought no byte for `idleTimeout`
 * - `overloaded`: the server asked us to wait: 429, or 503 with `Retry-After` (back-pressure)
 * - `response-too-large`: the answer passed `maxResponseBytes`
 */
export const FAILURE_CLASSES = [
  'connection',
  'timeout',
  'session-lost',
  'server-5xx',
  'tool-error',
  'protocol',
  'stream-idle',
  'overloaded',
  'response-too-large',
] as const;

/** Load balancers (one file each in `balancers/`). */
export const BALANCER_KINDS = ['round-robin', 'least-in-flight', 'p2c', 'weighted', 'sticky'] as const;

/** Active health probe kinds; `none` disables active checks. */
export const PROBE_KINDS = ['ping', 'list-tools', 'none'] as const;

/** Breaker modes: `disabled` admits everything and never opens; `forced-open` rejects everything. */
export const BREAKER_MODES = ['normal', 'disabled', 'forced-open'] as const;

/** What trips a breaker: consecutive failures or a failure rate in a sliding window. */
export const TRIP_POLICIES = ['consecutive', 'rate'] as const;

/** What a 429/503 `Retry-After` does: keep new calls off the endpoint until then, or nothing. */
/** Which MCP era an endpoint is spoken to in: auto (2026-07-28 where it can, else 2025), modern, legacy. */
export const PROTOCOL_MODES = ['auto', 'modern', 'legacy'] as const;

export const RETRY_AFTER_MODES = ['honour', 'ignore'] as const;

/** Fields of the rate trip policy (they imply `policy: rate` when no policy is given). */
export const RATE_TRIP_FIELDS = ['window', 'minCalls', 'failureRate', 'slowCall'] as const;
