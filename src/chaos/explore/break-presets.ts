/**
 * `--break <name>`: manager settings that violate an invariant on purpose, with the invariant that
 * catches it — so users (and tests) can watch exploration find and shrink a counterexample. Each preset
 * is merged over the exploration manager and its invariants are added to the checked set.
 */
import type { ExploreFleet, InvariantEntry, ManagerSection } from './fleet.js';

export interface BreakPreset {
  name: string;
  /** What is broken and which invariant sees it. */
  description: string;
  /** Merged over the manager section (see {@link mergeManager}). */
  manager: ManagerSection;
  /** Added to the invariants (replacing an entry of the same name). */
  invariants: InvariantEntry[];
  /** Fleet changes the break needs to show (e.g. a load that may not be repeated). */
  fleet?: Partial<ExploreFleet>;
}

export const BREAK_PRESETS: Readonly<Record<string, BreakPreset>> = Object.freeze({
  'breaker-never-opens': {
    name: 'breaker-never-opens',
    description:
      'The circuit breaker needs 1000 consecutive failures to open, so in practice it never does; ' +
      'breaker-opens-within expects every endpoint that sees counted failures to open within callTimeout + 1s. ' +
      '(`mode: disabled` would not do: the invariant deliberately treats a disabled breaker as vacuous.)',
    manager: { breaker: { failures: 1000 } },
    invariants: ['breaker-opens-within'],
  },
  'half-open-flood': {
    name: 'half-open-flood',
    description:
      'The breaker admits 50 concurrent half-open trials; half-open-trial-limit is checked against a limit ' +
      'of 1, so a faulted endpoint that is probed while traffic flows breaks it.',
    manager: { breaker: { halfOpenTrials: 50 } },
    invariants: [{ 'half-open-trial-limit': { max: 1 } }],
  },
  'ejection-unbounded': {
    name: 'ejection-unbounded',
    description:
      'Outlier ejection may eject every replica (maxPercent: 100) after 2 failures; ejection-limit-respected ' +
      'is checked against at most 1 ejected endpoint, so a fault on two replicas at once breaks it.',
    manager: { ejection: { consecutiveFailures: 2, maxPercent: 100 } },
    invariants: [{ 'ejection-limit-respected': { max: 1 } }],
  },
  'reissue-non-idempotent': {
    name: 'reissue-non-idempotent',
    description:
      'Calls that may not be repeated are retried like idempotent ones (retry.nonIdempotent: true, 3 attempts), ' +
      'so a request whose answer was lost after the server ran it runs again elsewhere; at-most-once, judged ' +
      'from the servers’ execution logs, catches the second execution (the load must send non-idempotent calls).',
    manager: { retry: { attempts: 3, nonIdempotent: true } },
    invariants: ['at-most-once'],
    fleet: { idempotent: false },
  },
  'no-failover': {
    name: 'no-failover',
    description:
      'Round-robin with no retries, no health checks, no ejection and a breaker that needs 1000 failures: ' +
      'calls keep going to a dead replica, so failover-within (availability ≥ 0.9 over 500ms windows from ' +
      '1s after a fault starts) fails.',
    manager: {
      balancer: 'round-robin',
      retry: { attempts: 1 },
      health: { probe: 'none' },
      ejection: { consecutiveFailures: 0 },
      breaker: { failures: 1000 },
    },
    invariants: [{ 'failover-within': { within: '1s', availability: 0.9, window: '500ms', minCalls: 10 } }],
  },
});

/** The preset called `name`; throws RangeError naming the known ones. */
export function breakPreset(name: string): BreakPreset {
  const p = Object.hasOwn(BREAK_PRESETS, name) ? BREAK_PRESETS[name] : undefined;
  if (!p) throw new RangeError(`unknown --break "${name}" (known: ${Object.keys(BREAK_PRESETS).join(', ')})`);
  return p;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Deep-merges `override` over `base` (arrays and scalars replace). A `breaker` override that names a
 * `policy` replaces the whole breaker section (the two policies take different fields).
 */
export function mergeManager(base: ManagerSection, override: ManagerSection): ManagerSection {
  const merge = (a: unknown, b: unknown): unknown => {
    if (!isObj(a) || !isObj(b)) return structuredClone(b);
    const out: Record<string, unknown> = structuredClone(a);
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : structuredClone(v);
    return out;
  };
  const out = merge(base, override) as ManagerSection;
  if (isObj(override.breaker) && override.breaker.policy !== undefined)
    out.breaker = structuredClone(override.breaker);
  return out;
}

/** Name of an invariant entry. */
export function invariantName(e: InvariantEntry): string {
  return typeof e === 'string' ? e : (Object.keys(e)[0] ?? '');
}

/** `base` with `extra` added; an extra entry replaces a base entry of the same name. */
export function mergeInvariants(
  base: readonly InvariantEntry[],
  extra: readonly InvariantEntry[],
): InvariantEntry[] {
  const names = new Set(extra.map(invariantName));
  return [...base.filter((e) => !names.has(invariantName(e))), ...extra].map((e) => structuredClone(e));
}
