/**
 * The official conformance suite's server scenarios against a server nobody here wrote —
 * `@modelcontextprotocol/server-everything` (2025-only) — directly and through the gateway, in both eras:
 * 0.1.16 for 2025-11-25, 0.2.0-alpha.12 `--requirements 2026-07-28` for 2026-07-28. The gateway must never
 * be worse than direct: no scenario passes direct and fails through it, and none loses a passing check.
 * (Through the gateway a 2025-only server is reachable by 2026-07-28 clients, so there it is better.)
 * The per-scenario table is printed (docs/gateway.md, "Conformance"). Skipped, saying why, without Node 22.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHandle, startGateway } from '../../src/gateway/index.js';
import {
  type EverythingServer,
  startEverything,
} from '../integration/connection/fixtures/server-everything.js';
import { gatewayConfig } from '../integration/gateway/helpers.js';
import { type Era, node22Missing, serverVerdicts, type Verdict, verdictText } from './suite-runner.js';

const missing = await node22Missing();
if (missing !== undefined) console.warn(`server-everything conformance test skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  'conformance: server-everything directly and through the gateway',
  () => {
    let everything: EverythingServer;
    let gw: GatewayHandle;
    let direct: string;

    beforeAll(async () => {
      everything = await startEverything('streamableHttp');
      direct = `http://127.0.0.1:${everything.port}/mcp`;
      gw = await startGateway({
        manager: {
          settings: { callTimeoutMs: 10_000, health: { probe: 'none' } },
          servers: [{ name: 'everything', endpoints: [{ url: direct }] }],
        },
        // the server's own names and URIs, as the suite calls them directly
        gateway: gatewayConfig({
          toolNames: '{tool}',
          resourceUris: 'as-is',
          rate: { perClient: '100000/s', burst: 100000 },
        }),
        port: 0,
      });
    }, 60_000);

    afterAll(async () => {
      await gw?.close();
      await everything?.stop();
    });

    for (const era of ['2025-11-25', '2026-07-28'] as Era[]) {
      it(`${era}: the gateway is never worse than direct, scenario by scenario`, async () => {
        const byDirect = await serverVerdicts(era, direct);
        const byGateway = await serverVerdicts(era, gw.url);
        const rows = Object.keys({ ...byDirect, ...byGateway }).sort();
        const table = rows.map(
          (s) => `| ${s} | ${verdictText(byDirect[s])} | ${verdictText(byGateway[s])} |`,
        );
        console.log(
          `conformance ${era}, server-everything:\n| scenario | direct | through the gateway |\n|---|---|---|\n${table.join('\n')}`,
        );
        expect(rows.length).toBeGreaterThanOrEqual(25);
        const worse = rows.filter((s) => {
          const d = byDirect[s] as Verdict | undefined;
          const g = byGateway[s] as Verdict | undefined;
          if (d === undefined) return false;
          if (g === undefined) return true;
          return g.passed < d.passed || (d.failed === 0 && g.failed > 0);
        });
        expect(worse, `worse through the gateway: ${worse.join(', ')}`).toEqual([]);
      }, 600_000);
    }
  },
);
