/** Spawning the CLI (and `mcp-chaos proxy`) for end-to-end tests, with bounded waits. */
import { type ChildProcess, spawn } from 'node:child_process';

export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or 128 + signal number) once the process is gone. */
  exited: Promise<number>;
  /** Resolves once `re` matches stdout+stderr, rejects after `timeoutMs` or when the process exits. */
  waitFor(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export function spawnNode(args: string[], env: Record<string, string | undefined> = {}): Spawned {
  return spawnCommand(process.execPath, args, env);
}

export function spawnCommand(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Spawned {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    changed();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    changed();
  });
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      changed();
      resolve(code ?? 128 + (SIGNALS[signal ?? ''] ?? 0));
    });
  });
  let gone = false;
  void exited.then(() => {
    gone = true;
    changed();
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(re, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = (out + err).match(re);
          if (m) {
            done();
            resolve(m);
          } else if (gone) {
            done();
            reject(new Error(`process exited before ${re} appeared:\n${out}\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs}ms waiting for ${re}:\n${out}\n${err}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Starts `mcp-chaos proxy --port 0` as its own process; resolves with its API URL. */
export async function startExternalProxy(): Promise<{ url: string; stop: () => Promise<void> }> {
  const p = spawnNode([...CLI, 'proxy', '--port', '0']);
  const m = await p.waitFor(/toxiproxy listening on (http:\/\/\S+)/, 20_000);
  return {
    url: m[1] as string,
    stop: async () => {
      if (p.child.exitCode === null) p.child.kill('SIGTERM');
      await p.exited;
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
