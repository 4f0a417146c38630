/**
 * The `gateway:` section of a gateway's config file (beside the manager's `settings` and `servers`), its
 * defaults (defined here once) and its resolution into {@link GatewayConfig}: tokens read from the
 * environment, sizes and rates as numbers. Every field is optional. See docs/gateway.md.
 */
import { z } from 'zod';
import { durationProblem, parseDuration } from '../core/duration.js';
import { type LoadedManagerConfig, loadConfigWithSections } from '../manager/index.js';

/** Every default of the gateway, in one place. */
export const GATEWAY_DEFAULTS = Object.freeze({
  toolNames: '{server}__{tool}',
  resourceUris: 'prefixed' as 'prefixed' | 'as-is',
  allowedOrigins: ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'] as readonly string[],
  allowedHosts: ['localhost', '127.0.0.1', '[::1]'] as readonly string[],
  maxBodyBytes: 1024 * 1024,
  /** Deepest nesting of a request's JSON and of an upstream's answer the gateway passes on. */
  maxJsonDepth: 64,
  ratePerSecond: 100,
  /** Requests one client may have in flight at once (the manager's pools are shared by every client). */
  inFlightPerClient: 32,
  rateBurst: 200,
  drainMs: 10_000,
  /** Open connections from one remote address (more are closed at once). */
  connectionsPerAddress: 256,
  /** Longest time to receive a whole request, headers and body (a trickling client gets 408). */
  requestTimeoutMs: 30_000,
  minHealthyPerServer: 1,
  maxSessions: 1000,
  /** 2025 sessions one client (token, else address) may hold at once. */
  sessionsPerClient: 100,
  sessionIdleMs: 30 * 60_000,
  /** 2026-07-28 `subscriptions/listen` streams one client may hold open (the SDK's own bound: 1024 in all). */
  listenPerClient: 16,
  /** Shortest bearer token accepted (characters). */
  minTokenLength: 16,
});

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/;
const UNIT: Record<string, number> = {
  B: 1,
  KB: 1e3,
  KiB: 1024,
  MB: 1e6,
  MiB: 1024 ** 2,
  GB: 1e9,
  GiB: 1024 ** 3,
};

/** `512KiB`, `1MiB`, `2MB`, `65536` → bytes; undefined for anything else. */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * (UNIT[m[2] ?? 'B'] ?? 1));
  return bytes > 0 ? bytes : undefined;
}

const size = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  if (parseSize(v) === undefined)
    ctx.addIssue({
      code: 'custom',
      message: `invalid size ${JSON.stringify(v)} (expected e.g. 512KiB, 1MiB, 65536)`,
    });
});

const duration = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  try {
    parseDuration(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: durationProblem(v) });
  }
});

const RATE = /^(\d+(?:\.\d+)?)\s*\/\s*(s|m)$/;

const rate = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  if (typeof v === 'number' ? !(v > 0) : !RATE.test(v.trim()))
    ctx.addIssue({
      code: 'custom',
      message: `invalid rate ${JSON.stringify(v)} (expected e.g. 100/s or 600/m)`,
    });
});

const toolNames = z.string().superRefine((t, ctx) => {
  if (!t.includes('{tool}')) ctx.addIssue({ code: 'custom', message: `"${t}" must contain {tool}` });
  const unknown = [...t.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1])
    .filter((p) => p !== 'server' && p !== 'tool');
  if (unknown.length > 0)
    ctx.addIssue({
      code: 'custom',
      message: `unknown placeholder {${unknown[0]}} (use {server} and {tool})`,
    });
  const literal = t.replaceAll('{server}', '').replaceAll('{tool}', '');
  if (!/^[A-Za-z0-9_.-]*$/.test(literal))
    ctx.addIssue({
      code: 'custom',
      message: `"${t}": tool names may hold only A-Z a-z 0-9 _ - . besides the placeholders (MCP's naming rules)`,
    });
  if ((t.match(/\{tool\}/g) ?? []).length > 1 || (t.match(/\{server\}/g) ?? []).length > 1)
    ctx.addIssue({ code: 'custom', message: `"${t}": each placeholder at most once` });
});

type Env = Readonly<Record<string, string | undefined>>;

/** A token as written (`env:NAME` or the value) → its value; undefined when the variable is unset. */
function tokenValue(t: string, env: Env): string | undefined {
  const v = t.startsWith('env:') ? env[t.slice(4)] : t;
  return v === '' ? undefined : v;
}

function tokenSchema(env: Env) {
  return z
    .string()
    .min(1)
    .superRefine((t, ctx) => {
      const v = tokenValue(t, env);
      if (v === undefined)
        ctx.addIssue({ code: 'custom', message: `environment variable ${t.slice(4)} is not set` });
      else if (/\s/.test(v))
        ctx.addIssue({
          code: 'custom',
          message: 'a token must not contain whitespace (a bearer token is one word: it could never match)',
        });
      else if (v.length < GATEWAY_DEFAULTS.minTokenLength)
        ctx.addIssue({
          code: 'custom',
          message: `a token needs at least ${GATEWAY_DEFAULTS.minTokenLength} characters`,
        });
    });
}

