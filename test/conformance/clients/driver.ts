/**
 * A client program the conformance suite launches (`conformance client --command …`): the suite appends
 * the server URL and names the scenario in MCP_CONFORMANCE_SCENARIO (its revision in
 * MCP_CONFORMANCE_PROTOCOL_VERSION, extra data in MCP_CONFORMANCE_CONTEXT). One driver, two backends —
 * `manager` (McpManager) and `bare` (the v2 SDK client alone) — so their verdicts compare like for like:
 * connect, list the tools, make the scenario's tool calls (its context's, else each listed tool once with
 * arguments from its schema), answer whatever the server asks (answers.ts), close.
 *
 *   node --import tsx test/conformance/clients/driver.ts manager|bare <url>
 */
import { argumentsFor } from './answers.js';
import { bareBackend } from './bare-backend.js';
import { managerBackend } from './manager-backend.js';

export interface Backend {
  listTools(): Promise<Array<{ name: string; inputSchema?: Record<string, unknown> }>>;
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

const [kind, url] = process.argv.slice(2);
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
const era = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION === '2026-07-28' ? 'modern' : 'legacy';
const context = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? '{}') as {
  toolCalls?: Array<{ name: string; arguments?: Record<string, unknown> }>;
};

async function main(): Promise<void> {
  if (!url || (kind !== 'manager' && kind !== 'bare')) throw new Error('usage: driver.ts manager|bare <url>');
  const backend = kind === 'manager' ? await managerBackend(url, era) : await bareBackend(url, era);
  try {
    if (scenario === 'initialize') return;
    const tools = await backend.listTools();
    const calls =
      context.toolCalls ?? tools.map((t) => ({ name: t.name, arguments: argumentsFor(t.inputSchema) }));
    for (const c of calls) {
      try {
        await backend.callTool(c.name, c.arguments ?? {});
      } catch (e) {
        process.stderr.write(`${c.name}: ${(e as Error).message}\n`);
      }
    }
  } finally {
    await backend.close();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
