/**
 * `mcp-chaos gateway` as a user starts it (`--config FILE`, through tsx), as a child process of a bench:
 * resolves with its URL once it says it is listening; `close()` sends SIGTERM and waits for its exit.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface GatewayChild {
  url: string;
  pid: number;
  close: () => Promise<void>;
}

/** Writes `configText` to `dir`/gateway.yaml and starts a gateway on it (port 0, errors only logged). */
export async function startGatewayChild(
  dir: string,
  configText: string,
  env: Record<string, string> = {},
): Promise<GatewayChild> {
  const config = join(dir, 'gateway.yaml');
  writeFileSync(config, configText);
  const argv = ['--import', 'tsx', 'src/cli/main.ts', 'gateway', '--config', config, '--port', '0'];
  const child = spawn(process.execPath, [...argv, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /gateway listening on (\S+)/.exec(l);
      if (m) resolve(m[1] as string);
    });
  });
  return { url, pid: child.pid as number, close };
}
