/**
 * Maps a path in the parsed YAML value (`['faults', 1, 'target']`) to a line:column in the source, using
 * the `yaml` Document's node ranges and a `LineCounter`. A path that runs into a missing key points at the
 * parent map; `at: 'key'` points at a key itself (for unknown keys).
 */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface Position {
  line: number;
  column: number;
}

/** `faults[1].target`, `servers.weather.replicas`; '' for the root. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

export class YamlLocator {
  constructor(
    private readonly doc: Document.Parsed | Document,
    private readonly lines: LineCounter,
  ) {}

  /** Position of the 0-based offset. */
  at(offset: number): Position {
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /** Where the node at `path` (or its key, or the nearest existing ancestor) starts. */
  locate(path: readonly PathSegment[], at: 'value' | 'key' = 'value'): Position {
    let node: unknown = this.doc.contents;
    let fallback = this.startOf(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(this.doc as Document);
      const seg = path[i] as PathSegment;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
        if (!pair) return this.at(fallback);
        const keyStart = this.startOf(pair.key) ?? fallback;
        if (last && at === 'key') return this.at(keyStart);
        const value = pair.value;
        const valueStart = this.startOf(value);
        // An empty value (`key:` with nothing) has no useful position: point at its key.
        if (valueStart === undefined || (isScalar(value) && value.value === null && !value.source)) {
          return this.at(keyStart);
        }
        node = value;
        fallback = valueStart;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        const start = this.startOf(item);
        if (start === undefined) return this.at(fallback);
        node = item;
        fallback = start;
      } else {
        return this.at(fallback);
      }
    }
    return this.at(fallback);
  }

  private startOf(node: unknown): number | undefined {
    if (node && typeof node === 'object' && 'range' in node) {
      const r = (node as Node).range;
      if (r) return r[0];
    }
    return undefined;
  }
}
