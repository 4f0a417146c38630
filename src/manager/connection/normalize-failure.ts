/** Turns whatever ended a call into the classified ChaosError the connection throws. */
import { ChaosError, errorMessage, isChaosError } from '../../core/errors.js';
import {
  cancelledError,
  classifyError,
  errorCodes,
  type FailureDetails,
  failureError,
  toFailure,
} from './classify-error.js';
import { protocolVersionError, versionMismatchOf } from './protocol-era.js';
import type { ScopeEnd } from './request-scope.js';

/** What ended a request, as far as classification goes (a CallScope is one). */
export interface FailureContext {
  /** Its own end: caller cancel, connection close or deadline (undefined if none). */
  readonly ended: ScopeEnd | undefined;
  /** The error one of its requests failed it with (RequestScope.fail), if any. */
  readonly failure: ChaosError | undefined;
  /** Its deadline, ms. */
  readonly timeoutMs: number;
  elapsedMs(): number;
}

/**
 * - the call's own end wins: caller cancel → CALL_CANCELLED, close → CONNECTION_FAILED (`closed: true`),
 *   deadline → CALL_TIMEOUT; a request that failed its call (e.g. stream lost) → that error;
 * - a ChaosError passes through; anything else is classified (classifyError).
 * `details.elapsedMs` is added to errors built here.
 */
export function normalizeFailure(
  e: unknown,
  call: FailureContext,
  details: FailureDetails,
  connectionClosed: boolean,
): ChaosError {
  const end = call.ended;
  const d = { ...details, elapsedMs: Math.round(call.elapsedMs()) };
  const { endpoint, op } = details;
  if (end?.kind === 'cancelled') return cancelledError(`${endpoint}: ${op} cancelled by the caller`, d, e);
  if (end?.kind === 'closed' || connectionClosed) return closedError(d, e);
  if (end?.kind === 'timeout') {
    const msg = `${endpoint}: ${op} timed out after ${call.timeoutMs} ms`;
    return failureError('timeout', msg, { ...d, timeoutMs: call.timeoutMs }, e);
  }
  const failed = call.failure;
  if (failed) return failed;
  if (e instanceof ChaosError) return e;
  const mismatch = versionMismatchOf(e);
  if (mismatch) return protocolVersionError(endpoint, op, mismatch, e);
  const cls = classifyError(e);
  return failureError(cls, `${endpoint}: ${op} failed (${cls}): ${describeError(e)}`, d, e);
}

/** CONNECTION_FAILED with `details.closed`: the connection was closed. */
export function closedError(details: FailureDetails, cause?: unknown): ChaosError {
  return failureError(
    'connection',
    `${details.endpoint}: ${details.op}: connection closed`,
    { ...details, closed: true },
    cause,
  );
}

/** The message plus the innermost cause code, e.g. `fetch failed (ECONNREFUSED)`. */
export function describeError(e: unknown): string {
  const codes = errorCodes(e);
  const code = codes[codes.length - 1];
  const msg = errorMessage(e);
  return code && !msg.includes(code) ? `${msg} (${code})` : msg;
}

/**
 * What a request that waited on a connect gets when the connect fails (or, with `retrying`, a request that
 * came while the connection backs off after one): the connect's failure, named as such — its class, except
 * that a connect that timed out is a `connection` failure of the request (the request's own deadline has not
 * passed: a CALL_TIMEOUT "after 0 ms" would be a lie). A PROTOCOL_VERSION failure keeps its code and details.
 */
export function connectFailure(
  e: unknown,
  id: string,
  details: FailureDetails,
  retrying?: string,
): ChaosError {
  if (!isChaosError(e)) return toFailure(e, details);
  const cls = classifyError(e);
  const own = cls === 'timeout' ? 'connection' : cls;
  const message = `${id}: ${details.op}: connect failed: ${errorMessage(e)}${retrying ? `; ${retrying}` : ''}`;
  if (e.code === 'PROTOCOL_VERSION') {
    return new ChaosError('PROTOCOL_VERSION', message, { cause: e, details: { ...e.details, ...details } });
  }
  // The connect's own cause, so status and cause code read as they would on the connect's error.
  const cause = e.cause ?? e;
  return failureError(own, message, details, cause);
}
