/** The `deploy` events of one deploy fault, for the deploy invariants. */
import type { DeployEvent, History } from '../history.js';
import type { ParamDoc } from './invariant.js';
import { checkKeys, durationParam, stringParam } from './params.js';
import type { ViolationList } from './violations.js';

/** The `halted` detail of a deploy cut short by the end of the load (not by a broken replica). */
export const DEPLOY_CUT_BY_LOAD_END = 'the load ended before the deploy did';

export interface DeploySteps {
  start?: DeployEvent;
  /** The first `complete` or `halted` after the start (a restore's own halt is not the deploy's). */
  end?: DeployEvent;
  events: DeployEvent[];
}

/** The steps of deploy `fault`; a name that is no deploy of this run is a violation. */
export function deploySteps(history: History, fault: string, v: ViolationList): DeploySteps {
  const events = history.events.filter((e): e is DeployEvent => e.type === 'deploy' && e.fault === fault);
  const planned = history.faults.find((f) => f.name === fault);
  if (planned === undefined || planned.kind !== 'deploy') {
    const deploys = history.faults.filter((f) => f.kind === 'deploy').map((f) => f.name);
    v.add(
      `no deploy named "${fault}" in this run (deploys: ${deploys.length ? deploys.join(', ') : 'none'})`,
      0,
    );
    return { events };
  }
  const start = events.find((e) => e.action === 'start');
  const end = events.find(
    (e) => (e.action === 'complete' || e.action === 'halted') && !e.detail?.startsWith('restore:'),
  );
  return { events, ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** The params of a deploy invariant (`fault`, `within`), with each one `docs` marks required checked. */
export function readDeployParams(
  name: string,
  raw: Record<string, unknown>,
  docs: Readonly<Record<string, ParamDoc>>,
): { fault: string; withinMs?: number } {
  const r = checkKeys(name, raw, Object.keys(docs));
  for (const [k, p] of Object.entries(docs)) {
    if (p.required && (r[k] === undefined || r[k] === null))
      throw new RangeError(`invariant ${name}: param ${k} is required (${p.doc})`);
  }
  const fault = stringParam(name, r, 'fault') as string;
  const withinMs = durationParam(name, r, 'within');
  return withinMs === undefined ? { fault } : { fault, withinMs };
}
