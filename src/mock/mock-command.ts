/**
 * Launching a mock MCP server as a child process: the argv (`mcp-chaos mock ...`) for a spec, and the
 * parser of the line an HTTP mock prints once it listens.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type MockServerSpec, resolveMockServerSpec } from './mock-server-spec.js';

/** The line an HTTP mock prints on stdout once it listens (followed by its URL). */
export const MOCK_READY_PREFIX = 'mock MCP server listening on ';

/** The CLI flags that reproduce `spec` (validated first; RangeError quoting a bad value). */
export function mockServerFlags(spec: MockServerSpec): string[] {
  resolveMockServerSpec(spec);
  const flags: string[] = [];
  const add = (name: string, value?: string | number) => {
    flags.push(name);
    if (value !== undefined) flags.push(String(value));
  };
  if (spec.transport !== undefined) add('--transport', spec.transport);
  if (spec.protocol !== undefined) add('--protocol', spec.protocol);
  if (spec.session !== undefined) add('--session', spec.session);
  if (spec.response !== undefined) add('--response', spec.response);
  if (spec.host !== undefined) add('--host', spec.host);
  if (spec.port !== undefined) add('--port', spec.port);
  if (spec.path !== undefined) add('--path', spec.path);
  if (spec.latency !== undefined) {
    if ('fixedMs' in spec.latency) add('--latency', `${spec.latency.fixedMs}ms`);
    else {
      add('--latency-p50', `${spec.latency.p50Ms}ms`);
      add('--latency-p99', `${spec.latency.p99Ms}ms`);
    }
  }
  if (spec.errorRate !== undefined) add('--error-rate', spec.errorRate);
  if (spec.hang === true) add('--hang');
  if (spec.crashAfterCalls !== undefined) add('--crash-after', spec.crashAfterCalls);
  if (spec.answerPing === false) add('--no-ping');
  if (spec.seed !== undefined) add('--seed', spec.seed);
  if (spec.name !== undefined) add('--name', spec.name);
  if (spec.maxSessions !== undefined) add('--max-sessions', spec.maxSessions);
  return flags;
}

/**
 * argv that starts `spec` as a child process: `[node, <cli main>, 'mock', ...flags]`. When this module runs
 * from TypeScript sources (`.ts`), the TypeScript entry is loaded through tsx (`--import <tsx loader>`);
 * from compiled output, `dist/cli/main.js`. Spawn it without a shell.
 */
export function mockServerCommand(spec: MockServerSpec): string[] {
  const flags = mockServerFlags(spec);
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const main = fileURLToPath(new URL('../cli/main.ts', here));
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
    return [process.execPath, '--import', tsx, main, 'mock', ...flags];
  }
  const main = fileURLToPath(new URL('../cli/main.js', here));
  return [process.execPath, main, 'mock', ...flags];
}

/** Parses the ready line of an HTTP mock; undefined for any other line. */
export function parseMockReadyLine(line: string): { url: string; port: number } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith(MOCK_READY_PREFIX)) return undefined;
  const url = trimmed.slice(MOCK_READY_PREFIX.length).trim();
  try {
    const port = Number(new URL(url).port);
    return Number.isInteger(port) && port > 0 ? { url, port } : undefined;
  } catch {
    return undefined;
  }
}
