/**
 * Client capabilities declared to 2025 servers each stand on their own: `legacyCapabilities:
 * {elicitation: {}}` alone connects and relays elicitation (before: every connect failed with the SDK's
 * "Client does not support sampling capability", classed `connection`, retried and counted by breakers);
 * a server's sampling request is then refused as unsupported. A capability the client schema does not
 * have, or a malformed one, is a configuration error naming the field before anything connects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpManager, type ServerMessage } from '../../../src/manager/index.js';
import { type ConformanceServer, startConformanceServer } from '../gateway/fixtures/conformance-server.js';

const textOf = (r: unknown) =>
  ((r as { content: Array<{ text?: string }> }).content[0]?.text ?? '') as string;

describe('manager: 2025 client capabilities, each on its own', () => {
  let fixture: ConformanceServer;
  beforeAll(async () => {
    fixture = await startConformanceServer();
  }, 30_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('elicitation alone: connects, relays elicitation to the caller, sampling is refused as unsupported', async () => {
    const m = new McpManager({
      servers: [{ name: 'fx', endpoints: [{ url: fixture.url }] }],
      settings: { callTimeoutMs: 5000, health: { probe: 'none' } },
      legacyCapabilities: { elicitation: {} },
    });
    try {
      await m.start();
      const asked: ServerMessage[] = [];
      const onServerRequest = async (r: ServerMessage) => {
        asked.push(r);
        return { action: 'accept', content: { response: 'yes' } };
      };
      const r = await m.callTool('fx', 'test_elicitation', { message: 'go?' }, { onServerRequest });
      expect(textOf(r)).toBe('User response: action=accept, content={"response":"yes"}');
      expect(asked.map((a) => a.method)).toEqual(['elicitation/create']);
      const s = await m.callTool('fx', 'test_sampling', { prompt: 'hi' }, { onServerRequest });
      expect(textOf(s)).toMatch(/^Sampling not supported or error: .*-32601/);
      expect(asked).toHaveLength(1);
      expect(m.snapshot().endpoints.map((e) => e.breaker)).toEqual(['closed']);
    } finally {
      await m.close();
    }
  });

  it('sampling alone works the other way round', async () => {
    const m = new McpManager({
      servers: [{ name: 'fx', endpoints: [{ url: fixture.url }] }],
      settings: { callTimeoutMs: 5000, health: { probe: 'none' } },
      legacyCapabilities: { sampling: {} },
    });
    try {
      await m.start();
      const onServerRequest = async () => ({
        role: 'assistant',
        content: { type: 'text', text: 'forty-two' },
        model: 'test',
      });
      const r = await m.callTool('fx', 'test_sampling', { prompt: 'hi' }, { onServerRequest });
      expect(textOf(r)).toBe('LLM response: forty-two');
      const e = await m.callTool('fx', 'test_elicitation', { message: 'go?' }, { onServerRequest });
      expect(textOf(e)).toMatch(/^Elicitation not supported or error: .*-32601/);
    } finally {
      await m.close();
    }
  });

  it('a capability that does not exist, or is not an object: INVALID_CONFIG naming the field, nothing started', () => {
    const make = (legacyCapabilities: unknown) => () =>
      new McpManager({
        servers: [{ name: 'fx', endpoints: [{ url: fixture.url }] }],
        legacyCapabilities: legacyCapabilities as Record<string, unknown>,
      });
    expect(make({ sampeling: {} })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(/legacyCapabilities\.sampeling: not a client capability/),
      }),
    );
    expect(make({ elicitation: true })).toThrow(/legacyCapabilities\.elicitation: expected an object/);
    expect(make([])).toThrow(/legacyCapabilities: expected an object/);
  });
});
