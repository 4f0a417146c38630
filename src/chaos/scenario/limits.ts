/** Limits of the scenario loader and validator. Each is documented in docs/scenario-format.md. */

/** Largest scenario file read (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Most alias dereferences while building the value (guards against "billion laughs"). */
export const MAX_ALIAS_COUNT = 100;
/** Longest `duration` (1 hour). */
export const MAX_DURATION_MS = 3_600_000;
/** Highest load rate, per stream and summed over all streams (calls/s). */
export const MAX_RATE_PER_SEC = 5000;
/** Most load streams in one scenario. */
export const MAX_LOAD_STREAMS = 100;
/** Most faults in one scenario. */
export const MAX_FAULTS = 1000;
/** Default wait for a spawned server to answer (ms). */
export const DEFAULT_READY_MS = 10_000;
