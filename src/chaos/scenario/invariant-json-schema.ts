/**
 * The JSON Schema of an `invariants:` entry, from the invariant registry: a bare name (one of the known
 * ones), or `{name: {params}}` with each invariant's own params, typed and described — so an editor
 * completes names and params and shows what they mean. The validator judges entries itself (with
 * did-you-mean messages); this is for editors only.
 */
import { INVARIANTS, type ParamDoc } from '../invariants/index.js';
import { DURATION_PATTERN } from './scalars.js';

type Json = Record<string, unknown>;

const DURATION: Json = {
  anyOf: [
    { type: 'string', pattern: DURATION_PATTERN.source },
    { type: 'number', minimum: 0 },
  ],
};

function paramSchema(p: ParamDoc): Json {
  const base: Json = (() => {
    switch (p.kind) {
      case 'duration':
        return { ...DURATION };
      case 'ratio':
        return {
          anyOf: [
            { type: 'number', minimum: 0, maximum: 1 },
            { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*%\\s*$' },
          ],
        };
      case 'integer':
        return { type: 'integer', minimum: 0 };
      case 'number':
        return { type: 'number', minimum: 0 };
      case 'boolean':
        return { type: 'boolean' };
      default:
        return { type: 'string', minLength: 1 };
    }
  })();
  return { ...base, description: p.doc };
}

/** The `Invariant` definition: names and params of every registered invariant. */
export function invariantEntryJsonSchema(): Json {
  const all = Object.values(INVARIANTS);
  const names = all.map((i) => i.name);
  const withParams: Json = {};
  for (const inv of all) {
    const params = Object.entries(inv.paramDocs);
    const required = params.filter(([, p]) => p.required).map(([k]) => k);
    const object: Json = {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(params.map(([k, p]) => [k, paramSchema(p)])),
      ...(required.length > 0 ? { required } : {}),
    };
    withParams[inv.name] = {
      description: inv.description,
      ...(required.length > 0 ? object : { anyOf: [{ type: 'null' }, object] }),
    };
  }
  return {
    description:
      'An invariant name, or a one-key map {name: {params}} (durations in params stay strings). See docs/invariants.md.',
    anyOf: [
      { type: 'string', enum: names, description: 'An invariant with its default params.' },
      {
        type: 'object',
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
        properties: withParams,
      },
    ],
  };
}
