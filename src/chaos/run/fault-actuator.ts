/**
 * Carries out faults on real things: toxics and `down` through Toxiproxy, process faults on the runner's
 * children (or on a manager-spawned stdio child, by pid). Removing a fault undoes it: the toxic is
 * deleted, the proxy re-enabled, a killed/restarted child started again on the same port (stdio children
 * are restarted by the manager), a paused one continued. `mcp` faults are set on the endpoint's relay.
 */
import type { Clock } from '../../core/clock.js';
import { ChaosError } from '../../core/errors.js';
import { hashString } from '../../core/rng.js';
import { describeMcpAction, type McpFault } from '../../relay/index.js';
import type { FaultActuator, FaultStep } from './fault-timeline.js';
import type { RunLogEntry } from './run-options.js';
import { startProcess, type Target } from './targets.js';
import type { ToxiproxyControl } from './toxiproxy-control.js';

/** What takes an mcp fault: the HTTP or stdio relay of an endpoint. */
export interface McpFaultTarget {
  setFault(fault: McpFault | undefined): void;
}

/** Grace between SIGTERM and SIGKILL for `process: restart` (ms). */
const RESTART_GRACE_MS = 2000;

export interface ActuatorDeps {
  clock: Clock;
  control: ToxiproxyControl | undefined;
  /** endpoint id → proxy name. */
  proxyOf: ReadonlyMap<string, string>;
  targets: ReadonlyMap<string, Target>;
  /** endpoint id → the relay in front of it (mcp faults). */
  relayOf: ReadonlyMap<string, McpFaultTarget>;
  /** pid of a manager-spawned stdio child (undefined when none is running). */
  stdioPid: (endpoint: string) => number | undefined;
  log: (e: RunLogEntry) => void;
  /** The run's seed (an mcp fault's `share` draws are seeded from it, per fault and endpoint). */
  seed: number;
}

