/**
 * The rules of ARCHITECTURE.md as a pure check over a source tree, so the architecture test can run them on
 * `src/` (must pass) and on a fixture tree with planted violations (each must be flagged).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Top-level folder (or root file) → top-level folders it may import from. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  proxy: ['core'],
  mock: ['core'],
  manager: ['core'],
  gateway: ['core', 'manager'],
  relay: ['core', 'proxy'],
  chaos: ['core', 'manager', 'mock', 'relay'],
  report: ['core', 'chaos'],
  cli: ['core', 'proxy', 'mock', 'manager', 'gateway', 'relay', 'chaos', 'report'],
  'index.ts': ['core', 'proxy', 'mock', 'manager', 'gateway', 'relay', 'chaos', 'report'],
};

/** Folders that need no MCP: they must not import the SDK. */
const NO_MCP = new Set(['core', 'proxy', 'report']);

/**
 * Contract files: plain types another top-level folder may import directly, but only with `import type`.
 * Paths relative to their top-level folder.
 */
export const CONTRACT_FILES: readonly string[] = [
  'types.ts',
  'history.ts',
  'journal.ts',
  'invariants/invariant.ts',
];

/**
 * Sub-folders whose files the rest of their top-level folder may import directly (no index.ts), each with
 * its reason. Everywhere else a folder is entered through its index.ts.
 */
export const INTERNAL_FOLDERS: Readonly<Record<string, string>> = {
  'proxy/api':
    'the proxy is one component split by layer (api → model → net); the layers use each other directly',
  'proxy/model': 'as proxy/api',
  'proxy/net': 'as proxy/api',
  'cli/commands': 'one file per command, each loaded lazily by cli/main.ts',
};

/** Ambient time, timers and randomness: injected everywhere but core/ and cli/. */
const AMBIENT =
  /\bDate\.now\(|\bnew Date\(\)|(?<![.\w])(?:setTimeout|setInterval|setImmediate)\(|\bglobalThis\.(?:setTimeout|setInterval|setImmediate)\b|\bperformance\.now\(|\bprocess\.hrtime\b|\bMath\.random\(/;
const AMBIENT_FREE_EXEMPT = new Set(['core', 'cli']);

/** One import statement (or dynamic import / re-export) of a file. */
export interface ImportStatement {
  spec: string;
  /** `import type {…}`, `export type {…}`, or every named specifier marked `type`. */
  typeOnly: boolean;
  line: number;
}

const STATEMENT =
  /(?:^|\n)[ \t]*(import|export)(\s+type)?\s*(?:(\{[^}]*\}|\*(?:\s+as\s+\w+)?|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s*from\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every import of a source text, side-effect imports (`import './x.js'`) and `import()` included. */
export function importsOf(text: string): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const m of text.matchAll(STATEMENT)) {
    const spec = (m[4] ?? m[5]) as string;
    const line = text.slice(0, (m.index ?? 0) + (m[0].startsWith('\n') ? 1 : 0)).split('\n').length;
    if (m[5] !== undefined) {
      out.push({ spec, typeOnly: false, line });
      continue;
    }
    const clause = m[3];
    const named = clause?.startsWith('{')
      ? clause
          .slice(1, -1)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
    const allTyped = named.length > 0 && named.every((s) => s.startsWith('type '));
    out.push({ spec, typeOnly: m[2] !== undefined || allTyped, line });
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** A broken rule: which rule, and where. */
export interface RuleProblem {
  rule: 'direction' | 'no-mcp' | 'index-entry' | 'contract-type-only' | 'ambient' | 'prints' | 'cycle';
  text: string;
}

/** Checks every rule over the tree rooted at `src`; [] when it holds. */
export function checkArchitecture(src: string): RuleProblem[] {
  const files = walk(src);
  const problems: RuleProblem[] = [];
  const top = (abs: string): string => relative(src, abs).split(sep)[0] ?? '';
  const name = (abs: string): string => relative(src, abs).split(sep).join('/');
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const from = top(f);
    const edges: string[] = [];
    for (const imp of importsOf(text)) {
      const at = `${name(f)}:${imp.line}`;
      if (!imp.spec.startsWith('.')) {
        if (imp.spec.startsWith('@modelcontextprotocol/') && NO_MCP.has(from)) {
          problems.push({ rule: 'no-mcp', text: `${at} imports ${imp.spec} (no MCP in ${from}/)` });
        }
        continue;
      }
      const target = resolve(dirname(f), imp.spec).replace(/\.js$/, '.ts');
      const to = top(target);
      edges.push(target);
      if (to !== from && !(ALLOWED[from] ?? []).includes(to)) {
        problems.push({
          rule: 'direction',
          text: `${at} imports ${imp.spec} (${from}/ must not import ${to}/)`,
        });
      }
      // A contract file may be imported from anywhere, but only for its types.
      const inTo = relative(join(src, to), target).split(sep).join('/');
      if (CONTRACT_FILES.includes(inTo) && dirname(target) !== dirname(f)) {
        if (!imp.typeOnly) {
          problems.push({
            rule: 'contract-type-only',
            text: `${at} imports values from contract file ${to}/${inTo}`,
          });
        }
        continue;
      }
      const entry = entryProblem(src, f, target);
      if (entry) problems.push({ rule: 'index-entry', text: `${at} ${entry}` });
    }
    graph.set(f, edges);
    if (!AMBIENT_FREE_EXEMPT.has(from))
      lineRule(text, AMBIENT, (n, l) => problems.push({ rule: 'ambient', text: `${name(f)}:${n}: ${l}` }));
    if (from !== 'cli') {
      lineRule(
        text,
        /\bconsole\.(log|error|warn|info)\(|process\.exit\(|process\.(stdout|stderr)\.write\(/,
        (n, l) => problems.push({ rule: 'prints', text: `${name(f)}:${n}: ${l}` }),
      );
    }
  }
  for (const cycle of cycles(graph)) {
    problems.push({ rule: 'cycle', text: `import circle: ${cycle.map(name).join(' → ')}` });
  }
  return problems;
}

/**
 * A folder is entered only through its index.ts: from `file`, a target is fine when it lies in the file's
 * own folder or an enclosing one (up to the top-level folder); any deeper target must be the index.ts of a
 * folder directly inside one of those. Across top-level folders only `index.ts` of the top folder counts.
 */
function entryProblem(src: string, file: string, target: string): string | undefined {
  const rel = (p: string) => relative(src, p).split(sep).join('/');
  const fileTop = rel(file).split('/')[0];
  const targetTop = rel(target).split('/')[0];
  if (targetTop === 'core') return undefined; // leaf utilities: any file
  if (fileTop !== targetTop) {
    return rel(target) === `${targetTop}/index.ts` ? undefined : `reaches into ${rel(target)}`;
  }
  const enclosing = new Set<string>();
  for (let d = dirname(file); rel(d).startsWith(fileTop ?? '') && d.length >= src.length; d = dirname(d)) {
    enclosing.add(d);
    if (rel(d) === fileTop) break;
  }
  const targetDir = dirname(target);
  if (enclosing.has(targetDir)) return undefined;
  if (INTERNAL_FOLDERS[rel(targetDir)] !== undefined) return undefined;
  if (target.endsWith(`${sep}index.ts`) && enclosing.has(dirname(targetDir))) return undefined;
  return `reaches into ${rel(target)} (enter its folder through index.ts)`;
}

function lineRule(text: string, re: RegExp, report: (line: number, text: string) => void): void {
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
    if (re.test(code)) report(i + 1, line.trim());
  });
}

/** Import circles (value imports only), one per strongly connected component of two or more files. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.reverse());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}
