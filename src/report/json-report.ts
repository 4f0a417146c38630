/** journal.json: the journal itself, pretty-printed (non-finite numbers become null, as JSON requires). */
import type { Journal } from '../chaos/journal.js';

/** Serialises a journal for `journal.json`; `parseJournal` reads it back. */
export function renderJson(journal: Journal): string {
  return `${JSON.stringify(journal, null, 2)}\n`;
}