/** A Toxiproxy toxic name for a fault: letters, digits, `_`, `-`, `.` only. */
export function toxicName(fault: string): string {
  return `mcpchaos_${fault.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

export class RunFaultActuator implements FaultActuator {
  /** proxy → number of `down` faults holding it disabled. */
  private readonly downCount = new Map<string, number>();
  /** `fault|endpoint` → pid a stdio pause was sent to. */
  private readonly pausedPids = new Map<string, number>();

  constructor(private readonly d: ActuatorDeps) {}

  async inject(step: FaultStep, endpoint: string): Promise<void> {
    if (step.kind === 'toxic') {
      const { control, proxy } = this.proxy(endpoint);
      if (!step.toxic) throw new ChaosError('INTERNAL', `fault ${step.name} has no toxic`);
      await control.addToxic(proxy, toxicName(step.name), step.toxic);
      this.d.log({
        level: 'info',
        msg: `toxic ${step.toxic.type} added`,
        fields: { endpoint, proxy, fault: step.name },
      });
    } else if (step.kind === 'down') {
      const { control, proxy } = this.proxy(endpoint);
      const n = (this.downCount.get(proxy) ?? 0) + 1;
      this.downCount.set(proxy, n);
      if (n === 1) await this.setDown(control, proxy, endpoint, true);
      this.d.log({ level: 'info', msg: 'proxy disabled', fields: { endpoint, proxy, fault: step.name } });
    } else if (step.kind === 'mcp') {
      const mcp = step.mcp;
      if (!mcp) throw new ChaosError('INTERNAL', `fault ${step.name} has no mcp action`);
      this.relay(endpoint).setFault({
        action: mcp.action,
        share: mcp.share,
        seed: (this.d.seed ^ hashString(`${step.name}|${endpoint}`)) >>> 0,
        ...(mcp.match ? { match: mcp.match } : {}),
      });
      this.d.log({
        level: 'info',
        msg: `mcp fault: ${describeMcpAction(mcp.action)}`,
        fields: { endpoint, fault: step.name },
      });
    } else {
      await this.processInject(step, endpoint);
    }
  }

  async remove(step: FaultStep, endpoint: string): Promise<void> {
    if (step.kind === 'toxic') {
      const { control, proxy } = this.proxy(endpoint);
      await control.removeToxic({ proxy, name: toxicName(step.name) });
    } else if (step.kind === 'down') {
      const { control, proxy } = this.proxy(endpoint);
      const n = Math.max(0, (this.downCount.get(proxy) ?? 0) - 1);
      this.downCount.set(proxy, n);
      if (n === 0) await this.setDown(control, proxy, endpoint, false);
    } else if (step.kind === 'mcp') {
      this.relay(endpoint).setFault(undefined);
    } else {
      await this.processRemove(step, endpoint);
    }
  }

  /** The relay in front of an endpoint (where mcp faults apply). */
  private relay(endpoint: string): McpFaultTarget {
    const relay = this.d.relayOf.get(endpoint);
    if (!relay)
      throw new ChaosError('INFRASTRUCTURE', `${endpoint}: no relay in front to apply an mcp fault`);
    return relay;
  }

  /**
   * `down`: an HTTP endpoint's proxy is disabled (nothing listens); a stdio endpoint's relay stops passing
   * bytes both ways (timeout toxics with no end), so the manager's child stays up and says nothing.
   */
  private async setDown(
    control: ToxiproxyControl,
    proxy: string,
    endpoint: string,
    down: boolean,
  ): Promise<void> {
    if (!this.d.targets.get(endpoint)?.stdio) {
      await control.setEnabled(proxy, !down);
      return;
    }
    for (const stream of ['upstream', 'downstream'] as const) {
      const name = `mcpchaos_down_${stream}`;
      if (down)
        await control.addToxic(proxy, name, {
          type: 'timeout',
          stream,
          toxicity: 1,
          attributes: { timeout: 0 },
        });
      else await control.removeToxic({ proxy, name });
    }
  }

  private proxy(endpoint: string): { control: ToxiproxyControl; proxy: string } {
    const proxy = this.d.proxyOf.get(endpoint);
    if (!this.d.control || !proxy) {
      throw new ChaosError('INFRASTRUCTURE', `${endpoint} has no proxy in front`);
    }
    return { control: this.d.control, proxy };
  }

  private async processInject(step: FaultStep, endpoint: string): Promise<void> {
    const target = this.d.targets.get(endpoint);
    const action = step.process;
    if (target?.process) {
      const proc = target.process;
      if (action === 'kill') proc.signal('SIGKILL');
      else if (action === 'pause') proc.signal('SIGSTOP');
      else await proc.stop(RESTART_GRACE_MS, (ms) => this.d.clock.sleep(ms));
      if (action === 'kill') await proc.waitExit();
      this.d.log({ level: 'info', msg: `process ${action}`, fields: { endpoint, pid: proc.pid } });
      return;
    }
    if (target?.stdio) {
      const pid = this.d.stdioPid(endpoint);
      if (pid === undefined)
        throw new ChaosError('INFRASTRUCTURE', `${endpoint}: no running stdio process to ${action}`);
      const sig = action === 'kill' ? 'SIGKILL' : action === 'pause' ? 'SIGSTOP' : 'SIGTERM';
      process.kill(pid, sig);
      if (action === 'pause') this.pausedPids.set(`${step.name}|${endpoint}`, pid);
      this.d.log({ level: 'info', msg: `process ${action} (stdio)`, fields: { endpoint, pid } });
      return;
    }
    throw new ChaosError(
      'INFRASTRUCTURE',
      `${endpoint}: no process the runner can ${action} (an existing server?)`,
    );
  }

  private async processRemove(step: FaultStep, endpoint: string): Promise<void> {
    const target = this.d.targets.get(endpoint);
    const action = step.process;
    if (target?.process) {
      const proc = target.process;
      if (action === 'pause') {
        proc.signal('SIGCONT');
        return;
      }
      if (!proc.running) await startProcess(target, { log: this.d.log });
      return;
    }
    if (target?.stdio && action === 'pause') {
      const key = `${step.name}|${endpoint}`;
      const pid = this.pausedPids.get(key);
      this.pausedPids.delete(key);
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
    }
    // stdio kill/restart: the manager starts the child again by itself.
  }

  /** Pids of stdio children still paused (for rollback). */
  pausedStdio(): number[] {
    return [...this.pausedPids.values()];
  }
}
