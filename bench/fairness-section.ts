/**
 * The `gateway-fairness` section of `npm run bench`: a well-behaved client's p50 and p99 at idle and while
 * another client floods the gateway at its maximum (bench/gateway-fairness.bench.ts). Target: p50 within
 * 2× of idle under every flood. Needs a quiet machine (four processes share the cores).
 */
import { fmtRatio, load, lowerBy, type Section } from './bench-sections.js';
import type { FairnessRow } from './gateway-fairness.bench.js';

export const FAIRNESS_SECTION: Section = {
  name: 'gateway-fairness',
  run: async ({ quick }) => {
    const bench = await load<(o: { phaseMs?: number }) => Promise<{ rows: FairnessRow[] }>>(
      'gateway-fairness.bench.js',
      'benchGatewayFairness',
    );
    const out = await bench({ phaseMs: quick ? 2000 : 4000 });
    const floods = out.rows.filter((r) => r.phase !== 'idle');
    return {
      raw: out,
      targets: floods.map((r) => ({
        name: `polite p50 ≤ 2× idle (${r.phase} flood)`,
        target: 2,
        unit: '×',
        measured: r.p50VsIdle,
        pass: r.p50VsIdle <= 2,
      })),
      figures: floods.flatMap((r) => [
        lowerBy(`fairness.${r.phase}.p50VsIdle`, r.p50VsIdle, '×'),
        lowerBy(`fairness.${r.phase}.p99VsIdle`, r.p99VsIdle, '×'),
      ]),
      table: out.rows.map((r) => ({
        name: r.phase === 'idle' ? 'polite client, idle' : `polite client, ${r.phase} flood`,
        value: r.p50Ms,
        unit: 'ms p50',
        p50Ms: r.p50Ms,
        note: [
          r.phase === 'idle' ? '' : `p50 ${fmtRatio(r.p50VsIdle)} idle, p99 ${fmtRatio(r.p99VsIdle)}`,
          `p99 ${r.p99Ms.toFixed(1)} ms`,
          r.flood ? `flooder: ${r.flood.ok} ok, ${r.flood.limited} × 429, ${r.flood.other} other` : '',
          r.errors ? `${r.errors} errors` : '',
        ]
          .filter(Boolean)
          .join('; '),
      })),
    };
  },
};
