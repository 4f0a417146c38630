/**
 * The official conformance suite's client scenarios against the manager, and against the bare v2 SDK
 * client doing the same (one driver, two backends: clients/driver.ts): the manager's verdicts must be at
 * least the bare client's — no check the bare client passes may fail through the manager. 0.1.16 runs the
 * 2025-11-25 scenarios (sse-retry among them: SEP-1699 resumption), 0.2.0-alpha.12 the 2026-07-28 ones.
 * The auth/* scenarios are left out: neither program does OAuth (the manager takes headers, not flows).
 * The table is printed. Skipped, saying why, without Node 22.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientVerdict, type Era, node22Missing, type Verdict, verdictText } from './suite-runner.js';

const SCENARIOS: Record<Era, string[]> = {
  '2025-11-25': ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry'],
  '2026-07-28': [
    'tools_call',
    'request-metadata',
    'sep-2322-client-request-state',
    'http-standard-headers',
    'http-custom-headers',
    'http-invalid-tool-headers',
    'json-schema-ref-no-deref',
    'json-schema-2020-12-preservation',
  ],
};
const driver = resolve('test/conformance/clients/driver.ts');
const command = (backend: 'manager' | 'bare') => `${process.execPath} --import tsx ${driver} ${backend}`;

const missing = await node22Missing();
if (missing !== undefined) console.warn(`client conformance test skipped: ${missing}`);

describe.skipIf(missing !== undefined)(
  'conformance: client scenarios, the manager against the bare v2 client',
  () => {
    for (const era of ['2025-11-25', '2026-07-28'] as Era[]) {
      it(`${era}: the manager passes every check the bare v2 client passes`, async () => {
        const rows: Array<{ scenario: string; manager: Verdict; bare: Verdict }> = [];
        for (const scenario of SCENARIOS[era]) {
          const [manager, bare] = await Promise.all([
            clientVerdict(era, scenario, command('manager')),
            clientVerdict(era, scenario, command('bare')),
          ]);
          rows.push({ scenario, manager, bare });
        }
        const table = rows.map(
          (r) => `| ${r.scenario} | ${verdictText(r.manager)} | ${verdictText(r.bare)} |`,
        );
        console.log(
          `client conformance ${era}:\n| scenario | manager | bare v2 client |\n|---|---|---|\n${table.join('\n')}`,
        );
        const worse = rows.filter(
          (r) => r.manager.passed < r.bare.passed || (r.bare.failed === 0 && r.manager.failed > 0),
        );
        expect(worse.map((r) => r.scenario)).toEqual([]);
      }, 600_000);
    }
  },
);
