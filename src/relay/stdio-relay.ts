/**
 * The stdio relay: the network-like faults of an HTTP endpoint for a stdio server. The manager spawns a
 * bridge (stdio-bridge.ts) that joins its stdin/stdout to a TCP connection through the server's Toxiproxy
 * proxy (so every toxic and `down` apply to the byte stream as to any connection), to this relay, which
 * spawns the real server (argv, never a shell) for that connection and passes JSON-RPC lines between the
 * two, byte for byte — applying an `mcp` fault per message and logging every `tools/call` (forwarded, or
 * answered by a fault). When the server exits the connection closes (the bridge exits: the manager sees
 * the server die and restarts it, which makes a new connection and a new server); when the connection
 * closes the server is stopped. Process faults act on the real server (`pid`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import { FaultSelector } from './fault-selector.js';
import { LineSplitter } from './line-splitter.js';
import { listen } from './listen.js';
import type { McpAction, McpFault } from './mcp-fault.js';
import { RelayLog } from './relay-log.js';
import { requestInfo } from './request-info.js';
import { answerLine, spoilLine } from './stdio-lines.js';

export interface StdioRelayOptions {
  command: string[];
  env?: Record<string, string>;
  cwd?: string;
  clock: Clock;
}

export interface StdioRelay {
  readonly host: string;
  readonly port: number;
  setFault(fault: McpFault | undefined): void;
  readonly fault: McpFault | undefined;
  readonly hits: number;
  readonly log: RelayLog;
  /** pid of the server of the live connection (undefined between connections). */
  readonly pid: number | undefined;
  /** The last few KB the server wrote to stderr, and how it last exited. */
  diagnostics(): string;
  close(): Promise<void>;
}

const STDERR_TAIL = 4096;

function parse(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startStdioRelay(o: StdioRelayOptions): Promise<StdioRelay> {
  const selector = new FaultSelector();
  const log = new RelayLog();
  let child: ChildProcess | undefined;
  let stderr = '';
  let lastExit = '';
  const live = new Set<{ socket: Socket; child: ChildProcess }>();

  function serve(socket: Socket): void {
    socket.setNoDelay(true);
    const [cmd, ...args] = o.command;
    const proc = spawn(cmd as string, args, {
      env: { ...process.env, ...(o.env ?? {}) },
      ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child = proc;
    const pair = { socket, child: proc };
    live.add(pair);
    /** request id → the spoiling action for its answer. */
    const spoil = new Map<string, McpAction>();
    const timers = new Set<ReturnType<Clock['setTimeout']>>();
    const toServer = new LineSplitter((line) => {
      const info = requestInfo(parse(line));
      const action = selector.pick(info);
      const t = o.clock.now();
      const answer = action ? answerLine(action, info) : undefined;
      if (info.method === 'tools/call' && info.isRequest) {
        log.record({
          tool: info.tool ?? '',
          t,
          ...(info.call ? { call: info.call } : {}),
          ...(answer && action ? { faulted: action.kind } : {}),
        });
      }
      if (answer) {
        socket.write(answer);
        return;
      }
      if (action && info.id !== undefined) spoil.set(JSON.stringify(info.id), action);
      proc.stdin?.write(line);
    });
    const toClient = new LineSplitter((line) => {
      const msg = parse(line) as { id?: unknown; method?: unknown } | undefined;
      const key =
        msg && msg.method === undefined && msg.id !== undefined ? JSON.stringify(msg.id) : undefined;
      const action = key !== undefined ? spoil.get(key) : undefined;
      if (action === undefined || key === undefined) {
        socket.write(line);
        return;
      }
      spoil.delete(key);
      const out = spoilLine(action, line);
      if (out.kind === 'send') socket.write(out.line);
      else if (out.kind === 'cut') socket.destroy();
      else if (out.kind === 'delay') {
        const timer = o.clock.setTimeout(() => {
          timers.delete(timer);
          if (!socket.destroyed) socket.write(line);
        }, out.ms);
        timers.add(timer);
      }
    });
    socket.on('data', (c: Buffer) => toServer.push(c));
    socket.on('end', () => {
      toServer.flush();
      proc.stdin?.end();
    });
    proc.stdout?.on('data', (c: Buffer) => toClient.push(c));
    proc.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-STDERR_TAIL);
    });
    const finish = () => {
      for (const t of timers) o.clock.clearTimeout(t);
      timers.clear();
      live.delete(pair);
      if (child === proc) child = undefined;
    };
    proc.on('exit', (code, signal) => {
      lastExit = `exited (code ${code}, signal ${signal})`;
    });
    // 'close': the server exited and everything it wrote has been read
    proc.on('close', () => {
      toClient.flush();
      socket.end();
      finish();
    });
    proc.on('error', (e) => {
      lastExit = `could not start: ${e.message}`;
      socket.destroy();
      finish();
    });
    socket.on('close', () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    });
    socket.on('error', () => {});
    proc.stdin?.on('error', () => {});
  }

  const server: Server = createServer({ allowHalfOpen: true }, serve);
  const addr = await listen(server);
  return {
    host: addr.address,
    port: addr.port,
    setFault: (f) => selector.set(f),
    get fault() {
      return selector.active;
    },
    get hits() {
      return selector.hits;
    },
    log,
    get pid() {
      return child?.pid;
    },
    diagnostics: () => [lastExit, stderr.trim().split('\n').slice(-3).join(' | ')].filter(Boolean).join(': '),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const { socket, child: c } of live) {
        socket.destroy();
        if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      }
      await closed;
    },
  };
}
