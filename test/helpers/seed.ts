/**
 * The seed of every fast-check property and seeded run in the tests: `FC_SEED` when set (CI fixes it),
 * else the current time. fast-check prints the seed and path of a failing run, so it can be replayed with
 * `FC_SEED=<seed> npx vitest run <file>`.
 */
export const FC_SEED: number = Number(process.env.FC_SEED ?? Date.now()) >>> 0;
