/**
 * A gateway under test (`sut: gateway`), as a run starts it: a free port for `{port}`, a random bearer
 * token for `{token}`, `config` written to a file of its own for `{config}`, the proxied URLs of the fleet
 * for `{upstreams:S}` / `{upstream:S[i]}`; then its command spawned (argv, never a shell) and waited on
 * until it answers MCP `initialize` at its url (with the token) within `ready`. A stdio gateway is not
 * spawned here: the load's client spawns it. Stopping it (SIGTERM, then SIGKILL) removes the config file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import { outputTail } from '../../core/output-tail.js';
import type { EndpointConfig } from '../../manager/index.js';
import { fillSutPlaceholders, type GatewaySut, type SutValues } from '../scenario/index.js';
import { ManagedProcess } from './managed-process.js';
import { allocatePorts } from './ports.js';
import { mcpAnswers, pollUntil, tcpAccepts } from './ready.js';
import type { RunLogEntry } from './run-options.js';

/** Grace between SIGTERM and SIGKILL when the gateway is stopped (ms). */
const STOP_GRACE_MS = 3000;

export interface GatewayProcessDeps {
  clock: Clock;
  signal?: AbortSignal;
  log: (e: RunLogEntry) => void;
}

export class GatewayProcess {
  /** The bearer token the gateway was given and the load sends. */
  readonly token = randomBytes(24).toString('hex');
  private proc: ManagedProcess | undefined;
  private dir: string | undefined;
  private filled: { command: string[]; env: Record<string, string>; url?: string } | undefined;

  constructor(
    readonly sut: GatewaySut,
    private readonly d: GatewayProcessDeps,
  ) {}

  /** The command as run (placeholders filled; the token shown as `{token}`). */
  get description(): string {
    const argv = this.filled?.command ?? this.sut.command;
    return argv.map((a) => a.replaceAll(this.token, '{token}')).join(' ');
  }

  /** Fills the placeholders, writes the config, spawns an HTTP gateway and waits until it answers MCP. */
  async start(upstreams: ReadonlyMap<string, readonly string[]>): Promise<void> {
    const s = this.sut;
    const texts = [...s.command, s.url ?? '', s.config ?? '', ...Object.values(s.env)];
    const values: SutValues = { token: this.token, upstreams };
    if (texts.some((t) => t.includes('{port}'))) values.port = (await allocatePorts(1))[0];
    if (texts.some((t) => t.includes('{config}')) || s.config !== undefined) {
      this.dir = mkdtempSync(join(tmpdir(), 'mcp-chaos-sut-'));
      const text = fillSutPlaceholders(s.config ?? '', values);
      const file = join(this.dir, text.trimStart().startsWith('{') ? 'config.json' : 'config.yaml');
      writeFileSync(file, text, { mode: 0o600 });
      values.config = file;
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.env)) env[k] = fillSutPlaceholders(v, values);
    this.filled = { command: s.command.map((a) => fillSutPlaceholders(a, values)), env };
    if (s.url !== undefined) this.filled.url = fillSutPlaceholders(s.url, values);
    if (s.transport === 'stdio') return;
    const url = this.filled.url as string;
    const proc = new ManagedProcess({
      label: 'sut',
      argv: this.filled.command,
      env,
      ...(s.cwd !== undefined ? { cwd: s.cwd } : {}),
    });
    this.proc = proc;
    const pid = await proc.start();
    this.d.log({ level: 'info', msg: 'gateway under test started', fields: { pid, argv: this.description } });
    await this.waitReady(proc, url);
  }

  private async waitReady(proc: ManagedProcess, url: string): Promise<void> {
    const { clock } = this.d;
    const u = new URL(url);
    const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    const gaveUp = () => {
      const x = proc.exit;
      if (!x) return undefined;
      const out = outputTail(proc.output()).join(' | ');
      return `the gateway exited (code ${x.code}, signal ${x.signal}): ${this.description}${out ? `: ${out}` : ''}`;
    };
    const base = {
      clock,
      timeoutMs: this.sut.readyMs,
      label: 'sut gateway',
      gaveUp,
      ...(this.d.signal ? { signal: this.d.signal } : {}),
    };
    const deadline = clock.now() + this.sut.readyMs;
    await pollUntil(() => tcpAccepts(host, port), base);
    await pollUntil(() => mcpAnswers(url, 1000, this.headers()), {
      ...base,
      timeoutMs: Math.max(1, deadline - clock.now()),
    });
  }

  /** What the load sends with every request. */
  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** How the load's client reaches the gateway. */
  endpointConfig(id: string): EndpointConfig {
    const f = this.filled;
    if (!f) throw new ChaosError('INTERNAL', 'the gateway under test was not started');
    if (this.sut.transport === 'stdio') {
      return {
        id,
        transport: 'stdio',
        command: f.command,
        env: f.env,
        restart: false,
        ...(this.sut.cwd !== undefined ? { cwd: this.sut.cwd } : {}),
      };
    }
    return { id, transport: 'http', url: f.url as string, headers: this.headers() };
  }

  /** Stops the gateway and removes its config file. */
  async stop(): Promise<void> {
    try {
      if (this.proc?.pid !== undefined) await this.proc.stop(STOP_GRACE_MS, (ms) => this.d.clock.sleep(ms));
    } finally {
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }
}
