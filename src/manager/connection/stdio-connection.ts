/**
 * stdio connection: spawns the argv array (no shell) through the SDK's `StdioClientTransport`.
 * When the child dies, pending calls reject at once (class `connection`), `process-exit` is emitted, and
 * with `restart` (default) the child is restarted after the reconnect backoff (`process-restart`). From
 * three quick exits (or failed starts) in a row on it is crash-looping (crash-loop.ts): `crash-loop` is
 * emitted at each further exit and restarts back off to 30 s, until a child stays up for a minute
 * (`crash-loop-ended`).
 * close() ends stdin, waits `closeGraceMs`, then SIGKILLs (works on a SIGSTOPped child too).
 * Requests on a running child take the base class's direct path (on the system clock): there is no socket
 * to abort on stdio, so the SDK's own request timer is the deadline.
 */
import type { ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { TimerHandle } from '../../core/clock.js';
import type { ChaosError } from '../../core/errors.js';
import { backoffDelay } from './backoff.js';
import { BaseConnection, type SessionBase } from './base-connection.js';
import { failureError } from './classify-error.js';
import { CrashLoop } from './crash-loop.js';
import type { ConnectionEndpoint } from './endpoint-connection.js';
import { GuardedTransport } from './guarded-transport.js';
import { watchLineLength } from './line-limit.js';
import type { ResolvedConnectionOptions } from './options.js';
import { type CallScope, RequestScope, raceSignal } from './request-scope.js';

const SDK_CONNECT_MARGIN_MS = 1000;
/** Bytes of the child's stderr kept for the `process-exit` detail. */
const STDERR_TAIL_BYTES = 2048;
/** After SIGKILL, how long close() waits for the child to be reaped (ms). */
const KILL_WAIT_MS = 2000;

interface StdioSession extends SessionBase {
  readonly transport: StdioClientTransport;
  proc: ChildProcess | undefined;
  pid: number | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stderrTail: string;
  disposed: boolean;
}

export class StdioConnection extends BaseConnection<StdioSession> {
  private readonly endpoint: ConnectionEndpoint & { command: string[] };
  private readonly restart: boolean;
  private restartTimer: TimerHandle | undefined;
  /** While crash-looping with a child up: fires when it has been up long enough to end the loop. */
  private stableTimer: TimerHandle | undefined;
  private exitedOnce = false;
  private readonly crashLoop: CrashLoop;
  /** Why the child was ended by us (a line over the limit): requests it failed report this, not "closed". */
  private fatal: ChaosError | undefined;

  constructor(endpoint: ConnectionEndpoint & { command: string[] }, opts: ResolvedConnectionOptions) {
    super(endpoint.id, opts);
    this.endpoint = endpoint;
    this.restart = endpoint.restart ?? true;
    this.crashLoop = new CrashLoop(this.clock);
    if (opts.requestPath === 'direct') this.direct = this.directPath();
  }

  get pid(): number | undefined {
    return this.session?.transport.pid ?? undefined;
  }

  protected async openSession(call: CallScope): Promise<StdioSession> {
    const [command, ...args] = this.endpoint.command as [string, ...string[]];
    const transport = new StdioClientTransport({
      command,
      args,
      ...(this.endpoint.env ? { env: this.endpoint.env } : {}),
      ...(this.endpoint.cwd ? { cwd: this.endpoint.cwd } : {}),
      stderr: 'pipe',
    });
    const client = new Client({ name: this.opts.clientName, version: '0.1.0' }, { capabilities: {} });
    const session: StdioSession = {
      client,
      transport,
      proc: undefined,
      pid: undefined,
      exit: undefined,
      stderrTail: '',
      disposed: false,
      label: () => `pid ${session.pid ?? transport.pid ?? '?'}`,
    };
    transport.stderr?.on('data', (chunk: Buffer) => {
      session.stderrTail = (session.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    client.onerror = () => {};
    client.onclose = () => this.onSessionClosed(session);
    this.watchToolList(session);
    const scope = new RequestScope(call, (cause) =>
      failureError(
        'connection',
        `${this.id}: initialize failed`,
        { endpoint: this.id, op: 'connect' },
        cause,
      ),
    );
    try {
      await raceSignal(
        scope.run((signal) =>
          client.connect(
            new GuardedTransport(transport, this.newInboundGuard(), () => this.limitLines(session)),
            {
              signal,
              timeout: call.remainingMs() + SDK_CONNECT_MARGIN_MS,
            },
          ),
        ),
        call.signal,
      );
    } catch (e) {
      await this.disposeSession(session, false);
      throw e;
    }
    session.proc = childOf(transport);
    session.pid = transport.pid ?? undefined;
    this.fatal = undefined;
    this.crashLoop.started();
    this.watchStable();
    session.proc?.once('exit', (code, signal) => {
      session.exit = { code, signal };
    });
    return session;
  }

  protected async disposeSession(session: StdioSession, _terminate: boolean): Promise<void> {
    if (session.disposed) return;
    session.disposed = true;
    // Requests still waiting on this child fail now (CONNECTION_FAILED), not when it has exited: signal
    // the protocol that the transport closed, which rejects every pending SDK request at once (what a dying
    // child does). Direct requests have no scope of ours to end. The child is ended below.
    session.transport.onclose?.();
    const proc = session.proc ?? childOf(session.transport);
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
      try {
        proc.stdin?.end();
      } catch {
        // already gone
      }
      if (!(await this.within(closed, this.opts.closeGraceMs))) {
        proc.kill('SIGKILL');
        await this.within(closed, KILL_WAIT_MS);
      }
    }
    await session.client.close().catch(() => {});
  }

  protected override lazyConnectBlocked(): string | undefined {
    if (!this.restart && this.exitedOnce)
      return 'the process exited and restart is disabled (call connect())';
    const blocked = super.lazyConnectBlocked();
    return blocked && this.restartTimer !== undefined
      ? blocked.replace('reconnecting', 'restarting')
      : blocked;
  }

  protected override onConnectFailed(): void {
    // A child that fails to start is a quick exit too (one that dies at start would respawn forever).
    this.crashLoop.recordExit();
    const delay = this.crashLoop.restartDelay();
    if (delay !== undefined) {
      this.retryAt = this.clock.now() + delay;
      this.reportLoop(delay);
    }
    if (this.restart && this.exitedOnce) this.scheduleRestart();
  }

  protected override beforeExplicitConnect(): void {
    this.clock.clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  protected override async afterClose(): Promise<void> {
    this.clock.clearTimeout(this.restartTimer);
    this.clock.clearTimeout(this.stableTimer);
    this.restartTimer = undefined;
    this.stableTimer = undefined;
  }

  private onSessionClosed(session: StdioSession): void {
    if (session.disposed || session !== this.session || this.state === 'closed') return;
    this.session = undefined;
    session.disposed = true;
    this.exitedOnce = true;
    this.failures++;
    this.clock.clearTimeout(this.stableTimer);
    this.stableTimer = undefined;
    this.crashLoop.recordExit();
    const exit = session.exit ?? { code: null, signal: null };
    const how = exit.signal
      ? `signal ${exit.signal}`
      : exit.code !== null
        ? `exit code ${exit.code}`
        : 'exited';
    const tail = session.stderrTail.trim().split('\n').slice(-3).join(' | ');
    const delay = this.crashLoop.restartDelay();
    const loop =
      delay === undefined
        ? ''
        : `; crash loop: ${this.crashLoop.count} quick exits in a row, next restart in ${delay} ms`;
    this.setState(
      'broken',
      'process-exit',
      `${session.label()} ${how}${tail ? `; stderr: ${tail}` : ''}${this.restart ? loop : ''}`,
    );
    void session.client.close().catch(() => {});
    if (this.restart) {
      if (delay !== undefined) this.reportLoop(delay);
      this.scheduleRestart();
    }
  }

  /** Ends the child when a line of its stdout passes maxResponseBytes (line-limit.ts). */
  private limitLines(session: StdioSession): void {
    const max = this.opts.maxResponseBytes;
    const stdout = childOf(session.transport)?.stdout;
    if (max === undefined || !stdout) return;
    watchLineLength(stdout, max, (bytes) => {
      if (session.disposed) return;
      this.fatal = failureError(
        'response-too-large',
        `${this.id}: the process wrote a line of over ${bytes} bytes (maxResponseBytes ${max}): it was ended`,
        { endpoint: this.id, op: 'stdio', maxResponseBytes: max },
      );
      session.stderrTail += `\n[mcp-chaos] ended: a stdout line passed ${max} bytes`;
      childOf(session.transport)?.kill('SIGKILL');
    });
  }

  protected override explainFailure(e: unknown): unknown {
    return this.fatal && e instanceof McpError && e.code === ErrorCode.ConnectionClosed ? this.fatal : e;
  }

  /** Emits `crash-loop`: the child keeps dying, the next restart waits `delay` ms. */
  private reportLoop(delay: number): void {
    const exits = this.crashLoop.count;
    const restartAt = this.clock.now() + delay;
    this.emit('crash-loop', `${exits} quick exits in a row; next restart in ${delay} ms`, {
      crashLoop: { exits, restartAt },
    });
  }

  /** While looping, a child that stays up long enough ends the loop (`crash-loop-ended`). */
  private watchStable(): void {
    const at = this.crashLoop.stableAt();
    if (!this.crashLoop.looping || at === undefined) return;
    this.clock.clearTimeout(this.stableTimer);
    this.stableTimer = this.clock.setTimeout(
      () => {
        this.stableTimer = undefined;
        if (this.state !== 'closed' && this.crashLoop.settle())
          this.emit(
            'crash-loop-ended',
            `up for ${this.crashLoop.settings.stableMs / 1000} s since the last restart`,
          );
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  private scheduleRestart(): void {
    if (this.state === 'closed' || this.restartTimer !== undefined) return;
    // A crash loop backs off to its own, much longer cap; otherwise the reconnect backoff applies.
    const delay =
      this.crashLoop.restartDelay() ?? backoffDelay(Math.max(1, this.failures), this.opts.reconnectBackoff);
    this.retryAt = this.clock.now() + delay;
    this.restartTimer = this.clock.setTimeout(() => {
      this.restartTimer = undefined;
      if (this.state === 'closed' || this.session) return;
      this.startConnect('restart').catch(() => {
        // onConnectFailed schedules the next attempt
      });
    }, delay);
  }

  /** Resolves true if `p` settles within `ms`, false otherwise (timer cleared either way). */
  private within(p: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), ms);
      p.then(() => {
        this.clock.clearTimeout(timer);
        resolve(true);
      });
    });
  }
}

/** The transport's child process (a private field of the SDK transport; undefined when gone). */
function childOf(transport: StdioClientTransport): ChildProcess | undefined {
  return (transport as unknown as { _process?: ChildProcess })._process;
}
