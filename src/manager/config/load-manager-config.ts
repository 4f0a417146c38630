/**
 * Loads a manager config file (YAML or JSON) into {@link ManagerOptions}. Every problem is reported with its
 * path and, when it can be located, its line:column; all of them at once, in one ChaosError INVALID_CONFIG
 * whose `details.problems` lists `{path, message, line?, col?}`. After the schema, each server's effective
 * settings (defaults ← file-wide ← server) are checked with `validateSettings`.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { closest } from '../../core/closest.js';
import { ChaosError } from '../../core/errors.js';
import { allowedConfigKeys, resolveSettings, validateSettings } from '../settings/index.js';
import type { ManagerOptions } from '../types.js';
import { managerConfigSchema } from './config-schema.js';
import { type LocatedSource, parseLocated } from './yaml-positions.js';

/** One problem in a config file. `path` is dotted with `[i]` for indices, e.g. `servers[0].endpoints[1].url`. */
export interface ConfigProblem {
  path: string;
  message: string;
  /** 1-based, when the path could be located in the source. */
  line?: number;
  col?: number;
}

export type ConfigFormat = 'yaml' | 'json';

/** The config as options (without clock/rng, which are runtime-only). */
export type LoadedManagerConfig = Omit<ManagerOptions, 'clock' | 'rng'>;

/**
 * Loads and validates a manager config.
 * @param source a file path (a single line ending in `.yaml`, `.yml` or `.json` that names an existing file),
 *   or the config text itself.
 * @param format `yaml` or `json`; default from the file extension, else `json` when the text starts with `{`.
 * @throws ChaosError INVALID_CONFIG with `details.problems: ConfigProblem[]` and `details.source`.
 */
export function loadManagerConfig(source: string, format?: ConfigFormat): LoadedManagerConfig {
  const looksLikePath = !source.includes('\n') && /\.(ya?ml|json)$/i.test(source.trim());
  if (looksLikePath && !existsSync(source.trim())) {
    const file = source.trim();
    throw new ChaosError('INVALID_CONFIG', `file not found: ${file}`, {
      details: { source: file, problems: [{ path: '', message: `file not found: ${file}` }] },
    });
  }
  if (looksLikePath) {
    const file = source.trim();
    const text = readFileSync(file, 'utf8');
    return parseManagerConfig(text, format ?? (/\.json$/i.test(file) ? 'json' : 'yaml'), file);
  }
  return parseManagerConfig(source, format);
}

/** Parses config text; see {@link loadManagerConfig}. `sourceName` appears in the error message. */
export function parseManagerConfig(
  text: string,
  format?: ConfigFormat,
  sourceName = '<config>',
): LoadedManagerConfig {
  return parseConfigWithSections(text, {}, format, sourceName).config;
}

/** Top-level sections of a config file beside the manager's own (e.g. the gateway's `gateway:`), by name. */
export type ConfigSections = Record<string, z.ZodType>;

/** A config with its extra sections, each parsed by its schema (absent sections are left out). */
export interface LoadedConfigWithSections {
  config: LoadedManagerConfig;
  sections: Record<string, unknown>;
}

/**
 * {@link loadManagerConfig} for a file that also holds other top-level sections (e.g. `gateway:`): each is
 * validated by its schema, and its problems are reported with the manager's, located, in one error.
 */
export function loadConfigWithSections(source: string, sections: ConfigSections): LoadedConfigWithSections {
  const file = source.trim();
  if (!existsSync(file)) {
    throw new ChaosError('INVALID_CONFIG', `file not found: ${file}`, {
      details: { source: file, problems: [{ path: '', message: `file not found: ${file}` }] },
    });
  }
  const text = readFileSync(file, 'utf8');
  return parseConfigWithSections(text, sections, /\.json$/i.test(file) ? 'json' : 'yaml', file);
}

/** {@link parseManagerConfig} with extra sections; see {@link loadConfigWithSections}. */
export function parseConfigWithSections(
  text: string,
  sections: ConfigSections,
  format?: ConfigFormat,
  sourceName = '<config>',
): LoadedConfigWithSections {
  const fmt: ConfigFormat = format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const problems: ConfigProblem[] = [];
  if (fmt === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      problems.push({ path: '', message: `invalid JSON: ${(e as Error).message}` });
      fail(sourceName, problems);
    }
  }
  const located = parseLocated(text);
  if (located.doc.errors.length > 0) {
    for (const err of located.doc.errors) {
      const p = err.linePos?.[0];
      problems.push({
        path: '',
        message: err.message.split('\n')[0] ?? err.message,
        ...(p ? { line: p.line, col: p.col } : {}),
      });
    }
    fail(sourceName, problems);
  }
  const raw: unknown = located.doc.toJS();
  const { manager, extra } = splitSections(raw ?? {}, sections);
  const parsedSections: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(extra)) {
    const schema = sections[name] as z.ZodType;
    const section = schema.safeParse(value);
    if (section.success) parsedSections[name] = section.data;
    else for (const issue of section.error.issues) collectIssue(issue, [name], located, problems, schema);
  }
  const parsed = managerConfigSchema.safeParse(manager);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      collectIssue(issue, [], located, problems, managerConfigSchema, Object.keys(sections));
    fail(sourceName, problems);
  }
  const config = parsed.data;
  checkEffectiveSettings(config, raw, located, problems);
  if (problems.length > 0) fail(sourceName, problems);
  return { config, sections: parsedSections };
}

