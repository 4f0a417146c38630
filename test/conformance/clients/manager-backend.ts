/** The conformance driver's `manager` backend: McpManager, one server, one endpoint, the era pinned. */
import { McpManager } from '../../../src/manager/index.js';
import { answer } from './answers.js';
import type { Backend } from './driver.js';

const CAPS = { sampling: {}, elicitation: {}, roots: {} };
const MAX_ROUNDS = 5;

export async function managerBackend(url: string, era: 'modern' | 'legacy'): Promise<Backend> {
  const m = new McpManager({
    servers: [{ name: 's', endpoints: [{ url }] }],
    settings: { protocol: era, callTimeoutMs: 10_000, health: { probe: 'none' }, retry: { attempts: 1 } },
    clientName: 'mcp-chaos-conformance',
    legacyCapabilities: CAPS,
    inputCapabilities: { sampling: {}, elicitation: { form: {} }, roots: {} },
  });
  await m.start();
  const onServerRequest = async (r: { method: string; params?: Record<string, unknown> }) =>
    answer(r.method, r.params);
  return {
    listTools: () => m.listTools('s'),
    async callTool(name, args) {
      let input: { inputResponses?: Record<string, unknown>; requestState?: string } | undefined;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const r = (await m.callTool('s', name, args, {
          onServerRequest,
          ...(input ? { input } : {}),
        })) as Record<string, unknown>;
        if (r.resultType !== 'input_required') return r;
        const requests = (r.inputRequests ?? {}) as Record<
          string,
          { method: string; params?: Record<string, unknown> }
        >;
        const inputResponses: Record<string, unknown> = {};
        for (const [k, q] of Object.entries(requests)) inputResponses[k] = answer(q.method, q.params);
        input = {
          inputResponses,
          ...(typeof r.requestState === 'string' ? { requestState: r.requestState } : {}),
        };
      }
      throw new Error(`${name}: still input_required after ${MAX_ROUNDS} rounds`);
    },
    close: () => m.close(),
  };
}
