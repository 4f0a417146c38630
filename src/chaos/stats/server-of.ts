import type { History } from '../history.js';

/** Server name of an endpoint id (from `history.endpoints`; the part before `[` when unknown). */
export function serverOf(history: Pick<History, 'endpoints'>, endpoint: string): string {
  const s = history.endpoints[endpoint];
  if (s !== undefined) return s;
  const i = endpoint.indexOf('[');
  return i > 0 ? endpoint.slice(0, i) : endpoint;
}