/** The manager's part of a config object and, apart, the extra sections present in it. */
function splitSections(raw: unknown, sections: ConfigSections) {
  const extra: Record<string, unknown> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { manager: raw, extra };
  const manager: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (Object.hasOwn(sections, k)) extra[k] = v;
    else manager[k] = v;
  }
  return { manager, extra };
}

function checkEffectiveSettings(
  config: LoadedManagerConfig,
  raw: unknown,
  located: LocatedSource,
  problems: ConfigProblem[],
): void {
  const rawServers = (raw as { servers?: unknown }).servers;
  const seen = new Set<string>();
  config.servers.forEach((server, i) => {
    const key: string | number = Array.isArray(rawServers) ? i : server.name;
    const resolved = resolveSettings(config.settings ?? {}, server.settings ?? {});
    for (const text of validateSettings(resolved)) {
      const colon = text.indexOf(': ');
      const settingsPath = colon > 0 ? text.slice(0, colon) : '';
      const message = colon > 0 ? text.slice(colon + 2) : text;
      // Attribute the problem to the layer that set the value: the server's settings, else the file-wide ones.
      const inServer = locateSetting(located, ['servers', key, 'settings'], settingsPath);
      const inGlobal = inServer ? undefined : locateSetting(located, ['settings'], settingsPath);
      const hit = inServer ?? inGlobal;
      const problem: ConfigProblem = hit
        ? {
            path: formatPath(hit.path),
            message,
            ...(hit.pos ? { line: hit.pos.line, col: hit.pos.col } : {}),
          }
        : {
            path: formatPath(['servers', key, 'settings']),
            message: `${settingsPath || 'settings'}: ${message}`,
          };
      const dedupe = `${problem.path}|${problem.message}`;
      if (!seen.has(dedupe)) problems.push(problem);
      seen.add(dedupe);
    }
  });
}

/**
 * Finds where a resolved-settings path (`breaker.trip.failures`, `retry.backoffMs.baseMs`) was written in
 * the friendly file form (`breaker.failures`, `retry.backoff.base` or `...baseMs`) under `base`.
 */
function locateSetting(
  located: LocatedSource,
  base: PropertyKey[],
  settingsPath: string,
): { path: PropertyKey[]; pos: ReturnType<LocatedSource['locate']> } | undefined {
  if (!settingsPath) return undefined;
  const segs = settingsPath
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((s) => s !== 'trip');
  const variants: PropertyKey[][] = [[]];
  for (const seg of segs) {
    const names = /^\d+$/.test(seg) ? [Number(seg)] : seg.endsWith('Ms') ? [seg.slice(0, -2), seg] : [seg];
    const next: PropertyKey[][] = [];
    for (const v of variants) for (const n of names) next.push([...v, n]);
    variants.splice(0, variants.length, ...next);
  }
  // The exact key, else its parent (e.g. `window: 10s` for `breaker.trip.window.sizeMs`).
  for (const cut of [0, 1]) {
    for (const v of variants) {
      const path = [...base, ...v.slice(0, v.length - cut)];
      if (v.length - cut > 0 && located.has(path)) return { path, pos: located.locate(path) };
    }
  }
  return undefined;
}

function collectIssue(
  issue: z.core.$ZodIssue,
  prefix: PropertyKey[],
  located: LocatedSource,
  out: ConfigProblem[],
  root: z.ZodType,
  rootExtraKeys: readonly string[] = [],
): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // Prefer the branch that got past the root type check (the one the author evidently meant).
    const branches = issue.errors;
    const meant = branches.find((b) => !b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
    if (meant) {
      for (const sub of meant) collectIssue(sub, path, located, out, root);
      return;
    }
  }
  if (issue.code === 'unrecognized_keys') {
    const inRoot = path.slice(prefix.length);
    const known = allowedConfigKeys(root, inRoot).concat(inRoot.length === 0 ? rootExtraKeys : []);
    const allowed = known.filter((k) => !issue.keys.includes(k));
    for (const key of issue.keys) {
      const hint = closest(key, allowed);
      const message = `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`;
      out.push(locatedProblem(path, message, located, key, [...path, key]));
    }
    return;
  }
  out.push(locatedProblem(path, issue.message, located));
}

function locatedProblem(
  path: PropertyKey[],
  message: string,
  located: LocatedSource,
  key?: string,
  shownPath: PropertyKey[] = path,
): ConfigProblem {
  const pos = located.locate(path, key);
  return {
    path: formatPath(shownPath),
    message,
    ...(pos && pos.line > 0 ? { line: pos.line, col: pos.col } : {}),
  };
}

/** `['servers', 0, 'url']` → `servers[0].url`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function fail(sourceName: string, problems: ConfigProblem[]): never {
  const lines = problems.map(
    (p) => `  ${p.path || '(root)'}${p.line !== undefined ? ` (${p.line}:${p.col})` : ''}: ${p.message}`,
  );
  throw new ChaosError('INVALID_CONFIG', `invalid manager config ${sourceName}:\n${lines.join('\n')}`, {
    details: { problems, source: sourceName },
  });
}
