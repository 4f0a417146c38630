/**
 * Per-file test fixtures: things a test starts are closed after it (`afterEach`, newest first) or after
 * the whole file (`afterAll`), so no test leaves a server, client or process behind.
 */
import { afterAll, afterEach } from 'vitest';
import { type MockServerHandle, type MockServerSpec, startMockServer } from '../../src/mock/index.js';

export interface Fixtures {
  /** Registers a cleanup (run newest first). Returns `value` for chaining. */
  own<T>(value: T, close: (value: T) => Promise<unknown> | unknown): T;
  /** Starts an in-process mock MCP server (port 0 unless the spec says) and owns it. */
  mock(spec?: MockServerSpec): Promise<MockServerHandle>;
}

/** Fixtures closed after each test (`scope: 'each'`, default) or after the file (`'all'`). */
export function fixtures(scope: 'each' | 'all' = 'each'): Fixtures {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  (scope === 'each' ? afterEach : afterAll)(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const own = <T>(value: T, close: (value: T) => Promise<unknown> | unknown): T => {
    cleanups.push(() => close(value));
    return value;
  };
  return {
    own,
    mock: async (spec = {}) => own(await startMockServer(spec), (h) => h.close()),
  };
}
