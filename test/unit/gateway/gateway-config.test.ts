import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isChaosError } from '../../../src/core/errors.js';
import { GATEWAY_DEFAULTS, loadGatewayConfig, parseSize } from '../../../src/gateway/index.js';

const dir = mkdtempSync(join(tmpdir(), 'gw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(text: string): string {
  const f = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, text);
  return f;
}

function problems(f: string, env: Record<string, string> = {}): string[] {
  try {
    loadGatewayConfig(f, env);
  } catch (e) {
    if (!isChaosError(e, 'INVALID_CONFIG')) throw e;
    return (e.details.problems as { path: string; message: string; line?: number }[]).map(
      (p) => `${p.path}${p.line !== undefined ? `@${p.line}` : ''}: ${p.message}`,
    );
  }
  return [];
}

const SERVERS = 'servers:\n  - name: a\n    endpoints: ["http://127.0.0.1:1/mcp"]\n';

describe('gateway config', () => {
  it('defaults every gateway field when the section is absent', () => {
    const c = loadGatewayConfig(file(SERVERS), {});
    expect(c.manager.servers[0]?.name).toBe('a');
    expect(c.gateway).toMatchObject({
      toolNames: GATEWAY_DEFAULTS.toolNames,
      tokens: [],
      maxBodyBytes: GATEWAY_DEFAULTS.maxBodyBytes,
      ratePerSecond: GATEWAY_DEFAULTS.ratePerSecond,
      drainMs: GATEWAY_DEFAULTS.drainMs,
    });
  });

  it('reads sizes, rates, durations and env tokens', () => {
    const f = file(`${SERVERS}gateway:
  toolNames: "{tool}"
  auth: {tokens: ["env:GW_T", "literal-0123456789abcdef"]}
  maxBodyBytes: 64KiB
  rate: {perClient: 600/m, burst: 5}
  drain: 2s
  sessions: {max: 3, idle: 1m}
  idempotent: {a: true, "a/write": false}
`);
    const c = loadGatewayConfig(f, { GW_T: 'from-env-0123456789' }).gateway;
    expect(c).toMatchObject({
      toolNames: '{tool}',
      tokens: ['from-env-0123456789', 'literal-0123456789abcdef'],
      maxBodyBytes: 65536,
      ratePerSecond: 10,
      rateBurst: 5,
      drainMs: 2000,
      maxSessions: 3,
      sessionIdleMs: 60_000,
      idempotent: { a: true, 'a/write': false },
    });
  });

  it('reports every problem of both parts at once, located, with did-you-mean', () => {
    const f = file(`servers:
  - name: a
    endpoints: ["http://127.0.0.1:1/mcp"]
    setings: {}
gateway:
  toolNames: "{srv}_{tool}"
  auth: {tokens: ["env:NOT_SET", "short", "a token with spaces in it"]}
  maxBodyBytes: lots
  rate: {perClient: fast}
  drian: 1s
`);
    expect(problems(f)).toEqual(
      expect.arrayContaining([
        'servers[0].setings@4: unknown key "setings" (did you mean "settings"?)',
        'gateway.toolNames@6: unknown placeholder {srv} (use {server} and {tool})',
        'gateway.auth.tokens[0]@7: environment variable NOT_SET is not set',
        'gateway.auth.tokens[1]@7: a token needs at least 16 characters',
        'gateway.auth.tokens[2]@7: a token must not contain whitespace (a bearer token is one word: it could never match)',
        'gateway.maxBodyBytes@8: invalid size "lots" (expected e.g. 512KiB, 1MiB, 65536)',
        'gateway.rate.perClient@9: invalid rate "fast" (expected e.g. 100/s or 600/m)',
        'gateway.drian@10: unknown key "drian" (did you mean "drain"?)',
      ]),
    );
  });

  it('refuses a toolNames template whose own characters break MCP naming rules', () => {
    expect(problems(file(`${SERVERS}gateway:\n  toolNames: "{server}/{tool}"\n`))).toEqual([
      'gateway.toolNames@5: "{server}/{tool}": tool names may hold only A-Z a-z 0-9 _ - . besides the placeholders (MCP\'s naming rules)',
    ]);
  });

  it('suggests the gateway section for a misspelt top-level key', () => {
    expect(problems(file(`${SERVERS}gatway: {}\n`))).toEqual([
      'gatway@4: unknown key "gatway" (did you mean "gateway"?)',
    ]);
  });

  it('says file not found for a missing file', () => {
    expect(problems(join(dir, 'missing.yaml'))).toEqual([`: file not found: ${join(dir, 'missing.yaml')}`]);
  });

  it('parses sizes', () => {
    expect([
      parseSize('1MiB'),
      parseSize('2KB'),
      parseSize(512),
      parseSize('0'),
      parseSize('1 parsec'),
    ]).toEqual([1048576, 2000, 512, undefined, undefined]);
  });
});
