/** Every error code the project throws. Grouped by component; codes are stable API. */
export type ErrorCode =
  // generic
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'INTERNAL'
  // manager call outcomes
  | 'CIRCUIT_OPEN'
  | 'HALF_OPEN_LIMIT'
  | 'POOL_EXHAUSTED'
  | 'QUEUE_FULL'
  | 'NO_ENDPOINT'
  | 'UNKNOWN_SERVER'
  | 'UNKNOWN_ENDPOINT'
  | 'ENDPOINT_NOT_ADMITTED'
  | 'FLEET_BUSY'
  | 'UNKNOWN_TOOL'
  | 'CALL_TIMEOUT'
  | 'CALL_CANCELLED'
  | 'CONNECTION_FAILED'
  | 'SESSION_LOST'
  | 'SERVER_ERROR'
  | 'TOOL_ERROR'
  | 'PROTOCOL_ERROR'
  | 'PROTOCOL_VERSION'
  | 'STREAM_IDLE'
  | 'SERVER_OVERLOADED'
  | 'RESPONSE_TOO_LARGE'
  | 'RETRY_BUDGET_EXHAUSTED'
  | 'MANAGER_CLOSED'
  // proxy
  | 'PROXY_API'
  // gateway
  | 'BIND_FAILED'
  // chaos
  | 'SCENARIO_INVALID'
  | 'INFRASTRUCTURE'
  | 'ROLLBACK_FAILED';

export interface ChaosErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** Base error: a stable string `code`, an optional `cause` and structured `details`. */
export class ChaosError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: ChaosErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChaosError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Type guard; with `code`, also checks the code. */
export function isChaosError(e: unknown, code?: ErrorCode): e is ChaosError {
  return e instanceof ChaosError && (code === undefined || e.code === code);
}

/** A readable message for anything thrown. */
/** Longest server-controlled text kept in an error message, event or log line. */
export const MAX_SERVER_TEXT = 1024;

/** `text`, cut to `max` characters with a note of how much was left out. */
export function truncateText(text: string, max = MAX_SERVER_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
