/**
 * A full scenario, as the plain data a YAML file holds, built from the exploration fleet, a manager
 * section, the invariants and one fault schedule. What this builds is what runs (after validation by the
 * real loader) and what a counterexample file contains, so the file reproduces the run exactly.
 */
import type { ExploreFleet, InvariantEntry, ManagerSection } from './fleet.js';
import type { FaultActionDoc, FaultSchedule } from './schedule.js';

/** A scenario file's content (YAML names, duration strings). */
export interface ScenarioDocument {
  name: string;
  description?: string;
  seed?: number;
  duration: string;
  servers: Record<string, Record<string, unknown>>;
  manager?: ManagerSection;
  load: Array<Record<string, unknown>>;
  faults: Array<Record<string, unknown>>;
  invariants: InvariantEntry[];
}

export interface BuildScenarioOptions {
  fleet: ExploreFleet;
  manager: ManagerSection;
  invariants: readonly InvariantEntry[];
  /** Scenario name (default `explore`). */
  name?: string;
  description?: string;
  /** Seed written into the file (optional). */
  seed?: number;
}

/** `1500ms`, `2s`, `0`: whole seconds as `Ns`, else ms. */
export function formatMs(ms: number): string | 0 {
  if (ms === 0) return 0;
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`duration must be ≥ 0 ms, got ${ms}`);
  const rounded = Math.round(ms * 1000) / 1000;
  return rounded % 1000 === 0 ? `${rounded / 1000}s` : `${rounded}ms`;
}

/** Toxic attributes in ms that read better as durations (slicer's `delay` is µs: left a number). */
const MS_ATTRIBUTES: Record<string, readonly string[]> = {
  latency: ['latency', 'jitter'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slow_close: ['delay'],
};

/** A fault's action in YAML form. */
export function actionDocument(a: FaultActionDoc): Record<string, unknown> {
  if ('down' in a) return { down: true };
  if ('process' in a) return { process: a.process };
  const t = a.toxic;
  const msKeys = MS_ATTRIBUTES[t.type] ?? [];
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.attributes)) attributes[k] = msKeys.includes(k) ? formatMs(v) : v;
  const toxic: Record<string, unknown> = { type: t.type };
  if (t.stream !== undefined && t.stream !== 'downstream') toxic.stream = t.stream;
  if (t.toxicity !== undefined && t.toxicity !== 1) toxic.toxicity = t.toxicity;
  toxic.attributes = attributes;
  return { toxic };
}

/** A short name for a fault: `f0-timeout`, `f1-down`, `f2-kill`. */
export function faultName(index: number, a: FaultActionDoc): string {
  const what = 'down' in a ? 'down' : 'process' in a ? a.process : a.toxic.type.replace('_', '-');
  return `f${index}-${what}`;
}

export function buildExploreScenario(schedule: FaultSchedule, o: BuildScenarioOptions): ScenarioDocument {
  const f = o.fleet;
  const mock: Record<string, unknown> = { session: f.session };
  if (f.mockLatencyMs > 0) mock.latency = formatMs(f.mockLatencyMs);
  const doc: ScenarioDocument = {
    name: o.name ?? 'explore',
    duration: String(formatMs(f.durationMs)),
    servers: { [f.server]: { replicas: f.replicas, mock } },
    load: [
      {
        server: f.server,
        tool: f.tool,
        args: structuredClone(f.args),
        rate: `${f.ratePerSec}/s`,
        idempotent: f.idempotent,
      },
    ],
    faults: schedule.map((x, i) => ({
      name: faultName(i, x.action),
      at: formatMs(x.atMs),
      for: formatMs(x.forMs),
      target: x.target,
      ...actionDocument(x.action),
    })),
    invariants: structuredClone([...o.invariants]),
  };
  if (o.description !== undefined) doc.description = o.description;
  if (o.seed !== undefined) doc.seed = o.seed;
  if (Object.keys(o.manager).length > 0) doc.manager = structuredClone(o.manager);
  // Key order as in the format's examples.
  const { name, description, seed, duration, servers, manager, load, faults, invariants } = doc;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    ...(seed !== undefined ? { seed } : {}),
    duration,
    servers,
    ...(manager !== undefined ? { manager } : {}),
    load,
    faults,
    invariants,
  };
}
