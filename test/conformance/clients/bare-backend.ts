/** The conformance driver's `bare` backend: the v2 SDK client alone, the era pinned, answering itself. */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { answer } from './answers.js';
import type { Backend } from './driver.js';

export async function bareBackend(url: string, era: 'modern' | 'legacy'): Promise<Backend> {
  const c = new Client({ name: 'bare-v2-conformance', version: '1.0.0' }, {
    capabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
    versionNegotiation: { mode: era === 'modern' ? { pin: '2026-07-28' } : 'legacy' },
  } as never);
  const handlers = c as unknown as {
    setRequestHandler(method: string, h: (r: { params?: Record<string, unknown> }) => unknown): void;
  };
  for (const method of ['elicitation/create', 'sampling/createMessage', 'roots/list'])
    handlers.setRequestHandler(method, async (r) => answer(method, r.params));
  await c.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    listTools: async () =>
      (await c.listTools()).tools as Array<{ name: string; inputSchema?: Record<string, unknown> }>,
    callTool: (name, args) => c.callTool({ name, arguments: args }),
    close: () => c.close(),
  };
}
