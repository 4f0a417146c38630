/**
 * Cross-field rules of single objects that the zod schema cannot express: which server fields combine,
 * the breaker's policy fields, a fault's single action, invariant entries. They run on the raw value
 * (defensively, whatever its shape), so their findings join the schema's.
 */
import { parseDuration } from '../../core/duration.js';
import { breakerPolicyProblems } from '../../manager/index.js';
import type { Finding } from './problem.js';
import { MCP_FAULT_ACTIONS } from './schema-mcp-fault.js';
import type { PathSegment } from './yaml-locate.js';

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const has = (o: Obj, k: string): boolean => o[k] !== undefined;

/** Every string in a server's command, env and url. */
function serverStrings(s: Obj): string[] {
  const out: string[] = [];
  if (Array.isArray(s.command)) for (const a of s.command) if (typeof a === 'string') out.push(a);
  if (isObj(s.env)) for (const v of Object.values(s.env)) if (typeof v === 'string') out.push(v);
  if (typeof s.url === 'string') out.push(s.url);
  return out;
}

function checkUrl(url: unknown, path: PathSegment[], out: Finding[]): void {
  if (typeof url !== 'string') return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url.replaceAll('{port}', '1').replaceAll('{replica}', '0'));
  } catch {
    out.push({ path, message: `invalid URL "${url}"` });
    return;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    out.push({ path, message: `URL "${url}" must be http:// or https://` });
  }
}

export function checkServerShape(s: unknown, path: PathSegment[], out: Finding[]): void {
  if (!isObj(s)) return;
  const at = (k: string): PathSegment[] => [...path, k];
  if (has(s, 'mock')) {
    for (const k of ['command', 'url']) {
      if (has(s, k)) out.push({ path: at(k), message: `a mock server cannot also have ${k}`, at: 'key' });
    }
    for (const k of ['env', 'cwd', 'ready']) {
      if (has(s, k))
        out.push({ path: at(k), message: `${k} applies to command servers, not mock`, at: 'key' });
    }
    if (has(s, 'transport')) {
      out.push({
        path: at('transport'),
        message: 'for a mock server, set mock.transport instead',
        at: 'key',
      });
    }
  } else if (has(s, 'command')) {
    const stdio = s.transport === 'stdio' || (!has(s, 'url') && !has(s, 'transport'));
    if (stdio && has(s, 'url')) {
      out.push({
        path: at('url'),
        message: 'a stdio server has no url (it talks over stdin/stdout)',
        at: 'key',
      });
    }
    if (!stdio && !has(s, 'url')) {
      out.push({
        path: at('transport'),
        message: `transport ${String(s.transport)} needs url: where the started process serves MCP`,
      });
    }
    const strings = serverStrings(s);
    const own = stdio ? serverStrings({ ...s, url: undefined }) : strings;
    if (stdio && own.some((x) => x.includes('{port}'))) {
      out.push({ path: at('command'), message: 'a stdio server has no port: {port} cannot be used' });
    }
    if (!stdio) {
      checkUrl(s.url, at('url'), out);
      const replicas = typeof s.replicas === 'number' ? s.replicas : 1;
      if (replicas > 1 && !strings.some((x) => x.includes('{port}') || x.includes('{replica}'))) {
        out.push({
          path: at('url'),
          message: 'every replica would serve at the same address: use {port} in command/env and url',
          severity: 'warning',
        });
      }
    }
  } else if (has(s, 'url')) {
    for (const k of ['env', 'cwd', 'ready']) {
      if (has(s, k)) {
        out.push({ path: at(k), message: `${k} applies only to spawned (command) servers`, at: 'key' });
      }
    }
    if (s.transport === 'stdio') {
      out.push({
        path: at('transport'),
        message: 'stdio needs a command: an existing server is reached by url',
      });
    }
    if (typeof s.url === 'string' && s.url.includes('{port}')) {
      out.push({
        path: at('url'),
        message: '{port} is only for spawned servers: an existing server already has its port',
      });
    }
    checkUrl(s.url, at('url'), out);
    const replicas = typeof s.replicas === 'number' ? s.replicas : 1;
    if (replicas > 1 && typeof s.url === 'string' && !s.url.includes('{replica}')) {
      out.push({
        path: at('url'),
        message: 'every replica points at the same URL: use {replica} in it',
        severity: 'warning',
      });
    }
  } else {
    out.push({ path, message: 'a server needs one of mock (a mock), command (spawned) or url (existing)' });
  }
  if (isObj(s.manager)) checkManagerShape(s.manager, at('manager'), out);
}

