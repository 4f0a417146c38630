import { defineConfig } from 'vitest/config';

/**
 * Five projects, each runnable alone (`npm run test:unit`, `test:property`, `test:integration`,
 * `test:conformance`, `test:scenarios`); `npm test` runs them all. Unit and property tests use fake clocks and no sockets;
 * integration tests use real sockets and processes on 127.0.0.1; scenarios run the shipped YAML set.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'property', include: ['test/property/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      // The official conformance suite (Node 22 from the npm registry) against servers, directly and
      // through the gateway: run once, on the machine's Node (.ci/run's other Node lines skip it)
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['test/conformance/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      // Runs after the others, alone: the scenarios judge real timings and must not share the CPU.
      {
        extends: true,
        test: { name: 'scenarios', include: ['test/scenarios/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
