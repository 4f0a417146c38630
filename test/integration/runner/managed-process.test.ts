/** ManagedProcess: spawn without a shell, signals to the process group, stop with SIGKILL fallback. */
import { describe, expect, it } from 'vitest';
import { allocatePorts, ManagedProcess, pollUntil, tcpAccepts } from '../../../src/chaos/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { isChaosError } from '../../../src/core/errors.js';

const sleep = (ms: number) => systemClock.sleep(ms);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ManagedProcess', () => {
  it('passes argv verbatim (no shell) and merges env', async () => {
    const p = new ManagedProcess({
      label: 'echo',
      argv: [
        process.execPath,
        '-e',
        'process.stdout.write(process.argv[1] + "|" + process.env.X_TEST)',
        '$HOME; echo hi',
      ],
      env: { X_TEST: 'v' },
    });
    await p.start();
    const exit = await p.waitExit();
    expect(exit.code).toBe(0);
    expect(p.output()).toBe('$HOME; echo hi|v');
  });

  it('a missing program is an infrastructure error', async () => {
    const p = new ManagedProcess({ label: 'nope', argv: ['/nonexistent/program-xyz'] });
    const e = await p.start().catch((x: unknown) => x);
    expect(isChaosError(e, 'INFRASTRUCTURE')).toBe(true);
    expect(p.running).toBe(false);
  });

  it('restarts on the same port, stops with SIGTERM, and kills the whole group', async () => {
    const [port] = await allocatePorts(1);
    // A parent that starts a grandchild in its group, then listens.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('grandchild ' + g.pid);
      require('node:net').createServer(() => {}).listen(${port}, '127.0.0.1');
      process.on('SIGTERM', () => {}); // ignores SIGTERM: stop() must fall back to SIGKILL
    `;
    const p = new ManagedProcess({ label: 'srv', argv: [process.execPath, '-e', script] });
    const ready = () =>
      pollUntil(() => tcpAccepts('127.0.0.1', port as number), {
        clock: systemClock,
        timeoutMs: 10_000,
        label: 'srv',
      });
    await p.start();
    await ready();
    const grandchild = Number(/grandchild (\d+)/.exec(p.output())?.[1]);
    expect(alive(grandchild)).toBe(true);
    expect(p.signal('SIGSTOP')).toBe(true);
    expect(p.isPaused).toBe(true);
    expect(p.signal('SIGCONT')).toBe(true);
    const t0 = performance.now();
    const exit = await p.stop(300, sleep);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(exit.signal).toBe('SIGKILL');
    await pollUntil(async () => !alive(grandchild), {
      clock: systemClock,
      timeoutMs: 5000,
      label: 'grandchild gone',
    });
    // Same port again.
    await p.start();
    await ready();
    expect(p.running).toBe(true);
    p.signal('SIGKILL');
    await p.waitExit();
    expect(p.running).toBe(false);
    expect(p.signal('SIGTERM')).toBe(false);
    await p.stop(100, sleep); // idempotent on a dead process
  });
});