export function checkManagerShape(m: unknown, path: PathSegment[], out: Finding[]): void {
  if (!isObj(m)) return;
  for (const p of breakerPolicyProblems(m.breaker)) {
    out.push({ path: [...path, 'breaker', ...p.path], message: p.message, at: 'key' });
  }
  minMax(m.ejection, [...path, 'ejection'], 'baseTime', 'maxTime', out);
  if (isObj(m.retry)) minMax(m.retry.backoff, [...path, 'retry', 'backoff'], 'base', 'max', out);
}

/** `lo` must not exceed `hi` when both are valid durations. */
function minMax(o: unknown, path: PathSegment[], lo: string, hi: string, out: Finding[]): void {
  if (!isObj(o)) return;
  const a = toMs(o[lo]);
  const b = toMs(o[hi]);
  if (a !== undefined && b !== undefined && a > b) {
    out.push({
      path: [...path, hi],
      message: `${hi} (${String(o[hi])}) must be at least ${lo} (${String(o[lo])})`,
    });
  }
}

function toMs(v: unknown): number | undefined {
  if (typeof v !== 'string' && v !== 0) return undefined;
  try {
    return parseDuration(v);
  } catch {
    return undefined;
  }
}

const ACTIONS = ['toxic', 'down', 'process', 'mcp', 'deploy'] as const;

export function checkFaultShape(f: unknown, path: PathSegment[], out: Finding[]): void {
  if (!isObj(f)) return;
  const actions = ACTIONS.filter((k) => has(f, k));
  if (isObj(f.mcp)) checkMcpFaultShape(f.mcp, [...path, 'mcp'], out);
  if (actions.length === 0) {
    out.push({
      path,
      message: 'a fault needs exactly one action: toxic, down: true, process, mcp or deploy',
    });
  } else if (actions.length > 1) {
    out.push({
      path: [...path, actions[1] as string],
      message: `a fault has exactly one action, found ${actions.join(' and ')}: split it into separate faults`,
      at: 'key',
    });
  }
  if (toMs(f.for) === 0) {
    out.push({
      path: [...path, 'for'],
      message: 'for must be longer than 0 (omit it to last until the end)',
    });
  }
}

/** An `mcp:` fault has exactly one action; retryAfter goes with 429/503. */
function checkMcpFaultShape(m: Obj, path: PathSegment[], out: Finding[]): void {
  const actions = MCP_FAULT_ACTIONS.filter((k) => has(m, k));
  if (actions.length === 0) {
    out.push({ path, message: `an mcp fault needs exactly one action: ${MCP_FAULT_ACTIONS.join(', ')}` });
    return;
  }
  if (actions.length > 1) {
    out.push({
      path: [...path, actions[1] as string],
      message: `an mcp fault has exactly one action, found ${actions.join(' and ')}`,
      at: 'key',
    });
    return;
  }
  if (has(m, 'retryAfter') && m.status !== 429 && m.status !== 503) {
    out.push({ path: [...path, 'retryAfter'], message: 'retryAfter goes with status 429 or 503', at: 'key' });
  }
}

export function checkInvariantEntryShape(e: unknown, path: PathSegment[], out: Finding[]): void {
  if (!isObj(e)) return;
  const keys = Object.keys(e);
  if (keys.length !== 1) {
    out.push({
      path,
      message: `an invariant entry with params is a one-key map {name: {params}}, found ${keys.length} keys`,
    });
  }
}
