/** Shared bits of the gateway integration tests: clients of both SDK lines pointed at a gateway. */
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type GatewaySection, resolveGatewayConfig } from '../../../src/gateway/index.js';

/** A 2025-11-25 client (v1 SDK, with a session). */
export async function legacyClient(url: string, token?: string): Promise<LegacyClient> {
  const c = new LegacyClient({ name: 'test-v1', version: '1.0.0' });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await c.connect(new LegacyTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

/** A v2 SDK client negotiating its era (`auto`): 2026-07-28 against the gateway. */
export async function modernClient(url: string, token?: string): Promise<ModernClient> {
  const c = new ModernClient({ name: 'test-v2', version: '1.0.0' }, {
    versionNegotiation: { mode: 'auto' },
  } as never);
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await c.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return c;
}

/** The gateway section with defaults but what is given. */
export function gatewayConfig(section: GatewaySection = {}, env: Record<string, string> = {}) {
  return resolveGatewayConfig(section, env);
}

export const textOf = (r: unknown) =>
  ((r as { content?: Array<{ text?: string }> }).content?.[0]?.text ?? '') as string;
