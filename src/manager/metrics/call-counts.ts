import type { Outcome } from '../types.js';
import { isRejection } from './outcome-kind.js';

/**
 * Plain counters behind `snapshot().calls`. `started` = `succeeded + failed + rejected` + calls still in
 * flight. `rejected` counts calls that ended with a {@link RejectionClass} outcome (circuit-open,
 * pool-exhausted, no-endpoint, cancelled); `failed` every other non-success outcome (tool errors
 * included, unless the call counted them as success). `retries` counts attempts of kind retry/hedge/replay.
 */
export class CallCounts {
  started = 0;
  succeeded = 0;
  failed = 0;
  retries = 0;
  rejected = 0;

  ended(outcome: Outcome): void {
    if (outcome === 'success') this.succeeded++;
    else if (isRejection(outcome)) this.rejected++;
    else this.failed++;
  }

  toJSON(): { started: number; succeeded: number; failed: number; retries: number; rejected: number } {
    return {
      started: this.started,
      succeeded: this.succeeded,
      failed: this.failed,
      retries: this.retries,
      rejected: this.rejected,
    };
  }
}
