/**
 * The gateway from the outside, as clients of both eras see it: a v1 SDK client (2025-11-25, session) and a
 * v2 SDK client in `auto` mode (2026-07-28) list, call, read, get and complete through one gateway in
 * front of a mixed fleet — two replicas of a 2025 mock, a 2026-07-28-only mock and server-everything —
 * and keep working while a replica is killed and restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_FAILURE, type GatewayHandle, startGateway } from '../../../src/gateway/index.js';
import { type ManagerEvent, McpManager } from '../../../src/manager/index.js';
import { type MockServerHandle, startMockServer } from '../../../src/mock/index.js';
import { type EverythingServer, startEverything } from '../connection/fixtures/server-everything.js';
import { gatewayConfig, legacyClient, modernClient, textOf } from './helpers.js';

describe('gateway: clients of both eras', () => {
  let replicas: MockServerHandle[] = [];
  let modern: MockServerHandle;
  let everything: EverythingServer;
  let gw: GatewayHandle;
  const events: ManagerEvent[] = [];

  /** Starts a `sleep` call, cancels it once the manager has it, and expects the manager's call cancelled. */
  async function expectCancelled(start: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    const sleeps = () => events.filter((e) => e.type === 'call-start' && e.tool === 'sleep');
    const before = sleeps().length;
    const ac = new AbortController();
    const call = start(ac.signal);
    await expect.poll(() => sleeps().length, { timeout: 3000 }).toBeGreaterThan(before);
    const callId = (sleeps().at(-1) as { callId: number }).callId;
    ac.abort();
    await expect(call).rejects.toThrow();
    await expect
      .poll(() => events.find((e) => e.type === 'call-end' && e.callId === callId), { timeout: 3000 })
      .toMatchObject({ outcome: 'cancelled' });
  }

  beforeAll(async () => {
    replicas = [
      await startMockServer({ protocol: 'legacy', response: 'json' }),
      await startMockServer({ protocol: 'legacy', response: 'json' }),
    ];
    modern = await startMockServer({ protocol: 'modern', response: 'json' });
    everything = await startEverything('streamableHttp');
    gw = await startGateway({
      manager: {
        settings: { callTimeoutMs: 5000, health: { intervalMs: 100, timeoutMs: 300 } },
        servers: [
          { name: 'weather', endpoints: replicas.map((r) => ({ url: r.url })) },
          { name: 'modern', endpoints: [{ url: modern.url }] },
          { name: 'everything', endpoints: [{ url: `http://127.0.0.1:${everything.port}/mcp` }] },
          { name: 'dead', endpoints: [{ url: 'http://127.0.0.1:9/mcp' }] },
        ],
      },
      gateway: gatewayConfig({ rate: { perClient: '100000/s', burst: 100000 } }),
      port: 0,
      connectTimeoutMs: 2000,
    });
    gw.manager.onEvent((e) => events.push(e));
  }, 60_000);

  afterAll(async () => {
    await gw?.close();
    for (const r of replicas) await r.close();
    await modern?.close();
    await everything?.stop();
  });

  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    it(`${era}: lists every server's tools under mapped names and calls them`, async () => {
      const c = era === '2025-11-25' ? await legacyClient(gw.url) : await modernClient(gw.url);
      try {
        if (era === '2026-07-28')
          expect((c as { getNegotiatedProtocolVersion(): string }).getNegotiatedProtocolVersion()).toBe(era);
        const names = (await c.listTools()).tools.map((t) => t.name);
        expect(names).toEqual(
          expect.arrayContaining([
            'weather__echo',
            'weather__add',
            'modern__echo',
            'modern__confirm',
            'everything__get-sum',
          ]),
        );
        expect(names.some((n) => n.startsWith('dead__'))).toBe(false); // a server down is left out of the list
        const tool = (await c.listTools()).tools.find((t) => t.name === 'weather__add');
        expect(tool?.annotations?.idempotentHint).toBe(true); // annotations and schemas kept
        expect(tool?.inputSchema.properties).toHaveProperty('a');
        expect(textOf(await c.callTool({ name: 'weather__add', arguments: { a: 2, b: 3 } }))).toBe('5');
        expect(textOf(await c.callTool({ name: 'modern__echo', arguments: { message: 'hi' } }))).toBe('hi');
        expect(
          textOf(await c.callTool({ name: 'everything__get-sum', arguments: { a: 20, b: 22 } })),
        ).toContain('42');
        const toolError = await c.callTool({ name: 'weather__fail', arguments: { message: 'nope' } });
        expect(toolError.isError).toBe(true); // a tool error is a result, passed through
        expect(textOf(toolError)).toBe('nope');
      } finally {
        await c.close();
      }
    });

    it(`${era}: reads resources, gets prompts and completes arguments through the owning server`, async () => {
      const c = era === '2025-11-25' ? await legacyClient(gw.url) : await modernClient(gw.url);
      try {
        const { resources } = await c.listResources();
        const doc = resources.find((r) => r.uri.startsWith('mcp-gateway://everything/'));
        expect(doc).toBeDefined();
        const read = await c.readResource({ uri: doc?.uri as string });
        expect(read.contents[0]?.uri).toBe(doc?.uri);
        expect(JSON.stringify(read.contents[0])).toMatch(/"(text|blob)"/);
        const { resourceTemplates } = await c.listResourceTemplates();
        expect(resourceTemplates.some((t) => t.uriTemplate.startsWith('mcp-gateway://everything/'))).toBe(
          true,
        );
        const prompts = (await c.listPrompts()).prompts.map((p) => p.name);
        expect(prompts).toContain('everything__simple-prompt');
        const got = await c.getPrompt({ name: 'everything__args-prompt', arguments: { city: 'Oslo' } });
        expect(JSON.stringify(got.messages)).toContain('Oslo');
        const done = await c.complete({
          ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
          argument: { name: 'department', value: 'S' },
        });
        expect(done.completion.values).toEqual(['Sales', 'Support']);
        await expect(c.readResource({ uri: 'file:///etc/passwd' })).rejects.toMatchObject({ code: -32602 });
        if (era === '2025-11-25') {
          // 2025-only methods (2026-07-28 has subscriptions/listen and a per-request log level instead)
          const legacy = c as Awaited<ReturnType<typeof legacyClient>>;
          await expect(legacy.subscribeResource({ uri: doc?.uri as string })).resolves.toBeDefined();
          await expect(legacy.unsubscribeResource({ uri: doc?.uri as string })).resolves.toBeDefined();
          await expect(legacy.setLoggingLevel('warning')).resolves.toBeDefined();
        }
      } finally {
        await c.close();
      }
    });

    it(`${era}: unknown names are invalid params; a manager refusal carries the manager's code`, async () => {
      const c = era === '2025-11-25' ? await legacyClient(gw.url) : await modernClient(gw.url);
      try {
        await expect(c.callTool({ name: 'nope__x', arguments: {} })).rejects.toMatchObject({ code: -32602 });
        const failure = await c
          .callTool({ name: 'dead__echo', arguments: { message: 'x' } })
          .catch((e: unknown) => e);
        expect(failure).toMatchObject({ code: GATEWAY_FAILURE });
        const data = (failure as { data?: { code?: string; server?: string } }).data;
        expect(data?.server).toBe('dead');
        expect(data?.code).toMatch(/^(NO_ENDPOINT|CONNECTION_FAILED|CIRCUIT_OPEN)$/);
        expect(JSON.stringify(failure)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      } finally {
        await c.close();
      }
    });
  }

  it("a manager in front of the gateway records the gateway's own outcome as `reported`", async () => {
    // what `sut: gateway` runs do: the harness's client is a manager; a refusal of the gateway's manager
    // arrives as a JSON-RPC error (outcome `protocol`) whose data names the gateway's outcome
    const client = new McpManager({
      servers: [{ name: 'gw', endpoints: [{ url: gw.url }] }],
      settings: { callTimeoutMs: 5000, health: { probe: 'none' }, retry: { attempts: 1 } },
    });
    const ends: ManagerEvent[] = [];
    client.onEvent((e) => {
      if (e.type === 'call-end') ends.push(e);
    });
    try {
      await client.start({ connectTimeoutMs: 3000 });
      await expect(client.callTool('gw', 'dead__echo', { message: 'x' })).rejects.toThrow();
      expect(ends).toHaveLength(1);
      expect(ends[0]).toMatchObject({ outcome: 'protocol' });
      expect((ends[0] as { reported?: string }).reported).toMatch(/^(no-endpoint|connection|circuit-open)$/);
      await client.callTool('gw', 'weather__echo', { message: 'y' });
      expect((ends[1] as { reported?: string }).reported).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('relays progress and cancels the upstream call when the client cancels', async () => {
    const c = await legacyClient(gw.url);
    try {
      const progress: number[] = [];
      await c.callTool(
        { name: 'everything__trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
        undefined,
        { onprogress: (p) => progress.push(p.progress) },
      );
      expect(progress).toEqual([1, 2, 3]);
      // a 2025 client's cancel is notifications/cancelled
      await expectCancelled((signal) =>
        c.callTool({ name: 'weather__sleep', arguments: { ms: 10_000 } }, undefined, { signal }),
      );
    } finally {
      await c.close();
    }
  });

  it('a 2026-07-28 client closing its stream cancels the upstream call', async () => {
    const c = await modernClient(gw.url);
    try {
      await expectCancelled((signal) =>
        c.callTool({ name: 'weather__sleep', arguments: { ms: 10_000 } }, { signal } as never),
      );
    } finally {
      await c.close();
    }
  });

  it('keeps serving idempotent calls while a replica is killed and restarted: zero failures', async () => {
    const clients = [await legacyClient(gw.url), await modernClient(gw.url)];
    const failures: string[] = [];
    let calls = 0;
    let running = true;
    const worker = async (i: number) => {
      const c = clients[i % 2] as Awaited<ReturnType<typeof legacyClient>>;
      while (running) {
        calls++;
        try {
          const r = await c.callTool({ name: 'weather__add', arguments: { a: i, b: calls } });
          if (r.isError) failures.push(textOf(r));
        } catch (e) {
          failures.push(String(e));
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    const victim = replicas[0] as MockServerHandle;
    const port = victim.port;
    await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThan(20);
    await victim.close();
    const killedAt = calls;
    await expect.poll(() => calls - killedAt, { timeout: 10_000 }).toBeGreaterThan(50);
    replicas[0] = await startMockServer({ protocol: 'legacy', response: 'json', port });
    await expect
      .poll(() => gw.manager.snapshot().endpoints.find((e) => e.id === 'weather[0]')?.health, {
        timeout: 10_000,
      })
      .toBe('healthy');
    // its breaker opened while it was down: after openFor a trial call closes it and it takes calls again
    const restarted = replicas[0];
    await expect.poll(() => restarted.stats().calls, { timeout: 15_000 }).toBeGreaterThan(10);
    running = false;
    await Promise.all(workers);
    for (const c of clients) await c.close();
    expect(failures).toEqual([]);
  }, 60_000);
});
