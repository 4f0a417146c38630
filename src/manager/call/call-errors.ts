/**
 * Outcome → error mapping for the errors `callTool` throws, and the retry rules by failure class.
 */
import { ChaosError, type ErrorCode, errorMessage, isChaosError } from '../../core/errors.js';
import { FAILURE_CODES, rpcErrorOf } from '../connection/index.js';
import { FAILURE_CLASSES } from '../settings-kinds.js';
import type { FailureClass, Outcome } from '../types.js';

const CODES: Record<Outcome, ErrorCode> = {
  success: 'INTERNAL',
  ...FAILURE_CODES,
  'circuit-open': 'CIRCUIT_OPEN',
  'pool-exhausted': 'POOL_EXHAUSTED',
  'no-endpoint': 'NO_ENDPOINT',
  cancelled: 'CALL_CANCELLED',
  'budget-exhausted': 'RETRY_BUDGET_EXHAUSTED',
};

/** The error code a call ending with `outcome` throws. */
export function errorCodeFor(outcome: Outcome): ErrorCode {
  return CODES[outcome];
}

/**
 * Failure classes worth another attempt on another endpoint (idempotent calls only): the endpoint may be
 * at fault. `protocol` (a JSON-RPC error, a malformed answer) and `tool-error` would repeat anywhere.
 * `timeout` is retried only when time is left in the call's deadline (the caller checks).
 */
export function isRetryable(failure: FailureClass): boolean {
  return (
    failure === 'connection' ||
    failure === 'timeout' ||
    failure === 'session-lost' ||
    failure === 'server-5xx' ||
    failure === 'stream-idle' ||
    failure === 'overloaded'
  );
}

/** A detail number found on `e` or its causes (`details[key]`), e.g. `retryAfterMs`. */
function detailOf(e: unknown, key: string): number | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    const v = (cur as { details?: Record<string, unknown> }).details?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** How long the server asked us to wait (ms, from `Retry-After`), when it did. */
export function retryAfterOf(e: unknown): number | undefined {
  const ms = detailOf(e, 'retryAfterMs');
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

/** The HTTP status behind a failure (0 when none is known). */
export function statusOf(e: unknown): number {
  return detailOf(e, 'status') ?? 0;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `e` proves the request never reached a server: the connection failed while connecting
 * (`details.op === 'connect'`: refused, spawn failure, initialize failed — the tool call itself was never
 * written), a refused / unresolvable address anywhere in the cause chain, or `details.sent === false`.
 * Such a failure lets even a non-idempotent call move to another endpoint.
 */
export function requestNotSent(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur !== null && typeof cur === 'object'; depth++) {
    const obj = cur as { details?: Record<string, unknown>; code?: unknown; cause?: unknown };
    const d = obj.details;
    if (d) {
      if (d.sent === false || d.op === 'connect') return true;
      if (d.sent === true) return false;
      if (typeof d.causeCode === 'string' && NOT_SENT_CODES.has(d.causeCode)) return true;
    }
    if (typeof obj.code === 'string' && NOT_SENT_CODES.has(obj.code)) return true;
    cur = obj.cause;
  }
  return false;
}

export interface CallErrorInfo {
  server: string;
  tool: string;
  callId: number;
  outcome: Outcome;
  code?: ErrorCode;
  attempts: number;
  endpoint?: string;
  cause?: unknown;
  message?: string;
  retryDenied?: boolean;
}

/** Builds the ChaosError a failed call rejects with; `details` carries outcome, failureClass and context. */
export function callError(info: CallErrorInfo): ChaosError {
  // PROTOCOL_VERSION is the one refinement of an outcome's code that a cause passes on (with what the
  // server supports): the caller must see that the eras do not fit, not a generic protocol error.
  const versionCause =
    isChaosError(info.cause) && info.cause.code === 'PROTOCOL_VERSION' ? info.cause : undefined;
  const code =
    info.code ??
    (versionCause && info.outcome === 'protocol' ? 'PROTOCOL_VERSION' : errorCodeFor(info.outcome));
  const why = info.message ?? (info.cause !== undefined ? errorMessage(info.cause) : info.outcome);
  const where = info.endpoint ? ` on ${info.endpoint}` : '';
  const details: Record<string, unknown> = {
    outcome: info.outcome,
    server: info.server,
    tool: info.tool,
    callId: info.callId,
    attempts: info.attempts,
  };
  if (isFailureClass(info.outcome)) details.failureClass = info.outcome;
  if (info.endpoint) details.endpoint = info.endpoint;
  if (info.retryDenied) details.retryDenied = true;
  if (code === 'PROTOCOL_VERSION' && versionCause) details.supported = versionCause.details.supported;
  return new ChaosError(code, `${info.server}/${info.tool}${where}: ${why}`, {
    cause: info.cause,
    details,
  });
}

const FAILURE_CLASS_SET: ReadonlySet<Outcome> = new Set<Outcome>(FAILURE_CLASSES);

export function isFailureClass(o: Outcome): o is FailureClass {
  return FAILURE_CLASS_SET.has(o);
}

/**
 * The outcome a server reported for its own failure: the `outcome` in its JSON-RPC error's `data`, as a
 * gateway built on this manager (mcp-chaos gateway) answers — a gateway whose own upstream timed out says
 * `timeout`, not just "error". Undefined when the failure is not such an answer or names no outcome.
 */
export function reportedOutcome(cause: unknown): Outcome | undefined {
  const data = rpcErrorOf(cause)?.data as { outcome?: unknown } | undefined;
  const o = data?.outcome;
  return typeof o === 'string' && o !== 'success' && Object.hasOwn(CODES, o) ? (o as Outcome) : undefined;
}
