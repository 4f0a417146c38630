/**
 * The production connection factory and classifier (connection/). Placeholder until connection/index.ts
 * lands: both throw, so a manager must be given `deps.createConnection`.
 */
import { ChaosError } from '../../core/errors.js';
import type { FailureClass } from '../types.js';
import type { ConnectionFactory, ErrorClassifier } from './managed-connection.js';

export function defaultConnectionFactory(): ConnectionFactory {
  return () => {
    throw new ChaosError('INTERNAL', 'connection/ is not available yet: pass deps.createConnection');
  };
}

export function defaultClassifier(): ErrorClassifier {
  return (e: unknown): FailureClass => {
    const fc = e instanceof ChaosError ? e.details.failureClass : undefined;
    return typeof fc === 'string' ? (fc as FailureClass) : 'connection';
  };
}
