/**
 * Resolving and validating what an exploration runs: fleet, manager section (the exploration default,
 * a user's override and a `--break` preset, merged in that order), invariants and generator settings.
 * Everything is checked up front through the real scenario loader, so bad input is reported before any
 * run starts.
 */
import { parseDuration } from '../../core/duration.js';
import { DEFAULT_SETTINGS } from '../../manager/index.js';
import { formatProblem, type Problem } from '../scenario/index.js';
import { BREAK_PRESETS, breakPreset, invariantName, mergeInvariants, mergeManager } from './break-presets.js';
import {
  checkFleet,
  DEFAULT_EXPLORE_MANAGER,
  DEFAULT_FLEET,
  EXPLORE_INVARIANTS,
  type ExploreFleet,
  type InvariantEntry,
  type ManagerSection,
  PROCESS_FAULT_EXCLUDED_INVARIANTS,
} from './fleet.js';
import { type BuildScenarioOptions, buildExploreScenario } from './scenario-document.js';
import { validateScenarioDocument } from './scenario-yaml.js';
import { type ActionKind, NETWORK_ACTIONS, PROCESS_ACTIONS } from './schedule-arbitrary.js';

export interface ExploreConfigInput {
  fleet?: Partial<ExploreFleet>;
  /** Merged over {@link DEFAULT_EXPLORE_MANAGER} (see `mergeManager`). */
  manager?: ManagerSection;
  /**
   * Replace the default invariant set: {@link EXPLORE_INVARIANTS}, minus
   * {@link PROCESS_FAULT_EXCLUDED_INVARIANTS} when process faults may be drawn.
   */
  invariants?: readonly InvariantEntry[];
  /** Added to the invariants (an entry replaces one of the same name). */
  extraInvariants?: readonly InvariantEntry[];
  /** A `--break` preset name (applied after `manager` and `extraInvariants`). */
  breakPreset?: string;
  /** Process faults (kill/pause/restart) on the mocks, which then run as child processes (default false). */
  processFaults?: boolean;
  /**
   * Only these action kinds (default every network action, plus the process ones with `processFaults`).
   * Process kinds given here are allowed whatever `processFaults` says.
   */
  actions?: readonly string[];
  /** At most this many faults per schedule (default 3). */
  maxFaults?: number;
  /** Draw toxicity < 1 sometimes (default true). */
  partialToxicity?: boolean;
}

export interface ExploreConfig {
  fleet: ExploreFleet;
  manager: ManagerSection;
  invariants: InvariantEntry[];
  actions: ActionKind[];
  maxFaults: number;
  partialToxicity: boolean;
  /** The manager's callTimeout in nominal ms (latency faults are drawn around it). */
  callTimeoutMs: number;
  breakPreset?: string;
}

export type ExploreConfigResult = { ok: true; config: ExploreConfig } | { ok: false; problems: string[] };

/** Builds the scenario document of a schedule under this configuration. */
export function documentOptions(
  c: ExploreConfig,
  extra: Partial<BuildScenarioOptions> = {},
): BuildScenarioOptions {
  return { fleet: c.fleet, manager: c.manager, invariants: c.invariants, ...extra };
}

/** Resolves the configuration and validates it (with a one-fault probe schedule) through the loader. */
export function resolveExploreConfig(input: ExploreConfigInput = {}): ExploreConfigResult {
  const problems: string[] = [];
  let fleet: ExploreFleet;
  const presetFleet =
    input.breakPreset !== undefined && Object.hasOwn(BREAK_PRESETS, input.breakPreset)
      ? BREAK_PRESETS[input.breakPreset]?.fleet
      : undefined;
  try {
    fleet = checkFleet({ ...DEFAULT_FLEET, ...input.fleet, ...presetFleet });
  } catch (e) {
    return { ok: false, problems: [(e as Error).message] };
  }
  let manager = mergeManager(DEFAULT_EXPLORE_MANAGER, input.manager ?? {});
  const actions: ActionKind[] = input.actions
    ? [...new Set(input.actions as ActionKind[])]
    : [...NETWORK_ACTIONS, ...(input.processFaults ? PROCESS_ACTIONS : [])];
  const withProcess = actions.some((a) => PROCESS_ACTIONS.includes(a));
  const defaults = withProcess
    ? EXPLORE_INVARIANTS.filter((e) => !PROCESS_FAULT_EXCLUDED_INVARIANTS.includes(invariantName(e)))
    : EXPLORE_INVARIANTS;
  let invariants = mergeInvariants(input.invariants ?? defaults, input.extraInvariants ?? []);
  if (input.breakPreset !== undefined) {
    try {
      const p = breakPreset(input.breakPreset);
      manager = mergeManager(manager, p.manager);
      invariants = mergeInvariants(invariants, p.invariants);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  const known: readonly string[] = [...NETWORK_ACTIONS, ...PROCESS_ACTIONS];
  for (const a of input.actions ?? []) {
    if (!known.includes(a)) problems.push(`unknown action "${a}" (known: ${known.join(', ')})`);
  }
  if (input.actions !== undefined && input.actions.length === 0) problems.push('actions: name at least one');
  const maxFaults = input.maxFaults ?? 3;
  if (!Number.isInteger(maxFaults) || maxFaults < 1 || maxFaults > 20)
    problems.push(`max faults must be an integer in [1, 20], got ${maxFaults}`);
  if (problems.length > 0) return { ok: false, problems };

  let callTimeoutMs = DEFAULT_SETTINGS.callTimeoutMs;
  if (typeof manager.callTimeout === 'string') {
    try {
      callTimeoutMs = parseDuration(manager.callTimeout);
    } catch {
      // reported by the validator below
    }
  }
  const config: ExploreConfig = {
    fleet,
    manager,
    invariants,
    actions,
    maxFaults,
    partialToxicity: input.partialToxicity ?? true,
    callTimeoutMs,
  };
  if (input.breakPreset !== undefined) config.breakPreset = input.breakPreset;

  const probe = buildExploreScenario(
    [{ atMs: 0, forMs: 200, target: `${fleet.server}[0]`, action: { down: true } }],
    documentOptions(config, { name: 'explore-config-check' }),
  );
  const r = validateScenarioDocument(probe, 'explore');
  if (!r.ok) return { ok: false, problems: r.problems.map(describeProblem) };
  if (callTimeoutMs <= 0) return { ok: false, problems: ['manager.callTimeout must be longer than 0'] };
  return { ok: true, config };
}

/** A loader problem without the synthetic file's line:column (they point into a generated document). */
function describeProblem(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : formatProblem(p);
}
