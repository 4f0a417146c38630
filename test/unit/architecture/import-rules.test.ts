/**
 * Enforces ARCHITECTURE.md: which way imports go, folder APIs only through index.ts, and no ambient
 * time/randomness outside core/ and cli/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const src = join(root, 'src');

/** Top-level folder → top-level folders it may import from. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  proxy: ['core'],
  mock: ['core'],
  manager: ['core'],
  chaos: ['core', 'manager', 'mock'],
  report: ['core', 'chaos'],
  cli: ['core', 'proxy', 'mock', 'manager', 'chaos', 'report', 'cli'],
  'index.ts': ['core', 'proxy', 'mock', 'manager', 'chaos', 'report'],
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

const files = walk(src);
const importRe =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function imports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(importRe)) out.push((m[1] ?? m[2]) as string);
  return out;
}

function topFolder(abs: string): string {
  return relative(src, abs).split('/')[0] ?? '';
}

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('imports flow only in the allowed direction', () => {
    const problems: string[] = [];
    for (const f of files) {
      const from = topFolder(f);
      const text = readFileSync(f, 'utf8');
      for (const spec of imports(text)) {
        if (!spec.startsWith('.')) {
          if (
            spec.startsWith('@modelcontextprotocol/') &&
            (from === 'proxy' || from === 'report' || from === 'core')
          ) {
            problems.push(`${relative(root, f)} imports ${spec} (no MCP in ${from}/)`);
          }
          continue;
        }
        const target = resolve(dirname(f), spec);
        const to = topFolder(target);
        if (to === from) continue;
        const allowed = ALLOWED[from] ?? [];
        if (!allowed.includes(to))
          problems.push(`${relative(root, f)} imports ${spec} (${from}/ must not import ${to}/)`);
        // report/ may only take types from chaos/
        if (
          from === 'report' &&
          to === 'chaos' &&
          !/import\s+type\s|export\s+type\s/.test(lineOf(text, spec))
        ) {
          problems.push(
            `${relative(root, f)} imports values from chaos/ (${spec}); report/ takes types only`,
          );
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('other folders are entered only through their index.ts', () => {
    const problems: string[] = [];
    for (const f of files) {
      const from = topFolder(f);
      for (const spec of imports(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(f), spec);
        const to = topFolder(target);
        if (to === from || to === 'core') continue;
        const rel = relative(join(src, to), target);
        const typeOnlyContract = /^(types|history|journal|invariants\/invariant)\.js$/.test(rel);
        if (rel !== 'index.js' && !typeOnlyContract)
          problems.push(`${relative(root, f)} reaches into ${to}/${rel}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('no Date.now, setTimeout, setInterval or Math.random outside core/ and cli/', () => {
    const problems: string[] = [];
    for (const f of files) {
      const from = topFolder(f);
      if (from === 'core' || from === 'cli') continue;
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/\bDate\.now\(|(?<![.\w])setTimeout\(|(?<![.\w])setInterval\(|\bMath\.random\(/.test(code)) {
          problems.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });

  it('only cli/ prints or exits', () => {
    const problems: string[] = [];
    for (const f of files) {
      if (topFolder(f) === 'cli') continue;
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (
          /\bconsole\.(log|error|warn|info)\(|process\.exit\(|process\.(stdout|stderr)\.write\(/.test(code)
        ) {
          problems.push(`${relative(root, f)}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(problems).toEqual([]);
  });
});

function lineOf(text: string, spec: string): string {
  const idx = text.indexOf(`'${spec}'`) >= 0 ? text.indexOf(`'${spec}'`) : text.indexOf(`"${spec}"`);
  const start = text.lastIndexOf('import', idx);
  const startExport = text.lastIndexOf('export', idx);
  return text.slice(Math.max(start, startExport), idx);
}
