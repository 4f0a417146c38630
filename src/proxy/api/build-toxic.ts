import { apiErrors } from '../model/api-error.js';
import { fillAttributes, type ToxicEntry, validateToxic } from '../model/toxic-entry.js';
import type { Direction } from '../net/link.js';
import { TOXIC_TYPES } from '../toxics/index.js';
import { toFloat32 } from './go-json.js';
import { decodeAttributes, type RawToxic } from './inputs.js';

/**
 * Turns a decoded toxic into an entry with Toxiproxy's order of checks: stream → default name → type →
 * duplicate name → attributes; then our checks of values the real server crashes or stalls on.
 * Throws ToxiproxyApiError.
 */
export function buildToxic(raw: RawToxic, exists: (name: string) => boolean): ToxicEntry {
  const stream = raw.stream.toLowerCase();
  let direction: Direction;
  if (stream === 'upstream') direction = 'upstream';
  else if (stream === 'downstream') direction = 'downstream';
  else throw apiErrors.invalidStream();
  const name = raw.name === '' ? `${raw.type}_${raw.stream}` : raw.name;
  const kind = TOXIC_TYPES.get(raw.type);
  if (kind === undefined) throw apiErrors.invalidToxicType();
  if (exists(name)) throw apiErrors.toxicExists();
  const attributes: Record<string, number> = {};
  decodeAttributes(raw.attributes, kind, attributes);
  const entry: ToxicEntry = {
    name,
    kind,
    stream: raw.stream,
    direction,
    toxicity: toFloat32(raw.toxicity),
    attributes: fillAttributes(kind, attributes),
  };
  const problem = validateToxic(entry);
  if (problem !== undefined) throw apiErrors.invalidValue(problem);
  return entry;
}

/** A toxic entry with new attributes / toxicity (an update); validated like a new one. */
export function updatedToxic(
  entry: ToxicEntry,
  change: { toxicity: number; attributes: Record<string, number> },
): ToxicEntry {
  const next: ToxicEntry = {
    ...entry,
    toxicity: toFloat32(change.toxicity),
    attributes: fillAttributes(entry.kind, change.attributes),
  };
  const problem = validateToxic(next);
  if (problem !== undefined) throw apiErrors.invalidValue(problem);
  return next;
}
