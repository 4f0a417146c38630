/**
 * The differential test's clients: a v1 (2025-11-25) and a v2 (2026-07-28 where the server speaks it,
 * else 2025) SDK client behind one face, so the same operations run directly against a server and through
 * the gateway. `stdio` targets are spawned by the client itself; `http` ones are URLs.
 */
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttp,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdio } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { answer } from './clients/answers.js';

export type Target =
  | { kind: 'http'; url: string }
  | { kind: 'stdio'; command: string[]; env?: Record<string, string> };
export type ClientKind = 'v1' | 'v2';

/** Sends any request and returns its result — or `{error: {code, message}}` when it is refused. */
export type Ask = (method: string, params?: Record<string, unknown>) => Promise<unknown>;

const ANY = z.looseObject({});
const CAPS = { sampling: {}, elicitation: {}, roots: { listChanged: true } };

export async function connect(
  kind: ClientKind,
  target: Target,
): Promise<{ ask: Ask; close: () => Promise<void> }> {
  const wrap =
    (send: (m: string, p: Record<string, unknown>) => Promise<unknown>): Ask =>
    async (m, p) => {
      try {
        return await send(m, p ?? {});
      } catch (e) {
        const x = e as { code?: unknown; message?: string };
        return { error: { code: x.code, message: String(x.message ?? e) } };
      }
    };
  if (kind === 'v1') {
    // the capabilities the gateway declares upstream, so servers offer the same tools both ways
    const c = new Client({ name: 'differential-v1', version: '1.0.0' }, { capabilities: CAPS });
    c.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [] }));
    c.setRequestHandler(
      CreateMessageRequestSchema,
      async () => answer('sampling/createMessage', {}) as never,
    );
    c.setRequestHandler(ElicitRequestSchema, async (r) => answer('elicitation/create', r.params) as never);
    const t =
      target.kind === 'http'
        ? new StreamableHTTPClientTransport(new URL(target.url))
        : new StdioClientTransport({
            command: target.command[0] as string,
            args: target.command.slice(1),
            env: { ...(process.env as Record<string, string>), ...target.env },
            stderr: 'ignore',
          });
    await c.connect(t);
    return { ask: wrap((m, p) => c.request({ method: m, params: p } as never, ANY)), close: () => c.close() };
  }
  const c = new ModernClient({ name: 'differential-v2', version: '1.0.0' }, {
    versionNegotiation: { mode: 'auto' },
    capabilities: CAPS,
  } as never);
  const handlers = c as unknown as {
    setRequestHandler(m: string, h: (r: { params?: Record<string, unknown> }) => unknown): void;
  };
  for (const m of ['roots/list', 'sampling/createMessage', 'elicitation/create'])
    handlers.setRequestHandler(m, async (r) => answer(m, r.params));
  const t =
    target.kind === 'http'
      ? new ModernHttp(new URL(target.url))
      : new ModernStdio({
          command: target.command[0] as string,
          args: target.command.slice(1),
          env: { ...(process.env as Record<string, string>), ...target.env },
          stderr: 'ignore',
        });
  await c.connect(t as never);
  const raw = c as unknown as { request(r: unknown, o?: unknown): Promise<unknown> };
  return { ask: wrap((m, p) => raw.request({ method: m, params: p })), close: () => c.close() };
}
