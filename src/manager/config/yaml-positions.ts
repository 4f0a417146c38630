/**
 * Maps a data path (`['servers', 0, 'url']`) to a 1-based line:column in the source text, using the `yaml`
 * package's parsed document and LineCounter. JSON is parsed the same way (YAML 1.2 is a superset).
 */
import { type Document, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';

export interface SourcePosition {
  line: number;
  col: number;
}

/** A parsed source that can locate paths. */
export interface LocatedSource {
  doc: Document.Parsed;
  /** Position of the node at `path`, or of its nearest existing ancestor; with `key`, of that map key. */
  locate(path: ReadonlyArray<PropertyKey>, key?: string): SourcePosition | undefined;
  /** Whether the source has a node at exactly `path`. */
  has(path: ReadonlyArray<PropertyKey>): boolean;
}

/** Parses `text` keeping positions. Syntax errors are in `doc.errors` (each with `linePos`). */
export function parseLocated(text: string): LocatedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const pos = (offset: number): SourcePosition => lineCounter.linePos(offset);
  return {
    doc,
    locate(path, key) {
      let node: unknown = doc.contents;
      let last: unknown = node;
      for (const seg of path) {
        const next = child(node, seg);
        if (next === undefined) break;
        node = next;
        last = next;
      }
      const fullyResolved = node === last && resolvesAll(doc, path);
      if (key !== undefined && fullyResolved && isMap(node)) {
        for (const item of node.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === key && item.key.range) {
            return pos(item.key.range[0]);
          }
        }
      }
      if (isNode(last) && last.range) return pos(last.range[0]);
      return undefined;
    },
    has(path) {
      return resolvesAll(doc, path);
    },
  };
}

function resolvesAll(doc: Document.Parsed, path: ReadonlyArray<PropertyKey>): boolean {
  let node: unknown = doc.contents;
  for (const seg of path) {
    node = child(node, seg);
    if (node === undefined) return false;
  }
  return true;
}

function child(node: unknown, seg: PropertyKey): unknown {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(seg))
        return item.value ?? item.key;
    }
    return undefined;
  }
  if (isSeq(node) && typeof seg === 'number') return node.items[seg];
  return undefined;
}
