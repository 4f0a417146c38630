/** Versions recorded in every journal: mcp-chaos, Node, the MCP SDK (Toxiproxy's comes from its API). */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

function readVersion(file: string): string | undefined {
  try {
    const v = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

let cached: { mcpChaos: string; node: string; sdk: string } | undefined;

export function runtimeVersions(): { mcpChaos: string; node: string; sdk: string } {
  if (cached) return cached;
  // src/chaos/run → the package root (dist/chaos/run after a build: the same depth).
  const own = readVersion(new URL('../../../package.json', import.meta.url).pathname) ?? 'unknown';
  let sdk = 'unknown';
  const paths = createRequire(import.meta.url).resolve.paths('@modelcontextprotocol/sdk') ?? [];
  for (const p of paths) {
    const file = join(p, '@modelcontextprotocol', 'sdk', 'package.json');
    if (existsSync(file)) {
      sdk = readVersion(file) ?? sdk;
      break;
    }
  }
  cached = { mcpChaos: own, node: process.version, sdk };
  return cached;
}
