import { invariantNames } from '../invariants/index.js';

/**
 * Names of the invariants the chaos runner ships: the registry's own list (src/chaos/invariants). The
 * validator accepts these unless the caller passes its own list. Params are free-form here; params that
 * name a fault (`fault`, `faults`), a server (`server`) or an endpoint (`endpoint`) are checked against
 * the scenario.
 */
export const KNOWN_INVARIANTS: readonly string[] = invariantNames;

export { closest } from '../../core/closest.js';
