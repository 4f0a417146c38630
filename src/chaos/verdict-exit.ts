import type { Journal, Verdict } from './journal.js';

/** The process exit code of each verdict (README: exit codes); the CLI's EXIT names the same numbers. */
export const VERDICT_EXIT = Object.freeze({
  passed: 0,
  deviated: 1,
  invalid: 2,
  'infrastructure-error': 3,
  'rollback-failed': 4,
  inconclusive: 5,
  interrupted: 130,
} as const satisfies Record<Verdict, Journal['exitCode']>);
