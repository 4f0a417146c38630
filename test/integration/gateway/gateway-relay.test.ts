/**
 * A 2025 upstream's own requests and log messages pass through the gateway to the 2025 client whose call
 * is in flight: sampling and elicitation are answered by that client, its log messages reach it, and a
 * 2026-07-28 client (which has no server-to-client requests) is asked through `input_required` and its
 * retry's answer goes back to the waiting upstream (one without the capability: the upstream hears why);
 * a 2026-07-28 upstream's `input_required` result reaches the client, whose retry (inputResponses and
 * requestState) any replica finishes.
 */

import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { startMockServer } from '../../../src/mock/index.js';
import { type ConformanceServer, startConformanceServer } from './fixtures/conformance-server.js';
import { gatewayConfig, modernClient, textOf } from './helpers.js';

describe('gateway: server-to-client requests and log messages of a 2025 upstream', () => {
  let fixture: ConformanceServer;
  let gw: GatewayHandle;

  beforeAll(async () => {
    fixture = await startConformanceServer();
    gw = await startGateway({
      manager: {
        settings: { callTimeoutMs: 5000 },
        servers: [{ name: 'fx', endpoints: [{ url: fixture.url }] }],
      },
      gateway: gatewayConfig(),
      port: 0,
    });
  }, 30_000);

  afterAll(async () => {
    await gw?.close();
    await fixture?.close();
  });

  it('relays sampling, elicitation and log messages to the calling 2025 client', async () => {
    const c = new Client({ name: 'desk', version: '1' }, { capabilities: { sampling: {}, elicitation: {} } });
    const asked: string[] = [];
    c.setRequestHandler(CreateMessageRequestSchema, async (r) => {
      asked.push(r.method);
      return { role: 'assistant', content: { type: 'text', text: 'forty-two' }, model: 'test' };
    });
    c.setRequestHandler(ElicitRequestSchema, async (r) => {
      asked.push(r.method);
      return { action: 'accept', content: { response: 'yes' } };
    });
    const logs: unknown[] = [];
    c.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params.data);
    });
    await c.connect(new StreamableHTTPClientTransport(new URL(gw.url)));
    try {
      const sampled = await c.callTool({ name: 'fx__test_sampling', arguments: { prompt: 'meaning?' } });
      expect(textOf(sampled)).toBe('LLM response: forty-two');
      const elicited = await c.callTool({ name: 'fx__test_elicitation', arguments: { message: 'ok?' } });
      expect(textOf(elicited)).toBe('User response: action=accept, content={"response":"yes"}');
      expect(asked).toEqual(['sampling/createMessage', 'elicitation/create']);
      await c.callTool({ name: 'fx__test_tool_with_logging', arguments: {} });
      expect(logs).toEqual(['Tool execution started', 'Tool processing data', 'Tool execution completed']);
    } finally {
      await c.close();
    }
  });

  it('a 2026-07-28 client is asked through input_required: its retry answers the upstream, the call completes', async () => {
    const c = new ModernClient({ name: 'c', version: '1' }, {
      versionNegotiation: { mode: 'auto' },
      capabilities: { sampling: {}, elicitation: {} },
    } as never);
    const asked: string[] = [];
    const handlers = c as unknown as {
      setRequestHandler(
        m: string,
        h: (r: { method: string; params?: Record<string, unknown> }) => unknown,
      ): void;
    };
    handlers.setRequestHandler('sampling/createMessage', async (r) => {
      asked.push(r.method);
      return { role: 'assistant', content: { type: 'text', text: 'forty-two' }, model: 'test' };
    });
    handlers.setRequestHandler('elicitation/create', async (r) => {
      asked.push(`${r.method}: ${r.params?.message}`);
      return { action: 'accept', content: { response: 'yes' } };
    });
    try {
      await c.connect(new ModernTransport(new URL(gw.url)));
      const sampled = await c.callTool({ name: 'fx__test_sampling', arguments: { prompt: 'meaning?' } });
      expect(textOf(sampled)).toBe('LLM response: forty-two');
      const elicited = await c.callTool({ name: 'fx__test_elicitation', arguments: { message: 'ok?' } });
      expect(textOf(elicited)).toBe('User response: action=accept, content={"response":"yes"}');
      expect(asked).toEqual(['sampling/createMessage', 'elicitation/create: ok?']);
      expect(gw.inputWaiting).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a 2026-07-28 client that did not declare sampling: the upstream hears one clear refusal', async () => {
    const c = await modernClient(gw.url);
    try {
      const r = await c.callTool({ name: 'fx__test_sampling', arguments: { prompt: 'x' } });
      expect(textOf(r)).toMatch(
        /^Sampling not supported or error: MCP error -32601: sampling\/createMessage: the gateway's client did not declare the sampling capability$/,
      );
    } finally {
      await c.close();
    }
  });

  it('a 2026-07-28 retry with a state the gateway never gave: -32602, nothing reaches the upstream', async () => {
    const res = await fetch(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'fx__test_sampling',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: {
          name: 'fx__test_sampling',
          arguments: { prompt: 'x' },
          inputResponses: { r1: { role: 'assistant', content: { type: 'text', text: 'x' }, model: 'm' } },
          requestState: 'mcp-gateway-input:forged',
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': { sampling: {} },
          },
        },
      }),
    });
    const body = await res.text();
    expect(body).toMatch(/-32602/);
    expect(body).toMatch(/requestState names no call waiting for input here/);
  });
});

describe('gateway: input_required (2026-07-28) passes through', () => {
  it('the client answers the elicitation and another replica finishes the call', async () => {
    const replicas = [
      await startMockServer({ protocol: 'modern', response: 'json' }),
      await startMockServer({ protocol: 'modern', response: 'json' }),
    ];
    const gw = await startGateway({
      manager: {
        settings: { balancer: 'round-robin' },
        servers: [{ name: 'new', endpoints: replicas.map((r) => ({ url: r.url })) }],
      },
      gateway: gatewayConfig(),
      port: 0,
    });
    const c = new ModernClient({ name: 'c', version: '1' }, {
      versionNegotiation: { mode: 'auto' },
      capabilities: { elicitation: {} },
    } as never);
    const asked: unknown[] = [];
    (
      c as unknown as {
        setRequestHandler(m: string, h: (r: { params?: { message?: string } }) => unknown): void;
      }
    ).setRequestHandler('elicitation/create', async (r) => {
      asked.push(r.params?.message);
      return { action: 'accept', content: { confirm: true } };
    });
    try {
      await c.connect(new ModernTransport(new URL(gw.url)));
      expect(textOf(await c.callTool({ name: 'new__confirm', arguments: { action: 'deploy' } }))).toBe(
        'confirmed deploy',
      );
      expect(asked).toEqual(['Confirm deploy?']);
      expect(replicas.map((r) => r.stats().calls)).toEqual([1, 1]); // two rounds, one on each replica
    } finally {
      await c.close();
      await gw.close();
      for (const r of replicas) await r.close();
    }
  });
});
