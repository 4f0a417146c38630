/**
 * The committed schema/scenario.schema.json must equal what the zod schema generates (regenerate with
 * `npx tsx src/cli/main.ts schema --out schema/scenario.schema.json`), and must agree with the validator
 * on the fixtures (checked with Ajv, which the MCP SDK already depends on).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema, scenarioJsonSchemaText } from '../../../../src/chaos/scenario/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixtures = join(root, 'test/fixtures/scenarios');

describe('scenario JSON Schema', () => {
  it('the committed schema/scenario.schema.json is up to date', () => {
    const committed = readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8');
    expect(committed, 'regenerate: npx tsx src/cli/main.ts schema --out schema/scenario.schema.json').toBe(
      scenarioJsonSchemaText(),
    );
  });

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(scenarioJsonSchema());
  const yamlFile = (p: string): unknown => parse(readFileSync(p, 'utf8'), { merge: true });

  it.each(readdirSync(join(fixtures, 'valid')))('accepts valid/%s', (name) => {
    const ok = validate(yamlFile(join(fixtures, 'valid', name)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    'unknown-key-top.yaml',
    'unknown-key-nested.yaml',
    'wrong-type.yaml',
    'bad-duration.yaml',
    'negative-duration.yaml',
    'unitless-duration.yaml',
    'bad-rate.yaml',
    'bad-target.yaml',
    'toxic-unknown-type.yaml',
    'toxic-bad-attribute.yaml',
    'bad-enum.yaml',
    'invalid-server-name.yaml',
  ])('rejects invalid/%s like the validator does', (name) => {
    expect(validate(yamlFile(join(fixtures, 'invalid', name)))).toBe(false);
  });

  it.each(readdirSync('scenarios').filter((f) => f.endsWith('.yaml')))('accepts the shipped %s', (name) => {
    const ok = validate(yamlFile(join('scenarios', name)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('types invariant entries from the registry: names, params, required params', () => {
    const doc = (invariants: unknown[]) => ({
      name: 't',
      duration: '1s',
      servers: { w: { mock: {} } },
      invariants,
    });
    expect(
      validate(doc(['no-lost-calls', { 'failover-within': { within: '1s', availability: '99%' } }])),
    ).toBe(true);
    expect(validate(doc(['no-lost-cals']))).toBe(false);
    expect(validate(doc([{ 'no-lost-calls': { slak: '1s' } }]))).toBe(false);
    expect(validate(doc([{ 'no-lost-calls': { slack: 'soon' } }]))).toBe(false);
    expect(validate(doc([{ 'deploy-completes-within': { fault: 'up' } }]))).toBe(false); // within is required
    expect(validate(doc([{ 'deploy-completes-within': { fault: 'up', within: '5s' } }]))).toBe(true);
  });

  it('documents every top-level section', () => {
    const props = scenarioJsonSchema().properties as Record<string, { description?: string }>;
    expect(Object.keys(props).sort()).toEqual(
      [
        'description',
        'duration',
        'faults',
        'invariants',
        'load',
        'manager',
        'name',
        'seed',
        'servers',
        'steady_state',
        'sut',
        'thresholds',
      ].sort(),
    );
    expect(scenarioJsonSchema().required).toEqual(['name', 'duration', 'servers']);
  });
});
