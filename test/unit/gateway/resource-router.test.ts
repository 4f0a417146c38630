/**
 * The resource router's ownership rules: prefixed URIs name their server; a URI without the prefix goes to
 * the one server listing it (else the one whose template matches, else the only server); several owners
 * under `prefixed` are refused naming them, under `as-is` the first keeps it.
 */
import { describe, expect, it } from 'vitest';
import { ResourceRouter, type ResourceUriMode } from '../../../src/gateway/resource-router.js';

const LISTS: Record<string, Record<string, Array<Record<string, unknown>>>> = {
  a: {
    resources: [{ uri: 'file:///shared' }, { uri: 'a://only' }],
    resourceTemplates: [{ uriTemplate: 'a://items/{id}' }],
  },
  b: { resources: [{ uri: 'file:///shared' }], resourceTemplates: [{ uriTemplate: 'b://items/{id}' }] },
};

function router(mode: ResourceUriMode, servers = ['a', 'b']) {
  const collisions: string[] = [];
  let listings = 0;
  const r = new ResourceRouter(
    () => servers,
    () => mode,
    async (server, _method, field) => {
      listings++;
      return LISTS[server]?.[field] ?? [];
    },
    (uri) => collisions.push(uri),
  );
  return { r, collisions, listings: () => listings };
}

describe('ResourceRouter', () => {
  it('prefixed: the prefix names the server; a bare URI goes to its one owner, found by listing once', async () => {
    const { r, listings } = router('prefixed');
    expect(await r.resolve('mcp-gateway://b/b://items/7')).toEqual({ server: 'b', uri: 'b://items/7' });
    expect(await r.resolve('a://only')).toEqual({ server: 'a', uri: 'a://only' });
    const after = listings();
    expect(await r.resolve('b://items/9')).toEqual({ server: 'b', uri: 'b://items/9' });
    expect(listings()).toBe(after);
  });

  it('prefixed: a bare URI two servers list is refused, naming both and the form that says which', async () => {
    const { r, collisions } = router('prefixed');
    await expect(r.resolve('file:///shared')).rejects.toThrow(
      /Ambiguous resource: file:\/\/\/shared belongs to a, b: name it as mcp-gateway:\/\/<server>\/file:\/\/\/shared/,
    );
    expect(collisions).toEqual([]);
    await expect(r.resolve('nowhere://x')).rejects.toThrow(/Unknown resource: nowhere:\/\/x/);
  });

  it('as-is: the first server keeps a URI two list (reported as a collision); one server takes everything', async () => {
    const { r, collisions } = router('as-is');
    expect(await r.resolve('file:///shared')).toEqual({ server: 'a', uri: 'file:///shared' });
    expect(collisions).toContain('file:///shared');
    const single = router('as-is', ['b']).r;
    expect(await single.resolve('nowhere://x')).toEqual({ server: 'b', uri: 'nowhere://x' });
  });
});
