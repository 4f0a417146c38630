/**
 * The black-box client's view of the calls it makes: only calls go into the history, under the scenario's
 * tool names, and a call the gateway failed with a JSON-RPC error naming its own outcome ends with that
 * outcome (so a gateway's timeout on a starved machine is seen as a failure by time).
 */
import { describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../../../../src/chaos/run/gateway-process.js';
import { gatewayClient } from '../../../../src/chaos/run/sut-client.js';
import type { GatewaySut, Plan } from '../../../../src/chaos/scenario/index.js';
import type { ManagerEvent } from '../../../../src/manager/index.js';

const sut: GatewaySut = {
  kind: 'gateway',
  command: ['gw'],
  transport: 'http',
  url: 'http://127.0.0.1:{port}/mcp',
  env: {},
  readyMs: 1000,
  toolName: '{server}__{tool}',
  protocol: 'auto',
};
// keep() and toolName() use neither the process nor the plan's servers
const client = gatewayClient(sut, {} as GatewayProcess, { load: [] } as unknown as Plan);
const end = (over: Partial<Extract<ManagerEvent, { type: 'call-end' }>>): ManagerEvent => ({
  type: 'call-end',
  t: 10,
  callId: 1,
  server: 'weather',
  outcome: 'protocol',
  latencyMs: 5,
  attempts: 1,
  endpoint: 'sut:weather',
  ...over,
});

describe('the black-box client', () => {
  it('keeps calls under the scenario tool names, without its own endpoint, and nothing else', () => {
    expect(client.toolName('weather', 'echo')).toBe('weather__echo');
    const start = client.keep({
      type: 'call-start',
      t: 1,
      callId: 1,
      server: 'weather',
      tool: 'weather__echo',
      idempotent: true,
      deadline: 100,
    } as ManagerEvent);
    expect(start).toMatchObject({ tool: 'echo' });
    expect(client.keep(end({ outcome: 'success' }))).not.toHaveProperty('endpoint');
    expect(
      client.keep({ type: 'breaker', t: 1, endpoint: 'sut:weather', from: 'closed', to: 'open', reason: '' }),
    ).toBeUndefined();
  });

  it("records the gateway's own outcome for a JSON-RPC error that names it", () => {
    expect(client.keep(end({ reported: 'timeout' }))).toMatchObject({ outcome: 'timeout' });
    expect(client.keep(end({ reported: 'circuit-open' }))).toMatchObject({ outcome: 'circuit-open' });
    const kept = client.keep(end({ reported: 'timeout' }));
    expect(kept).not.toHaveProperty('reported');
    // no account, or a failure that is not the gateway's JSON-RPC answer: unchanged
    expect(client.keep(end({}))).toMatchObject({ outcome: 'protocol' });
    expect(client.keep(end({ outcome: 'connection', reported: 'timeout' }))).toMatchObject({
      outcome: 'connection',
    });
  });
});
