/**
 * Maps anything the SDK, undici or a child process throws to a {@link FailureClass}, and builds the
 * classified `ChaosError`s the connection layer throws (`details.failureClass` always set).
 */
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  ChaosError,
  type ErrorCode as ChaosErrorCode,
  errorMessage,
  truncateText,
} from '../../core/errors.js';
import { FAILURE_CLASSES } from '../settings-kinds.js';
import type { FailureClass } from '../types.js';

/** The error code thrown for each failure class. */
export const FAILURE_CODES: Readonly<Record<FailureClass, ChaosErrorCode>> = Object.freeze({
  connection: 'CONNECTION_FAILED',
  timeout: 'CALL_TIMEOUT',
  'session-lost': 'SESSION_LOST',
  'server-5xx': 'SERVER_ERROR',
  'tool-error': 'TOOL_ERROR',
  protocol: 'PROTOCOL_ERROR',
  'stream-idle': 'STREAM_IDLE',
  overloaded: 'SERVER_OVERLOADED',
  'response-too-large': 'RESPONSE_TOO_LARGE',
});

const FAILURE_CLASS_SET: ReadonlySet<string> = new Set<string>(FAILURE_CLASSES);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'ENOENT',
  'EACCES',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ABORT_ERR']);

/**
 * Classifies any thrown value:
 * - a ChaosError: its `details.failureClass` (or what its code implies);
 * - McpError −32001 (request timeout / aborted) → timeout; −32000 "Connection closed" → connection;
 *   any other JSON-RPC error → protocol;
 * - an HTTP status (StreamableHTTPError, SseError, "HTTP 503" messages) → server-5xx (the connection
 *   itself decides when a 404/400 means session-lost); StreamableHTTPError −1 (bad content type) → protocol;
 * - schema errors (by shape: an `issues` array, as zod's — never by a class name a dependency can
 *   change), JSON syntax errors and values this process cannot serialize (nested too deep, circular)
 *   → protocol; AbortError / TimeoutError → timeout;
 * - fetch failures, socket and spawn errors, and anything unknown → connection.
 * A caller's cancel (CALL_CANCELLED) reports `timeout`: check the code first to tell them apart.
 */
export function classifyError(e: unknown): FailureClass {
  if (e instanceof ChaosError) {
    const fc = e.details.failureClass;
    if (typeof fc === 'string' && FAILURE_CLASS_SET.has(fc)) return fc as FailureClass;
    for (const [cls, code] of Object.entries(FAILURE_CODES)) if (code === e.code) return cls as FailureClass;
    if (e.code === 'CALL_CANCELLED') return 'timeout';
    return 'connection';
  }
  if (e instanceof McpError) {
    if (e.code === ErrorCode.RequestTimeout) return 'timeout';
    if (e.code === ErrorCode.ConnectionClosed && /connection closed/i.test(e.message)) return 'connection';
    return 'protocol';
  }
  if (e instanceof StreamableHTTPError) {
    // a 400 carrying -32022: a modern-only server refusing our 2025 request (not a server failure)
    if (typeof e.code === 'number' && e.code >= 100)
      return /-32022/.test(e.message) ? 'protocol' : 'server-5xx';
    return e.code === -1 ? 'protocol' : 'connection';
  }
  if (e instanceof SseError) return typeof e.code === 'number' && e.code >= 100 ? 'server-5xx' : 'connection';
  const modern = classifyModern(e);
  if (modern !== undefined) return modern;
  if (!(e instanceof Error)) return 'connection';
  if (isSchemaError(e) || e instanceof SyntaxError || isLocalSerialization(e)) return 'protocol';
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  for (const code of errorCodes(e)) {
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (CONNECTION_CODES.has(code)) return 'connection';
  }
  if (httpStatusOf(e) !== undefined) return 'server-5xx';
  return 'connection';
}

/**
 * The v2 SDK's errors (2026-07-28 sessions): an HTTP status (`SdkHttpError.status`; its `.code` is the same
 * for every status, so never read) → server-5xx, or protocol for a version mismatch (-32022); `SdkError`
 * by its code; `ProtocolError` (a JSON-RPC error) → protocol. Undefined for anything else.
 */
