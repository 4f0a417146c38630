/**
 * Deploys under a black-box system under test. The gateway knows each replica by the URL of its proxy, and
 * that list is fixed, so a replica is replaced **behind** that URL: the new version is started, the relay
 * behind the slot's proxy sends new requests to it (requests in flight finish on the old one), the old
 * one is given `drain` (default 1 s) and stopped. Nothing is seen of the gateway's health checks or
 * breakers, so a deploy never halts on trouble: `deploy-completes-within` judges it. Scaling (a `replicas`
 * change) would need the gateway to learn new URLs, and is refused by the validator.
 */
import type { Clock } from '../../core/clock.js';
import type { EndpointConfig } from '../../manager/index.js';
import type { FleetControl } from './deploy-runner.js';

/** How long an old replica is left to finish its calls when the deploy names no `drain` (ms). */
export const BLACK_BOX_DRAIN_MS = 1000;

/** What the control needs from the fleet: switching a slot's relay to the replica that now fills it. */
export interface SlotSwitch {
  handOver(id: string): void;
}

export function blackBoxFleetControl(fleet: SlotSwitch, clock: Clock): FleetControl {
  return {
    async add(_server: string, config: EndpointConfig): Promise<string> {
      const id = config.id as string;
      fleet.handOver(id);
      return id;
    },
    async remove(_id: string, drainMs: number | undefined): Promise<void> {
      await clock.sleep(drainMs ?? BLACK_BOX_DRAIN_MS);
    },
    trouble: () => undefined,
  };
}
