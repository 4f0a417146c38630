/**
 * How the conformance client programs answer a server's questions, the same for every backend: an
 * elicitation is accepted with every field's default (SEP-1034), a sampling request gets a fixed reply,
 * a roots request an empty list.
 */
type Obj = Record<string, unknown>;

export function answer(method: string, params: Obj | undefined): Obj {
  if (method === 'elicitation/create') {
    const props = ((params?.requestedSchema as Obj | undefined)?.properties ?? {}) as Record<string, Obj>;
    const content: Obj = {};
    for (const [k, p] of Object.entries(props)) if (p.default !== undefined) content[k] = p.default;
    return { action: 'accept', content };
  }
  if (method === 'sampling/createMessage')
    return { role: 'assistant', content: { type: 'text', text: 'conformance answer' }, model: 'conformance' };
  if (method === 'roots/list') return { roots: [] };
  throw new Error(`no answer for ${method}`);
}

/** Arguments for a tool from its input schema: each property's default, else a value of its type. */
export function argumentsFor(schema: Obj | undefined): Obj {
  const props = (schema?.properties ?? {}) as Record<string, Obj>;
  const out: Obj = {};
  for (const [k, p] of Object.entries(props)) {
    if (p.default !== undefined) out[k] = p.default;
    else if (p.type === 'number' || p.type === 'integer') out[k] = 1;
    else if (p.type === 'boolean') out[k] = true;
    else if (p.type === 'array') out[k] = [];
    else if (p.type === 'object') out[k] = {};
    else out[k] = 'test';
  }
  return out;
}
