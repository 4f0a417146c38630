/**
 * Resolving and validating resilience settings. `resolveSettings` deep-merges partial layers over
 * {@link DEFAULT_SETTINGS}; `validateSettings` returns every problem with its path.
 */
import { ChaosError } from '../../core/errors.js';
import {
  DEFAULT_CONSECUTIVE_TRIP,
  DEFAULT_COUNT_WINDOW_SIZE,
  DEFAULT_HEDGE,
  DEFAULT_RATE_TRIP,
  DEFAULT_SETTINGS,
  DEFAULT_TIME_WINDOW_MS,
} from '../defaults.js';
import type { DeepPartial, ResilienceSettings } from '../types.js';
import { resolvedSettingsProblems } from './resolved-schema.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = clone(x);
    return out as T;
  }
  return v;
}

/** What an object starts from when a layer brings it anew (or changes its kind). */
type Fresh = (path: string, incoming: Obj) => Obj;

/** Resolving starts a new trip policy, window kind or hedge from that kind's defaults. */
const kindDefaults: Fresh = (path, incoming) => {
  if (path === 'breaker.trip') {
    if (incoming.policy === 'rate') return clone(DEFAULT_RATE_TRIP) as Obj;
    if (incoming.policy === 'consecutive') return clone(DEFAULT_CONSECUTIVE_TRIP) as Obj;
  }
  if (path === 'breaker.trip.window') {
    if (incoming.kind === 'time') return { kind: 'time', sizeMs: DEFAULT_TIME_WINDOW_MS };
    if (incoming.kind === 'count') return { kind: 'count', size: DEFAULT_COUNT_WINDOW_SIZE };
  }
  if (path === 'hedge') return clone(DEFAULT_HEDGE) as Obj;
  return {};
};

/** The key whose change makes an object start afresh instead of mixing fields of two kinds. */
const KIND_KEYS: Readonly<Record<string, string>> = {
  'breaker.trip': 'policy',
  'breaker.trip.window': 'kind',
};

function mergeInto(target: Obj, layer: Obj, prefix: string, fresh: Fresh): void {
  for (const [key, value] of Object.entries(layer)) {
    if (value === undefined) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isObj(value)) {
      const current = target[key];
      const kindKey = KIND_KEYS[path];
      const changesKind =
        kindKey !== undefined &&
        typeof value[kindKey] === 'string' &&
        (!isObj(current) || current[kindKey] !== value[kindKey]);
      const next: Obj = isObj(current) && !changesKind ? current : fresh(path, value);
      mergeInto(next, value, path, fresh);
      target[key] = next;
    } else {
      target[key] = clone(value);
    }
  }
}

/**
 * Deep-merges `layers` (later wins) over the defaults and returns a fresh object. Arrays are replaced,
 * `undefined` values are skipped. Switching `breaker.trip.policy` (or `breaker.trip.window.kind`) starts
 * that object from the new kind's defaults (rate → time window 10 000 ms, minCalls 20, failureRate 0.5;
 * count window → size 100); setting any `hedge` field fills the other hedge fields from DEFAULT_HEDGE.
 * Does not validate: call {@link validateSettings} (or {@link assertValidSettings}) on the result.
 */
export function resolveSettings(
  ...layers: Array<DeepPartial<ResilienceSettings> | undefined>
): ResilienceSettings {
  const out = clone(DEFAULT_SETTINGS) as unknown as Obj;
  for (const layer of layers) if (isObj(layer)) mergeInto(out, layer, '', kindDefaults);
  return out as unknown as ResilienceSettings;
}

/**
 * Deep-merges partial layers (later wins; arrays replaced) without filling defaults. As in
 * {@link resolveSettings}, a layer that changes `breaker.trip.policy` or `breaker.trip.window.kind` starts
 * that object afresh (here: empty) instead of mixing fields of two kinds.
 */
export function mergeLayers(
  ...layers: Array<DeepPartial<ResilienceSettings> | undefined>
): DeepPartial<ResilienceSettings> {
  const out: Obj = {};
  for (const layer of layers) if (isObj(layer)) mergeInto(out, layer, '', () => ({}));
  return out as DeepPartial<ResilienceSettings>;
}

/**
 * Checks a resolved settings object (or anything claiming to be one, e.g. parsed YAML) and returns
 * every problem as `path: message`, e.g. `breaker.openForMs: must be > 0, got -1`. Empty = valid.
 */
export function validateSettings(s: unknown): string[] {
  return resolvedSettingsProblems(s);
}

/** Throws ChaosError INVALID_CONFIG listing every problem (details.problems) unless `s` is valid. */
export function assertValidSettings(s: unknown, label = 'settings'): asserts s is ResilienceSettings {
  const problems = validateSettings(s);
  if (problems.length > 0) {
    throw new ChaosError('INVALID_CONFIG', `invalid ${label}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
  }
}
