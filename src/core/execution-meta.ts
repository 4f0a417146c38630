/**
 * Shared by everything that records executions (the mocks' execution logs, the relays' logs) and by the
 * load that stamps calls: the `_meta` key of the logical call id, and the bound on a log's entries.
 */

/** The `_meta` key under which the load stamps its logical call id. */
export const CALL_META_KEY = 'dev.mcp-chaos/call';

/** Past this many entries an execution log keeps only a count. */
export const MAX_EXECUTIONS = 200_000;
