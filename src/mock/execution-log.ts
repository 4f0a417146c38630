/**
 * What a mock replica executed: every tool call that passed the behaviour's gate and ran, with the logical
 * call id the load stamped on it (`_meta["dev.mcp-chaos/call"]`), so executions can be counted per logical
 * call across a fleet (`at-most-once`, `acknowledged-executed`). Bounded: past `max` entries only a count is
 * kept. A child process mock appends each entry to a file (JSON lines) for the runner to read.
 */
import { appendFileSync } from 'node:fs';
import { CALL_META_KEY, MAX_EXECUTIONS } from '../core/execution-meta.js';

export { CALL_META_KEY, MAX_EXECUTIONS };

export interface Execution {
  tool: string;
  /** The logical call id from `_meta`, if the request carried one. */
  call?: string;
  /** Clock time of the execution (ms). */
  t: number;
}

export class ExecutionLog {
  private readonly entries: Execution[] = [];
  private over = 0;

  /** @param file append each execution here as a JSON line (child process mocks) */
  constructor(private readonly file?: string) {}

  record(tool: string, meta: unknown, t: number): void {
    const raw = (meta as Record<string, unknown> | undefined)?.[CALL_META_KEY];
    const e: Execution = { tool, t };
    if (typeof raw === 'string' && raw.length <= 64) e.call = raw;
    if (this.entries.length < MAX_EXECUTIONS) this.entries.push(e);
    else this.over++;
    if (this.file !== undefined) {
      try {
        appendFileSync(this.file, `${JSON.stringify(e)}\n`);
      } catch {
        // a log that cannot be written is not the server's failure
      }
    }
  }

  /** A copy of what was recorded; `dropped` counts entries past the bound. */
  snapshot(): { executions: Execution[]; dropped: number } {
    return { executions: [...this.entries], dropped: this.over };
  }
}
