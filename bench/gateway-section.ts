/**
 * The `gateway` section of `npm run bench`: calls/s, p50 and CPU per call through `mcp-chaos gateway` ÷
 * direct, both eras (bench/gateway.bench.ts). Targets (an idle machine with cores to spare: the client, the
 * gateway and the server are three processes): ≥ 0.8× direct calls/s and ≤ +1 ms p50 at concurrency 1.
 */
import {
  atLeast,
  fmtRatio,
  higher,
  load,
  lower,
  lowerBy,
  type Section,
  type TargetResult,
} from './bench-sections.js';
import type { GatewayBenchRow } from './gateway.bench.js';

export const GATEWAY_SECTION: Section = {
  name: 'gateway',
  run: async ({ quick }) => {
    const bench = await load<(o: { durationMs?: number }) => Promise<{ rows: GatewayBenchRow[] }>>(
      'gateway.bench.js',
      'benchGateway',
    );
    const out = await bench({ durationMs: quick ? 1600 : 4000 });
    const targets: TargetResult[] = [];
    for (const r of out.rows) {
      if (r.concurrency === 32)
        targets.push(atLeast(`gateway ≥ 0.8× direct calls/s (${r.era}, ×32)`, 0.8, '×', r.vsDirect));
      else {
        const delta = r.gatewayP50Ms - r.directP50Ms;
        targets.push({
          name: `gateway p50 ≤ direct + 1 ms (${r.era}, ×1)`,
          target: 1,
          unit: 'ms',
          measured: delta,
          pass: delta <= 1,
        });
      }
    }
    const key = (r: GatewayBenchRow) => `gateway.${r.era}.c${r.concurrency}`;
    return {
      raw: out,
      targets,
      figures: out.rows.flatMap((r) => [
        higher(`${key(r)}.callsPerSec`, r.gatewayCallsPerSec, 'calls/s'),
        higher(`${key(r)}.vsDirect`, r.vsDirect, '×'),
        lower(`${key(r)}.p50Ms`, r.gatewayP50Ms),
        lowerBy(`${key(r)}.gatewayCpuUs`, r.gatewayOwnCpuUs, 'µs'),
        lowerBy(`${key(r)}.cpuVsDirect`, r.cpuVsDirect, '×'),
      ]),
      table: out.rows.flatMap((r) => [
        {
          name: `${r.era} direct ×${r.concurrency}`,
          value: r.directCallsPerSec,
          unit: 'calls/s',
          p50Ms: r.directP50Ms,
          note: `CPU ${r.directCpuUs.toFixed(0)} µs/call (client + server)`,
        },
        {
          name: `${r.era} through gateway ×${r.concurrency}`,
          value: r.gatewayCallsPerSec,
          unit: 'calls/s',
          p50Ms: r.gatewayP50Ms,
          note: [
            `${fmtRatio(r.vsDirect)} direct`,
            `CPU ${r.gatewayCpuUs.toFixed(0)} µs/call (${fmtRatio(r.cpuVsDirect)}; gateway ${r.gatewayOwnCpuUs.toFixed(0)})`,
            r.errors ? `${r.errors} errors` : '',
          ]
            .filter(Boolean)
            .join('; '),
        },
      ]),
    };
  },
};
