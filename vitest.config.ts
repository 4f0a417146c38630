import { defineConfig } from 'vitest/config';

/**
 * Four projects, each runnable alone (`npm run test:unit`, `test:property`, `test:integration`,
 * `test:scenarios`); `npm test` runs them all. Unit and property tests use fake clocks and no sockets;
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
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'property', include: ['test/property/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'scenarios', include: ['test/scenarios/**/*.test.ts'] } },
    ],
  },
});
