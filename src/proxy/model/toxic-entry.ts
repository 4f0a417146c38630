import type { ToxicAttributes, ToxicType } from '../toxics/index.js';

/** Which way data flows: upstream = client → server, downstream = server → client. */
export type Direction = 'upstream' | 'downstream';

/** One toxic on a proxy, as the API sees it. Immutable: an update makes a new entry. */
export interface ToxicEntry {
  readonly name: string;
  readonly kind: ToxicType;
  /** The stream as the client sent it (echoed back verbatim, e.g. `UpStream`). */
  readonly stream: string;
  readonly direction: Direction;
  /** Probability in [0, 1] that the toxic applies, rolled per connection and direction (float32). */
  readonly toxicity: number;
  /** Every attribute of the type, in the type's order, zero-filled. */
  readonly attributes: ToxicAttributes;
}

/** The API's JSON object for a toxic, keys in Toxiproxy's order. */
export function toxicJson(entry: ToxicEntry): Record<string, unknown> {
  return {
    attributes: entry.attributes,
    name: entry.name,
    type: entry.kind.type,
    stream: entry.stream,
    toxicity: entry.toxicity,
  };
}

/** Attributes of a type, zero-filled, overridden by `values` (unknown names ignored), in the type's order. */
export function fillAttributes(
  kind: ToxicType,
  values: Readonly<Record<string, number>> = {},
): ToxicAttributes {
  const out: ToxicAttributes = {};
  for (const name of kind.attributes) out[name] = values[name] ?? 0;
  return out;
}

/**
 * Checks what the real server would crash or stall on, and what it cannot represent: toxicity outside
 * [0, 1], negative or unsafe-integer attributes, and the type's own rules (bandwidth rate 0, slicer sizes).
 * Returns a clear message, or undefined when valid.
 */
export function validateToxic(
  entry: Pick<ToxicEntry, 'kind' | 'toxicity' | 'attributes'>,
): string | undefined {
  const { kind, toxicity, attributes } = entry;
  if (!(toxicity >= 0 && toxicity <= 1)) return `toxicity must be between 0 and 1, got ${toxicity}`;
  for (const name of kind.attributes) {
    const value = attributes[name] ?? 0;
    if (value < 0) return `${kind.type} attribute ${name} must not be negative, got ${value}`;
    if (!Number.isSafeInteger(value)) {
      return `${kind.type} attribute ${name} must be at most ${Number.MAX_SAFE_INTEGER}, got ${value}`;
    }
  }
  return kind.validate?.(attributes);
}

/** The two directions, in the order the API lists toxics. */
export const DIRECTIONS: readonly Direction[] = ['upstream', 'downstream'];
