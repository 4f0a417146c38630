/** Process exit codes (see README). */
export const EXIT = {
  /** Everything held. */
  OK: 0,
  /** An invariant, threshold or steady-state check failed. */
  DEVIATED: 1,
  /** Bad input: YAML, flags, config. Nothing was started. */
  INVALID_INPUT: 2,
  /** Infrastructure error: a port taken, Toxiproxy unreachable, a server that never became ready. */
  INFRASTRUCTURE: 3,
  /** Rollback failed: a toxic or process may be left behind. */
  ROLLBACK_FAILED: 4,
  /** Inconclusive: the only failures were time-caused, where the harness itself was starved. */
  INCONCLUSIVE: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
