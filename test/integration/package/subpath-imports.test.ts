/**
 * The package's subpath entries, as built (`dist/`, what `npm install` builds and the tarball ships):
 * `mcp-chaos/manager` loads the manager alone — not the harness, the proxy, the reports, the mocks or
 * fast-check — and each subpath resolves through `exports` with its own types. Import times of
 * `mcp-chaos/manager` and the root entry are printed (the figures in the notes come from here).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const SUBPATHS = ['manager', 'gateway', 'proxy', 'chaos', 'report'] as const;

/** The module URLs `specifier` loads (resolved by package name, from the project root), and the ms it took. */
async function loads(specifier: string): Promise<{ urls: string[]; ms: number }> {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(specifier)}); const ms = performance.now() - t0;
await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ urls: globalThis.__loaded, ms }));`;
  const { stdout } = await run(
    process.execPath,
    ['--import', join(here, 'trace-loads.mjs'), '--input-type=module', '-e', script],
    {
      cwd: root,
      timeout: 30_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as { urls: string[]; ms: number };
}

describe.skipIf(!existsSync(join(root, 'dist/index.js')))('package subpath entries (dist/)', () => {
  it('mcp-chaos/manager loads the manager alone: no harness, proxy, reports, mocks or fast-check', async () => {
    const { urls } = await loads('mcp-chaos/manager');
    const dist = `${pathToFileURL(join(root, 'dist')).href}/`;
    const ours = urls.filter((u) => u.startsWith(dist)).map((u) => u.slice(dist.length));
    expect(ours.some((u) => u.startsWith('manager/'))).toBe(true);
    expect(ours.filter((u) => !/^(manager|core)\//.test(u))).toEqual([]);
    const packages = urls.filter((u) => u.includes('/node_modules/'));
    for (const banned of ['fast-check', 'tinybench', 'toxiproxy-node-client', 'pino'])
      expect(packages.filter((u) => u.includes(`/node_modules/${banned}/`))).toEqual([]);
  });

  it('every subpath resolves through exports, with its own types', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string } | string>;
    };
    for (const sub of SUBPATHS) {
      const entry = pkg.exports[`./${sub}`] as { types: string; default: string };
      expect(existsSync(join(root, entry.default)), entry.default).toBe(true);
      expect(existsSync(join(root, entry.types)), entry.types).toBe(true);
      const { urls } = await loads(`mcp-chaos/${sub}`);
      expect(urls.some((u) => u.endsWith(`/dist/${sub}/index.js`))).toBe(true);
    }
  });

  it('import time: mcp-chaos/manager against the root entry (printed)', async () => {
    const manager = await loads('mcp-chaos/manager');
    const all = await loads('mcp-chaos');
    console.log(
      `import mcp-chaos/manager: ${manager.ms.toFixed(0)} ms, ${manager.urls.length} modules; ` +
        `import mcp-chaos: ${all.ms.toFixed(0)} ms, ${all.urls.length} modules`,
    );
    expect(manager.urls.length).toBeLessThan(all.urls.length);
  });
});