function classifyModern(e: unknown): FailureClass | undefined {
  if (e instanceof SdkHttpError && typeof e.status === 'number' && e.status >= 100) {
    return /-32022/.test(e.message) ? 'protocol' : 'server-5xx';
  }
  if (e instanceof SdkError) {
    switch (e.code) {
      case SdkErrorCode.RequestTimeout:
        return 'timeout';
      case SdkErrorCode.EraNegotiationFailed: {
        // "probe failed: <network error>" is that error; otherwise the server's era did not fit
        const cause = (e as { cause?: unknown }).cause;
        return cause === undefined ? 'protocol' : classifyError(cause);
      }
      case SdkErrorCode.InvalidResult:
      case SdkErrorCode.UnsupportedResultType:
        return 'protocol';
      default:
        return 'connection';
    }
  }
  if (e instanceof ProtocolError) return 'protocol';
  return undefined;
}

/**
 * A value this process could not serialize — arguments nested so deep the serializer overflowed the stack
 * (RangeError), circular, or holding a BigInt: the caller's request, never the endpoint's failure (no
 * retry would help, no breaker should count it). `fetch failed` is a TypeError too, hence the message.
 */
function isLocalSerialization(e: Error): boolean {
  return e instanceof RangeError || (e instanceof TypeError && /circular|BigInt|serializ/i.test(e.message));
}

/** A schema validation error, recognised by its shape (zod 3 and 4 alike: an `issues` array). */
function isSchemaError(e: Error): boolean {
  return Array.isArray((e as { issues?: unknown }).issues);
}

/** The HTTP status carried by an SDK error, if any. */
export function httpStatusOf(e: unknown): number | undefined {
  if (e instanceof StreamableHTTPError || e instanceof SseError) {
    return typeof e.code === 'number' && e.code >= 100 ? e.code : undefined;
  }
  if (e instanceof SdkHttpError)
    return typeof e.status === 'number' && e.status >= 100 ? e.status : undefined;
  if (e instanceof Error) {
    const m = /\(HTTP (\d{3})\)/.exec(e.message);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** Every `code` (or errno name) along the `cause` chain, outermost first. */
export function errorCodes(e: unknown): string[] {
  const out: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    // the v2 SDK's own codes (NOT_CONNECTED, ERA_NEGOTIATION_FAILED, ...) say what it did, not the cause
    if (typeof code === 'string' && !(cur instanceof SdkError)) out.push(code);
    const errors = (cur as { errors?: unknown }).errors; // AggregateError (happy eyeballs)
    if (Array.isArray(errors)) for (const inner of errors) out.push(...errorCodes(inner));
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

export interface FailureDetails {
  endpoint: string;
  /** `connect`, `tools/call`, `ping`, `tools/list`. */
  op: string;
  [key: string]: unknown;
}

/** A ChaosError of the class's code with `details.failureClass`. */
export function failureError(
  failureClass: FailureClass,
  message: string,
  details: FailureDetails,
  cause?: unknown,
): ChaosError {
  const status = httpStatusOf(cause);
  const codes = cause === undefined ? [] : errorCodes(cause);
  // Messages often carry server-controlled text (an error page, a body): never more than 1 KiB of it.
  return new ChaosError(FAILURE_CODES[failureClass], truncateText(message), {
    cause,
    details: {
      failureClass,
      ...details,
      ...(status === undefined ? {} : { status }),
      ...(codes.length ? { causeCode: codes[0] } : {}),
    },
  });
}

/** CALL_CANCELLED: the caller's signal aborted (reports failureClass `timeout`, `cancelled: true`). */
export function cancelledError(message: string, details: FailureDetails, cause?: unknown): ChaosError {
  return new ChaosError('CALL_CANCELLED', message, {
    cause,
    details: { failureClass: 'timeout', cancelled: true, ...details },
  });
}

/** Turns anything into a classified ChaosError (ChaosErrors pass through unchanged). */
export function toFailure(e: unknown, details: FailureDetails): ChaosError {
  if (e instanceof ChaosError) return e;
  const cls = classifyError(e);
  return failureError(
    cls,
    `${details.endpoint}: ${details.op} failed (${cls}): ${errorMessage(e)}`,
    details,
    e,
  );
}
