/**
 * A best-effort typed view of a (possibly invalid) scenario: every section item that passes its own
 * schema is normalised; the rest are `undefined`. Cross-reference checks run on it, so a file with a
 * typo in one fault still gets its other faults, load streams and invariants checked.
 */
import type { DeepPartial, ResilienceSettings } from '../../manager/types.js';
import { isObj } from './check-shape.js';
import {
  normalizeFault,
  normalizeInvariant,
  normalizeLoad,
  normalizeServer,
  normalizeSut,
} from './normalize.js';
import { DurationSchema, durationMs, parseTarget, SERVER_NAME_PATTERN, type Target } from './scalars.js';
import { InvariantEntrySchema, LoadSchema } from './schema.js';
import { FaultSchema } from './schema-faults.js';
import { ManagerSchema } from './schema-manager.js';
import { ServerSchema } from './schema-servers.js';
import { SutSchema } from './schema-sut.js';
import { parseThreshold, type Threshold } from './threshold.js';
import type { Fault, InvariantRef, LoadStream, ScenarioServer, ScenarioSut } from './types.js';

export interface Draft {
  durationMs?: number;
  /** Every validly named server key; undefined when its body is invalid. */
  servers: Map<string, ScenarioServer | undefined>;
  /** Whether `servers` was a map with no keys at all. */
  serversEmpty: boolean;
  manager: DeepPartial<ResilienceSettings>;
  /** Whether the file has a `manager:` section. */
  hasManager: boolean;
  /** The system under test; the manager when `sut:` is absent or invalid. */
  sut: ScenarioSut;
  load: (LoadStream | undefined)[];
  faults: (Fault | undefined)[];
  /** load[i].server as written when a string (checked even when the stream is otherwise invalid). */
  loadServers: (string | undefined)[];
  /** faults[i].target parsed, when it parses (checked even when the fault is otherwise invalid). */
  faultTargets: (Target | undefined)[];
  /** Whether faults[i] had an explicit `name`. */
  faultNamed: boolean[];
  /** faults[i]'s name as written (else `fault-<i>`), known even when the fault is otherwise invalid. */
  faultNames: string[];
  /** Each server's replica count as written (1 when absent or unreadable), even when the server is invalid. */
  replicas: Map<string, number>;
  steadyState: (Threshold | undefined)[];
  thresholds: (Threshold | undefined)[];
  invariants: (InvariantRef | undefined)[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function thresholds(v: unknown): (Threshold | undefined)[] {
  return list(v).map((x) => {
    if (typeof x !== 'string') return undefined;
    const t = parseThreshold(x);
    return typeof t === 'string' ? undefined : t;
  });
}

export function buildDraft(raw: unknown): Draft {
  const r = isObj(raw) ? raw : {};
  const d = DurationSchema.safeParse(r.duration);
  const servers = new Map<string, ScenarioServer | undefined>();
  if (isObj(r.servers)) {
    for (const [name, body] of Object.entries(r.servers)) {
      if (!SERVER_NAME_PATTERN.test(name)) continue;
      const s = ServerSchema.safeParse(body);
      servers.set(name, s.success ? normalizeServer(name, s.data) : undefined);
    }
  }
  const m = ManagerSchema.safeParse(r.manager);
  const draft: Draft = {
    servers,
    serversEmpty: isObj(r.servers) && Object.keys(r.servers).length === 0,
    manager: m.success ? m.data : {},
    hasManager: r.manager !== undefined,
    sut: (() => {
      const s = SutSchema.safeParse(r.sut);
      return s.success ? normalizeSut(s.data) : { kind: 'manager' as const };
    })(),
    load: list(r.load).map((x) => {
      const l = LoadSchema.safeParse(x);
      return l.success ? normalizeLoad(l.data) : undefined;
    }),
    faults: list(r.faults).map((x, i) => {
      const f = FaultSchema.safeParse(x);
      return f.success ? normalizeFault(i, f.data) : undefined;
    }),
    loadServers: list(r.load).map((x) => (isObj(x) && typeof x.server === 'string' ? x.server : undefined)),
    faultTargets: list(r.faults).map((x) => {
      const t = isObj(x) && typeof x.target === 'string' ? parseTarget(x.target) : undefined;
      return typeof t === 'object' ? t : undefined;
    }),
    faultNamed: list(r.faults).map((x) => isObj(x) && typeof x.name === 'string'),
    faultNames: list(r.faults).map((x, i) =>
      isObj(x) && typeof x.name === 'string' ? x.name : `fault-${i}`,
    ),
    replicas: new Map(
      Object.entries(isObj(r.servers) ? r.servers : {}).map(([name, body]) => {
        const n = isObj(body) ? body.replicas : undefined;
        return [name, typeof n === 'number' && Number.isInteger(n) && n >= 1 ? n : 1];
      }),
    ),
    steadyState: thresholds(r.steady_state),
    thresholds: thresholds(r.thresholds),
    invariants: list(r.invariants).map((x) => {
      const e = InvariantEntrySchema.safeParse(x);
      return e.success ? normalizeInvariant(e.data) : undefined;
    }),
  };
  if (d.success) draft.durationMs = durationMs(d.data);
  return draft;
}
