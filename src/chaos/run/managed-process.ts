/**
 * One spawned child process: argv array (never a shell), env merged over ours, its own process group so
 * signals reach the whole tree (a `node` wrapper and what it starts) and a terminal's Ctrl-C does not hit
 * it behind the runner's back. stdout/stderr are drained into a bounded tail for error messages.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { ChaosError } from '../../core/errors.js';

export interface ProcessSpec {
  /** Label for messages, e.g. `weather[0]`. */
  label: string;
  /** argv: program then arguments; spawned without a shell. */
  argv: string[];
  /** Added to (and overriding) the runner's environment. */
  env?: Record<string, string>;
  cwd?: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Bytes of combined stdout/stderr kept for error messages. */
const TAIL_BYTES = 4096;

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private tail = '';
  private exitInfo: ProcessExit | undefined;
  private exitWaiters: Array<(e: ProcessExit) => void> = [];
  private paused = false;

  constructor(readonly spec: ProcessSpec) {
    if (spec.argv.length === 0 || !spec.argv[0]) {
      throw new RangeError(`command for ${spec.label} is empty: ${JSON.stringify(spec.argv)}`);
    }
  }

  /** The current child's pid (undefined before start or if spawning failed). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True while the current child has not exited. */
  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** The last exit, if the current child has exited. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** Last few KB of the child's output. */
  output(): string {
    return this.tail;
  }

  /** Spawns (again, if it ran before and has exited). Resolves once the OS started it. */
  start(): Promise<number> {
    if (this.running) throw new Error(`${this.spec.label} is already running`);
    const [file, ...args] = this.spec.argv as [string, ...string[]];
    this.exitInfo = undefined;
    this.paused = false;
    const child = spawn(file, args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      shell: false,
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.exitInfo = { code, signal };
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const w of waiters) w(this.exitInfo);
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? -1));
      child.once('error', (e) => {
        if (this.child === child && this.exitInfo === undefined) {
          this.exitInfo = { code: null, signal: null };
          const waiters = this.exitWaiters;
          this.exitWaiters = [];
          for (const w of waiters) w(this.exitInfo as ProcessExit);
        }
        reject(
          new ChaosError('INFRASTRUCTURE', `cannot start ${this.spec.label} (${file}): ${e.message}`, {
            cause: e,
            details: { argv: this.spec.argv },
          }),
        );
      });
    });
  }

  /** Resolves when the current child exits (at once if it already has, or never started). */
  waitExit(): Promise<ProcessExit> {
    if (!this.child || this.exitInfo) return Promise.resolve(this.exitInfo ?? { code: null, signal: null });
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Sends `sig` to the child's whole process group. Returns false if nothing was running. */
  signal(sig: NodeJS.Signals): boolean {
    const pid = this.child?.pid;
    if (pid === undefined || !this.running) return false;
    try {
      process.kill(-pid, sig);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw e;
    }
    if (sig === 'SIGSTOP') this.paused = true;
    if (sig === 'SIGCONT') this.paused = false;
    return true;
  }

  /** Whether the last signal sent was SIGSTOP. */
  get isPaused(): boolean {
    return this.paused && this.running;
  }

  /**
   * Stops the child: SIGCONT (in case it is paused), SIGTERM, then SIGKILL after `graceMs`.
   * `sleep` is the clock's sleep. Idempotent; resolves once it has exited.
   */
  async stop(graceMs: number, sleep: (ms: number) => Promise<void>): Promise<ProcessExit> {
    if (!this.running) return this.exitInfo ?? { code: null, signal: null };
    this.signal('SIGCONT');
    this.signal('SIGTERM');
    const exited = this.waitExit();
    const winner = await Promise.race([exited, sleep(graceMs).then(() => undefined)]);
    const pid = this.child?.pid;
    if (!winner) this.signal('SIGKILL');
    const result = winner ?? (await exited);
    // The leader is gone; make sure nothing it started survives in its group.
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is empty, as it should be.
      }
    }
    return result;
  }
}
