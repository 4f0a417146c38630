/**
 * Zod schema of a manager config file. Output: {@link ManagerOptions} (minus clock/rng). `servers` may be a
 * list (`[{name, endpoints}]`) or a map (`{name: {endpoints}}`); an endpoint may be a bare URL string.
 */
import { z } from 'zod';
import { endpointSettingsInputSchema, settingsInputSchema } from '../settings/index.js';
import type { EndpointConfig, ManagerOptions, ServerConfig } from '../types.js';

const endpointObject = z
  .strictObject({
    id: z.string().min(1).optional(),
    transport: z.enum(['http', 'sse', 'stdio']).optional(),
    url: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    command: z.array(z.string()).min(1).optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    weight: z.number().positive().optional(),
    restart: z.boolean().optional(),
    settings: endpointSettingsInputSchema.optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.url === undefined) === (e.command === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an endpoint needs exactly one of url or command' });
      return;
    }
    if (e.url !== undefined) {
      if (e.transport === 'stdio') {
        ctx.addIssue({
          code: 'custom',
          path: ['transport'],
          message: 'transport stdio needs command, not url',
        });
      }
      let parsed: URL | undefined;
      try {
        parsed = new URL(e.url);
      } catch {
        ctx.addIssue({ code: 'custom', path: ['url'], message: `invalid URL "${e.url}"` });
      }
      if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        ctx.addIssue({ code: 'custom', path: ['url'], message: `URL "${e.url}" must be http(s)` });
      }
    }
    if (e.command !== undefined && e.transport !== undefined && e.transport !== 'stdio') {
      ctx.addIssue({
        code: 'custom',
        path: ['transport'],
        message: `transport ${e.transport} needs url, not command`,
      });
    }
    if (e.command !== undefined && e.command[0] === '') {
      ctx.addIssue({ code: 'custom', path: ['command', 0], message: 'command[0] must not be empty' });
    }
  });

const endpointInput = z
  .union([z.string().transform((url) => ({ url })), endpointObject])
  .pipe(endpointObject);

const serverBody = {
  endpoints: z.array(endpointInput).min(1),
  tags: z.array(z.string()).optional(),
  settings: settingsInputSchema.optional(),
};

const serverListItem = z.strictObject({ name: z.string().min(1), ...serverBody });
const serverMapValue = z.strictObject(serverBody);

/**
 * Duplicate server names and endpoint ids, reported at `[key, ...]` relative to `servers`. Runs even when
 * other parts of the list failed (so all problems come at once), hence the defensive reads.
 */
function checkUnique(items: Array<[string | number, unknown]>, ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const [key, s] of items) {
    const server = (s ?? {}) as { name?: unknown; endpoints?: unknown };
    const name = typeof server.name === 'string' ? server.name : String(key);
    if (names.has(name))
      ctx.addIssue({ code: 'custom', path: [key, 'name'], message: `duplicate server "${name}"` });
    names.add(name);
    if (!Array.isArray(server.endpoints)) continue;
    server.endpoints.forEach((e: unknown, j) => {
      const given = e !== null && typeof e === 'object' ? (e as { id?: unknown }).id : undefined;
      const id = typeof given === 'string' ? given : `${name}[${j}]`;
      if (ids.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: [key, 'endpoints', j],
          message: `duplicate endpoint id "${id}"`,
        });
      }
      ids.add(id);
    });
  }
}

/** Run the uniqueness check even when elements failed, as long as the container has the right type. */
const whenArray = { when: (p: { value: unknown }) => Array.isArray(p.value) };
const whenRecord = {
  when: (p: { value: unknown }) => p.value !== null && typeof p.value === 'object' && !Array.isArray(p.value),
};

const serversInput = z.union([
  z
    .array(serverListItem)
    .min(1)
    .superRefine(
      (list, ctx) =>
        checkUnique(
          list.map((s, i) => [i, s]),
          ctx,
        ),
      whenArray,
    ),
  z
    .record(z.string().min(1), serverMapValue)
    .refine((m) => Object.keys(m).length > 0, { message: 'at least one server is required' })
    .superRefine(
      (m, ctx) =>
        checkUnique(
          Object.entries(m).map(([name, s]) => [name, { name, ...s }]),
          ctx,
        ),
      whenRecord,
    )
    .transform((m) => Object.entries(m).map(([name, s]) => ({ name, ...s }))),
]);

/** Root of a config file. */
export const managerConfigSchema = z
  .strictObject({
    clientName: z.string().min(1).optional(),
    inputCapabilities: z.record(z.string(), z.unknown()).optional(),
    settings: settingsInputSchema.optional(),
    servers: serversInput,
  })
  .transform((c): Omit<ManagerOptions, 'clock' | 'rng'> => {
    const servers: ServerConfig[] = c.servers.map((s) => {
      const out: ServerConfig = { name: s.name, endpoints: s.endpoints.map(stripUndefined<EndpointConfig>) };
      if (s.tags) out.tags = s.tags;
      if (s.settings) out.settings = s.settings;
      return out;
    });
    const options: Omit<ManagerOptions, 'clock' | 'rng'> = { servers };
    if (c.settings) options.settings = c.settings;
    if (c.clientName) options.clientName = c.clientName;
    if (c.inputCapabilities) options.inputCapabilities = c.inputCapabilities;
    return options;
  });

function stripUndefined<T>(obj: object): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}
