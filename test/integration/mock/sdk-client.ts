/** Test helper: a bare SDK client against a mock URL, closed (session terminated) on dispose. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export interface TestClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

export async function connectClient(url: string): Promise<TestClient> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'mock-test', version: '1' });
  await client.connect(transport, { timeout: 5000 });
  return {
    client,
    transport,
    close: async () => {
      await transport.terminateSession().catch(() => {});
      await client.close();
    },
  };
}

export const textOf = (r: unknown): string =>
  ((r as { content: Array<{ text: string }> }).content[0] as { text: string }).text;
