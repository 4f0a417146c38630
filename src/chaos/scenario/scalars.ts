/**
 * Scalar types of the scenario format: durations, rates, names and fault targets. Each has a zod schema
 * (used by the scenario schema and its JSON Schema) and a parser that turns the validated text into a
 * number or a structured value.
 */
import { z } from 'zod';
import { DURATION_PATTERN, durationProblem, parseDuration } from '../../core/duration.js';

export { DURATION_PATTERN, durationProblem };

/** `200/s`, `6000/m`, `0.5/s`. */
export const RATE_PATTERN = /^(\d+(?:\.\d+)?)\/(s|m)$/;
/** Server names: a letter, then letters, digits, `_` or `-`. */
export const SERVER_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Scenario and fault names: letters, digits, `.`, `_`, `-` (safe in file names). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** `server`, `server[2]`, `server[*]`, `server[50%]`. */
export const TARGET_PATTERN = /^([A-Za-z][A-Za-z0-9_-]*)(?:\[(\*|\d+|\d+(?:\.\d+)?%)\])?$/;

/** A readable name for a YAML value's type. */
export function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return `"${input}"`;
  return `${typeof input} ${String(input)}`;
}

/** A duration as written in the file. */
export const DurationSchema = z
  .union([z.literal(0), z.string().regex(DURATION_PATTERN, { error: (iss) => durationProblem(iss.input) })], {
    error: (iss) => durationProblem(iss.input),
  })
  .meta({
    id: 'Duration',
    description: 'Duration: 250ms, 2s, 1.5s, 1m, 1h or 0. Negative or unit-less values are errors.',
  });

export type DurationText = z.infer<typeof DurationSchema>;

/** Milliseconds of a validated duration. */
export function durationMs(value: DurationText): number {
  return parseDuration(value);
}

export function rateProblem(input: unknown): string {
  if (input === undefined) return 'required: a rate (e.g. 200/s or 6000/m)';
  if (typeof input === 'string' && input.trim().startsWith('-'))
    return `rate "${input}" must not be negative`;
  if (typeof input === 'number') return `rate ${input} has no unit (use e.g. ${input}/s or ${input}/m)`;
  return `invalid rate ${describe(input)} (expected e.g. 200/s or 6000/m)`;
}

export const RateSchema = z
  .string({ error: (iss) => rateProblem(iss.input) })
  .regex(RATE_PATTERN, { error: (iss) => rateProblem(iss.input) })
  .meta({ id: 'Rate', description: 'Rate of calls: N/s or N/m (e.g. 200/s, 6000/m).' });

/** Calls per second of a validated rate. */
export function ratePerSecond(value: string): number {
  const m = RATE_PATTERN.exec(value.trim());
  if (!m) throw new RangeError(`invalid rate "${value}" (expected e.g. 200/s or 6000/m)`);
  const n = Number(m[1]);
  return m[2] === 'm' ? n / 60 : n;
}

/** Which replicas of a server a fault (or an invariant param) targets. */
export type TargetSelector =
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'percent'; percent: number };

export interface Target {
  /** As written, e.g. `weather[0]`. */
  source: string;
  server: string;
  selector: TargetSelector;
}

export function targetProblem(input: unknown): string {
  if (input === undefined) return 'required: a target (server, server[i], server[*] or server[50%])';
  return `invalid target ${describe(input)} (expected server, server[i], server[*] or server[N%])`;
}

/** Parses a target; returns a message instead when it is malformed. */
export function parseTarget(value: string): Target | string {
  const m = TARGET_PATTERN.exec(value.trim());
  if (!m) return targetProblem(value);
  const server = m[1] as string;
  const sel = m[2];
  if (sel === undefined || sel === '*') return { source: value, server, selector: { kind: 'all' } };
  if (sel.endsWith('%')) {
    const percent = Number(sel.slice(0, -1));
    if (!(percent > 0 && percent <= 100)) return `target "${value}": percentage must be in (0, 100]`;
    return { source: value, server, selector: { kind: 'percent', percent } };
  }
  return { source: value, server, selector: { kind: 'index', index: Number(sel) } };
}

export const TargetSchema = z
  .string({ error: (iss) => targetProblem(iss.input) })
  .regex(TARGET_PATTERN, { error: (iss) => targetProblem(iss.input) })
  .superRefine((v, ctx) => {
    const t = parseTarget(v);
    if (typeof t === 'string') ctx.addIssue({ code: 'custom', message: t });
  })
  .meta({
    id: 'Target',
    description:
      'Target: server[i] (replica i, 0-based), server[*] or server (all replicas), server[N%] (the first ceil(N% x replicas)).',
  });

/** Replica indexes a selector picks out of `replicas` (indexes may be out of range for `index`). */
export function selectReplicas(selector: TargetSelector, replicas: number): number[] {
  if (selector.kind === 'index') return [selector.index];
  const n = selector.kind === 'all' ? replicas : Math.ceil((selector.percent * replicas) / 100 - 1e-9);
  return Array.from({ length: Math.min(n, replicas) }, (_, i) => i);
}

/** Endpoint id of a replica: `weather[0]`. */
export function endpointId(server: string, replica: number): string {
  return `${server}[${replica}]`;
}
