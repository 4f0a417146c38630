/**
 * Resource URIs inside what servers answer, shown in the gateway's URI space so a client can read what it
 * is pointed at: `resource_link` content (`uri`) and embedded resources (`resource.uri`) in tool results
 * and prompt messages, and every `contents[].uri` of a read. Under `as-is` URIs are unchanged. Other
 * fields (structuredContent, _meta, text) are never rewritten: they are the server's own data.
 */
type Item = Record<string, unknown>;
type ToClient = (uri: string) => string;

/** One content item with its URI mapped (a copy when it changes). */
export function mapContentUri(item: unknown, toClient: ToClient): unknown {
  if (item === null || typeof item !== 'object') return item;
  const c = item as Item;
  if (c.type === 'resource_link' && typeof c.uri === 'string') return { ...c, uri: toClient(c.uri) };
  if (c.type === 'resource' && c.resource !== null && typeof c.resource === 'object') {
    const r = c.resource as Item;
    if (typeof r.uri === 'string') return { ...c, resource: { ...r, uri: toClient(r.uri) } };
  }
  return item;
}

/** A tool result with its content's URIs mapped. */
export function mapToolResultUris(result: Item, toClient: ToClient): Item {
  if (!Array.isArray(result.content)) return result;
  return { ...result, content: result.content.map((c) => mapContentUri(c, toClient)) };
}

/** A prompts/get result with its messages' URIs mapped. */
export function mapPromptUris(result: Item, toClient: ToClient): Item {
  if (!Array.isArray(result.messages)) return result;
  return {
    ...result,
    messages: result.messages.map((m) =>
      m !== null && typeof m === 'object' && 'content' in m
        ? { ...(m as Item), content: mapContentUri((m as Item).content, toClient) }
        : m,
    ),
  };
}

/** A resources/read result with every content's URI mapped. */
export function mapReadUris(result: Item, toClient: ToClient): Item {
  if (!Array.isArray(result.contents)) return result;
  return {
    ...result,
    contents: result.contents.map((c) =>
      c !== null && typeof c === 'object' && typeof (c as Item).uri === 'string'
        ? { ...(c as Item), uri: toClient((c as Item).uri as string) }
        : c,
    ),
  };
}
