/**
 * Rollback bookkeeping: each step runs guarded (one failure never skips the rest) with a deadline, and
 * its outcome is written down for the journal (`actions` done, `errors` met).
 */
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';

export interface RollbackResult {
  ok: boolean;
  actions: string[];
  errors: string[];
}

export class RollbackLog {
  readonly actions: string[] = [];
  readonly errors: string[] = [];

  /**
   * @param clock for step deadlines
   * @param stepTimeoutMs a step still running after this long counts as failed (default 10 000 ms)
   */
  constructor(
    private readonly clock: Clock,
    private readonly stepTimeoutMs = 10_000,
  ) {}

  /**
   * Runs `fn`; records `action` on success, `action: error` on failure or timeout. Never throws.
   * @param timeoutMs this step's deadline (default the log's)
   */
  async step(
    action: string,
    fn: () => Promise<unknown> | unknown,
    timeoutMs = this.stepTimeoutMs,
  ): Promise<boolean> {
    let handle: ReturnType<Clock['setTimeout']> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        handle = this.clock.setTimeout(
          () => reject(new Error(`still running after ${timeoutMs}ms`)),
          timeoutMs,
        );
      });
      await Promise.race([Promise.resolve().then(fn), timeout]);
      this.actions.push(action);
      return true;
    } catch (e) {
      this.errors.push(`${action}: ${errorMessage(e)}`);
      return false;
    } finally {
      this.clock.clearTimeout(handle);
    }
  }

  /** Runs steps side by side (each guarded). */
  async all(steps: Array<[string, () => Promise<unknown> | unknown]>): Promise<void> {
    await Promise.all(steps.map(([action, fn]) => this.step(action, fn)));
  }

  result(): RollbackResult {
    return { ok: this.errors.length === 0, actions: [...this.actions], errors: [...this.errors] };
  }
}
