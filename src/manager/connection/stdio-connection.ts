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
import { Client as ModernClient } from '@modelcontextprotocol/client';
import { StdioClientTransport as ModernStdioTransport } from '@modelcontextprotocol/client/stdio';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { TimerHandle } from '../../core/clock.js';
import type { ChaosError } from '../../core/errors.js';
import { outputTail } from '../../core/output-tail.js';
import { backoffDelay } from './backoff.js';
import { BaseConnection, type SessionBase } from './base-connection.js';
import { failureError } from './classify-error.js';
import { CrashLoop } from './crash-loop.js';
import { DirectRequests } from './direct-requests.js';
import type { ConnectionEndpoint } from './endpoint-connection.js';
import { EraChoice } from './era-choice.js';
import { GuardedTransport } from './guarded-transport.js';
import { watchLineLength } from './line-limit.js';
import { type ListenWatch, watchToolChanges } from './listen-watch.js';
import type { ResolvedConnectionOptions } from './options.js';
import { ERA_VERSIONS, isNotModernVerdict, type ProtocolEra, versionMismatchOf } from './protocol-era.js';
import { type CallScope, RequestScope, raceSignal } from './request-scope.js';
import { installResourceUpdates } from './server-request-relay.js';
import { legacyRpc, modernRpc } from './session-rpc.js';

const SDK_CONNECT_MARGIN_MS = 1000;
/** Bytes of the child's stderr kept for the `process-exit` detail. */
const STDERR_TAIL_BYTES = 2048;
/** After SIGKILL, how long close() waits for the child to be reaped (ms). */
const KILL_WAIT_MS = 2000;

type StdioTransport = StdioClientTransport | InPlaceStdioTransport;

/**
 * The v2 stdio transport, subclassed so the v2 client probes `server/discover` on this very child (the SDK
 * spawns a throwaway sibling for its base class only): the era probe costs no extra process.
 */
class InPlaceStdioTransport extends ModernStdioTransport {}

interface StdioSession extends SessionBase {
  readonly era: ProtocolEra;
  readonly closeClient: () => Promise<void>;
  readonly transport: StdioTransport;
  proc: ChildProcess | undefined;
  pid: number | undefined;
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stderrTail: string;
  disposed: boolean;
  /** The `subscriptions/listen` stream (2026-07-28; listen-watch.ts). */
  listen?: ListenWatch;
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
  private readonly eras: EraChoice;
  /** The stderr tail of the last child that did not connect (for a connect that hit its limit). */
  private lastStartOutput = '';

  constructor(endpoint: ConnectionEndpoint & { command: string[] }, opts: ResolvedConnectionOptions) {
    super(endpoint.id, opts);
    this.endpoint = endpoint;
    this.restart = endpoint.restart ?? true;
    this.crashLoop = new CrashLoop(this.clock);
    this.eras = new EraChoice(opts.protocol, endpoint.id, (era) =>
      this.emit('era', `${ERA_VERSIONS[era]} (${era})`, { era }),
    );
    if (opts.requestPath === 'direct') {
      this.direct = new DirectRequests<StdioSession>({
        id: this.id,
        clock: this.clock,
        succeeded: (session) => this.requestSucceeded(session),
        failed: (e, ctx, details) => this.normalize(e, ctx, details),
      });
    }
  }

  /** The era of the current session (undefined before the first one). */
  get era(): ProtocolEra | undefined {
    return this.session?.era ?? this.eras.era;
  }

  get pid(): number | undefined {
    return this.session?.transport.pid ?? undefined;
  }

  protected override startOutput(): string {
    return this.lastStartOutput;
  }

  protected openSession(call: CallScope): Promise<StdioSession> {
    return this.eras.open(
      () => this.openIn('modern', call),
      // the 2025 fallback spawns a second child: it gets a connect budget of its own (two child starts
      // under one 5 s budget failed on a busy machine — a server that starts in 3 s never connected)
      () => this.withConnectScope((fresh) => this.openIn('legacy', fresh)),
      () => call.signal.aborted,
    );
  }

  /** Spawns the child and connects to it in `era` (v2 client pinned to 2026-07-28, or v1 client and initialize). */
  private async openIn(era: ProtocolEra, call: CallScope): Promise<StdioSession> {
    const [command, ...args] = this.endpoint.command as [string, ...string[]];
    const params = {
      command,
      args,
      ...(this.endpoint.env ? { env: this.endpoint.env } : {}),
      ...(this.endpoint.cwd ? { cwd: this.endpoint.cwd } : {}),
      stderr: 'pipe' as const,
    };
    const info = { name: this.opts.clientName, version: '0.1.0' };
    let transport: StdioTransport;
    let client: LegacyClient | ModernClient;
    if (era === 'modern') {
      transport = new InPlaceStdioTransport(params);
      client = new ModernClient(info, {
        capabilities: this.opts.inputCapabilities,
        versionNegotiation: { mode: { pin: ERA_VERSIONS.modern } },
      });
    } else {
      transport = new StdioClientTransport(params);
      client = new LegacyClient(info, { capabilities: this.opts.legacyCapabilities });
      if (Object.keys(this.opts.legacyCapabilities).length > 0)
        this.relay.install(client, this.id, this.opts.legacyCapabilities, this.opts.legacyRoots);
      installResourceUpdates(client, this.opts.onServerNotification);
    }
    const session: StdioSession = {
      era,
      rpc: client instanceof ModernClient ? modernRpc(client) : legacyRpc(client, this.id),
      closeClient: () => client.close(),
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
    if (client instanceof LegacyClient) this.watchToolList(client, session.label);
    const scope = new RequestScope(call, (cause) =>
      failureError(
        'connection',
        `${this.id}: initialize failed`,
        { endpoint: this.id, op: 'connect' },
        cause,
      ),
    );
    const guarded = new GuardedTransport(transport as Transport, this.newInboundGuard(), () =>
      this.limitLines(session),
    );
    try {
      await raceSignal(
        scope.run((signal) =>
          client.connect(guarded as never, { signal, timeout: call.remainingMs() + SDK_CONNECT_MARGIN_MS }),
        ),
        call.signal,
      );
    } catch (e) {
      // A child that died at start: its stderr says why. The transport forgets a child once it has
      // closed (its output read to the end), which is what ended the connect; a live child (a refused
      // era, a timeout) is not waited for.
      const child = childOf(transport);
      const exited = child === undefined || child.exitCode !== null || child.signalCode !== null;
      await this.disposeSession(session, false);
      const tail = outputTail(session.stderrTail, 5).join(' | ');
      this.lastStartOutput = tail;
      // an era verdict stays as it is: the era choice reads it (and falls back to 2025)
      const verdict = isNotModernVerdict(e) || versionMismatchOf(e) !== undefined;
      if (call.signal.aborted || !exited || tail === '' || verdict) throw e;
      const msg = `${this.id}: the child exited before it answered; stderr: ${tail}`;
      throw failureError('connection', msg, { endpoint: this.id, op: 'connect' }, e);
    }
    if (client instanceof ModernClient) {
      const report = (d: string) =>
        session.disposed || this.emit('tools-changed', `${session.label()}: ${d}`);
      session.listen = watchToolChanges(client, this.opts, report, (p) => this.track(p));
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
    void session.listen?.stop();
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
    await session.closeClient().catch(() => {});
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
    void session.listen?.stop();
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
    const tail = outputTail(session.stderrTail, 5).join(' | ');
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
    void session.closeClient().catch(() => {});
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
function childOf(transport: StdioTransport): ChildProcess | undefined {
  return (transport as unknown as { _process?: ChildProcess })._process;
}
