/** Folder naming for `reports/<timestamp>-<scenario>/`. */
import type { Journal } from '../chaos/journal.js';

/** A file-system-safe slug of a scenario name (lower case, `[a-z0-9._-]`, at most 80 chars). */
export function scenarioSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  return slug || 'scenario';
}

/**
 * `<timestamp>-<scenario>`, e.g. `2026-11-24T02-00-00.123Z-replica-blackholed`: sorts by start time, and
 * is valid on every OS (no colons). Uses `journal.startedAt`; an unparsable stamp becomes `unknown-time`.
 */
export function reportDirName(journal: Pick<Journal, 'startedAt' | 'scenario'>): string {
  const ms = Date.parse(journal.startedAt);
  const stamp = Number.isFinite(ms) ? new Date(ms).toISOString().replace(/:/g, '-') : 'unknown-time';
  return `${stamp}-${scenarioSlug(journal.scenario.name)}`;
}
