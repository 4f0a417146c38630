import type { ToxiproxyApiError } from '../model/api-error.js';
import { goStringify } from './go-json.js';

/** What a route answers. */
export interface ApiResponse {
  status: number;
  /** Header name → value (Content-Type included when there is a body). */
  headers: Record<string, string>;
  body: string;
}

/** Compact JSON, `application/json`, no trailing newline (Toxiproxy's success answers). */
export function jsonResponse(status: number, value: unknown): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: goStringify(value) };
}

/** A JSON text already encoded. */
export function rawJsonResponse(status: number, body: string): ApiResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body };
}

/** Go's http.Error: text/plain, nosniff, body + newline. */
export function plainError(status: number, text: string): ApiResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
    body: `${text}\n`,
  };
}

/** Toxiproxy's apiError: `{"error":..,"status":..}` + newline, sent through http.Error. */
export function errorResponse(error: Pick<ToxiproxyApiError, 'message' | 'status'>): ApiResponse {
  return plainError(error.status, goStringify({ error: error.message, status: error.status }));
}

/** No body (204, 405). */
export function emptyResponse(status: number): ApiResponse {
  return { status, headers: {}, body: '' };
}
