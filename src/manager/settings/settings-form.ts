/**
 * One settings form for code and files: `McpManager` takes its settings as code writes them (the resolved
 * shape, `breaker: {trip: {failures}, openForMs: 2000}`) or as a config file does (`breaker: {failures,
 * openFor: '2s'}`, `callTimeout: '1s'`). A layer that is not valid code form but parses as the file form is
 * converted; one that is neither is left as it is, so validation reports its problems (with did-you-mean).
 */
import type { DeepPartial, ManagerOptions, ResilienceSettings, ServerConfig } from '../types.js';
import { resolveSettings, validateSettings } from './resolve-settings.js';
import { settingsInputSchema } from './settings-schema.js';

/**
 * {@link ManagerOptions} as `McpManager` takes them: settings in code form or written as in a config file
 * (`breaker: {failures: 3, openFor: '2s'}`, `callTimeout: '1s'`).
 */
export type ManagerInput = Omit<ManagerOptions, 'settings' | 'servers'> & {
  settings?: DeepPartial<ResilienceSettings> | FileSettings;
  servers: Array<
    Omit<ServerConfig, 'settings'> & { settings?: DeepPartial<ResilienceSettings> | FileSettings }
  >;
};

/**
 * Settings as a config file writes them (the `SettingsInput` form: durations as text, `Ms` aliases); typed
 * loosely because the duration keys are built per dialect — they are checked when the manager is built.
 */
export type FileSettings = Record<string, unknown>;

/** A settings layer in code form (converted from the file form when that is what it is). */
export function codeFormSettings<T extends DeepPartial<ResilienceSettings> | undefined>(
  layer: T | unknown,
): T {
  if (layer === undefined || layer === null || typeof layer !== 'object') return layer as T;
  if (validateSettings(resolveSettings(layer as DeepPartial<ResilienceSettings>)).length === 0)
    return layer as T;
  const file = settingsInputSchema.safeParse(layer);
  return (file.success ? file.data : layer) as T;
}

/** Options with every settings layer (manager-wide and per server) in code form. */
export function codeFormOptions<T extends Partial<ManagerInput>>(
  options: T,
): T & Pick<ManagerOptions, 'settings'> {
  const out = { ...options } as T & Pick<ManagerOptions, 'settings'>;
  if (options.settings !== undefined) out.settings = codeFormSettings(options.settings);
  if (Array.isArray(options.servers))
    (out as { servers: unknown[] }).servers = options.servers.map((s) =>
      s?.settings === undefined ? s : { ...s, settings: codeFormSettings(s.settings) },
    );
  return out;
}