/** The `gateway:` section's schema; `env` is where `env:NAME` tokens are looked up (checked to be set). */
export function createGatewaySectionSchema(env: Env) {
  return z.strictObject({
    toolNames: toolNames.optional(),
    resourceUris: z.enum(['prefixed', 'as-is']).optional(),
    auth: z.strictObject({ tokens: z.array(tokenSchema(env)).optional() }).optional(),
    allowedOrigins: z.array(z.string().min(1)).optional(),
    allowedHosts: z.array(z.string().min(1)).optional(),
    maxBodyBytes: size.optional(),
    maxJsonDepth: z.number().int().min(4).max(10_000).optional(),
    rate: z
      .strictObject({
        perClient: rate.optional(),
        burst: z.number().int().positive().optional(),
        inFlight: z.number().int().positive().optional(),
      })
      .optional(),
    drain: duration.optional(),
    connections: z.strictObject({ perAddress: z.number().int().positive().optional() }).optional(),
    requestTimeout: duration.optional(),
    ready: z.strictObject({ minHealthyPerServer: z.number().int().min(0).optional() }).optional(),
    sessions: z
      .strictObject({
        max: z.number().int().positive().optional(),
        perClient: z.number().int().positive().optional(),
        idle: duration.optional(),
        listenPerClient: z.number().int().positive().optional(),
      })
      .optional(),
    /** Per server (`weather`) or tool (`weather/forecast`): whether calls may be retried and re-issued. */
    idempotent: z.record(z.string().min(1), z.boolean()).optional(),
  });
}

export type GatewaySection = z.infer<ReturnType<typeof createGatewaySectionSchema>>;

/** The gateway's settings, resolved. */
export interface GatewayConfig {
  toolNames: string;
  /** `prefixed`: `mcp-gateway://<server>/<uri>`; `as-is`: the servers' own URIs (resource-router.ts). */
  resourceUris: 'prefixed' | 'as-is';
  /** Bearer tokens (values, never logged); empty: no auth. */
  tokens: string[];
  allowedOrigins: string[];
  allowedHosts: string[];
  maxBodyBytes: number;
  maxJsonDepth: number;
  /** Sustained requests per second and client, and the burst above it. */
  ratePerSecond: number;
  rateBurst: number;
  inFlightPerClient: number;
  drainMs: number;
  connectionsPerAddress: number;
  requestTimeoutMs: number;
  minHealthyPerServer: number;
  maxSessions: number;
  sessionsPerClient: number;
  sessionIdleMs: number;
  listenPerClient: number;
  idempotent: Record<string, boolean>;
}

/** Resolves a section the schema accepted: tokens read from `env`, sizes, rates and durations as numbers. */
export function resolveGatewayConfig(section: GatewaySection | undefined, env: Env): GatewayConfig {
  const s = section ?? {};
  const tokens = (s.auth?.tokens ?? [])
    .map((t) => tokenValue(t, env))
    .filter((t): t is string => t !== undefined);
  const perClient = s.rate?.perClient;
  return {
    toolNames: s.toolNames ?? GATEWAY_DEFAULTS.toolNames,
    resourceUris: s.resourceUris ?? GATEWAY_DEFAULTS.resourceUris,
    tokens,
    allowedOrigins: [...(s.allowedOrigins ?? GATEWAY_DEFAULTS.allowedOrigins)],
    allowedHosts: [...(s.allowedHosts ?? GATEWAY_DEFAULTS.allowedHosts)],
    maxBodyBytes:
      s.maxBodyBytes === undefined ? GATEWAY_DEFAULTS.maxBodyBytes : (parseSize(s.maxBodyBytes) as number),
    maxJsonDepth: s.maxJsonDepth ?? GATEWAY_DEFAULTS.maxJsonDepth,
    ratePerSecond: perClient === undefined ? GATEWAY_DEFAULTS.ratePerSecond : perSecond(perClient),
    rateBurst: s.rate?.burst ?? GATEWAY_DEFAULTS.rateBurst,
    inFlightPerClient: s.rate?.inFlight ?? GATEWAY_DEFAULTS.inFlightPerClient,
    drainMs: s.drain === undefined ? GATEWAY_DEFAULTS.drainMs : parseDuration(s.drain),
    connectionsPerAddress: s.connections?.perAddress ?? GATEWAY_DEFAULTS.connectionsPerAddress,
    requestTimeoutMs:
      s.requestTimeout === undefined ? GATEWAY_DEFAULTS.requestTimeoutMs : parseDuration(s.requestTimeout),
    minHealthyPerServer: s.ready?.minHealthyPerServer ?? GATEWAY_DEFAULTS.minHealthyPerServer,
    maxSessions: s.sessions?.max ?? GATEWAY_DEFAULTS.maxSessions,
    sessionsPerClient: s.sessions?.perClient ?? GATEWAY_DEFAULTS.sessionsPerClient,
    listenPerClient: s.sessions?.listenPerClient ?? GATEWAY_DEFAULTS.listenPerClient,
    sessionIdleMs:
      s.sessions?.idle === undefined ? GATEWAY_DEFAULTS.sessionIdleMs : parseDuration(s.sessions.idle),
    idempotent: { ...(s.idempotent ?? {}) },
  };
}

function perSecond(v: string | number): number {
  if (typeof v === 'number') return v;
  const m = RATE.exec(v.trim()) as RegExpExecArray;
  return Number(m[1]) / (m[2] === 'm' ? 60 : 1);
}

/** A gateway config file: the manager's part and the `gateway:` section, resolved. */
export interface GatewayConfigFile {
  manager: LoadedManagerConfig;
  gateway: GatewayConfig;
}

/**
 * Loads a gateway config file (YAML or JSON): every problem of the manager's part and of the `gateway:`
 * section at once, located (ChaosError INVALID_CONFIG, `details.problems`); a missing file is
 * "file not found: PATH".
 */
export function loadGatewayConfig(file: string, env: Env): GatewayConfigFile {
  const loaded = loadConfigWithSections(file, { gateway: createGatewaySectionSchema(env) });
  return {
    manager: loaded.config,
    gateway: resolveGatewayConfig(loaded.sections.gateway as GatewaySection, env),
  };
}
