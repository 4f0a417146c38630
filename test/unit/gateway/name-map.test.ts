import { describe, expect, it } from 'vitest';
import {
  buildNameIndex,
  clientName,
  clientUri,
  parseClientName,
  parseClientUri,
} from '../../../src/gateway/index.js';

describe('name map', () => {
  it('names tools by the template and finds them back', () => {
    expect(clientName('{server}__{tool}', 'weather', 'forecast')).toBe('weather__forecast');
    expect(parseClientName('{server}__{tool}', ['weather', 'search'], 'weather__forecast')).toEqual({
      server: 'weather',
      name: 'forecast',
    });
    expect(parseClientName('{tool}@{server}', ['a', 'b'], 'sum@b')).toEqual({ server: 'b', name: 'sum' });
  });

  it('prefers the longest server name when two fit, and rejects names no server fits', () => {
    expect(parseClientName('{server}__{tool}', ['a', 'a__b'], 'a__b__c')).toEqual({
      server: 'a__b',
      name: 'c',
    });
    expect(parseClientName('{server}__{tool}', ['a'], 'x__y')).toBeUndefined();
    expect(parseClientName('{server}__{tool}', ['a'], 'a__')).toBeUndefined();
    // without {server}: one server judges every name itself (as directly); several cannot be told apart
    expect(parseClientName('{tool}', ['a'], 'echo')).toEqual({ server: 'a', name: 'echo' });
    expect(parseClientName('{tool}', ['a', 'b'], 'echo')).toBeUndefined();
  });

  it('reports a name two servers claim, keeping the first', () => {
    const index = buildNameIndex('{tool}', [
      { server: 'a', name: 'echo' },
      { server: 'b', name: 'echo' },
      { server: 'b', name: 'add' },
    ]);
    expect(index.collisions).toEqual([{ clientName: 'echo', claimedBy: ['a/echo', 'b/echo'] }]);
    expect(index.byClientName.get('echo')).toEqual({ server: 'a', name: 'echo' });
    expect(index.byClientName.get('add')).toEqual({ server: 'b', name: 'add' });
    expect(
      buildNameIndex('{server}__{tool}', [
        { server: 'a', name: 'echo' },
        { server: 'b', name: 'echo' },
      ]).collisions,
    ).toEqual([]);
  });

  it('prefixes resource URIs reversibly, whatever their scheme', () => {
    for (const uri of [
      'file:///tmp/a b.txt',
      'demo://resource/static/1',
      'https://x.test/a?b=c',
      'demo://r/{id}',
    ]) {
      const mapped = clientUri('my server', uri);
      expect(mapped.startsWith('mcp-gateway://my%20server/')).toBe(true);
      expect(parseClientUri(mapped)).toEqual({ server: 'my server', uri });
    }
    expect(parseClientUri('file:///etc/passwd')).toBeUndefined();
    expect(parseClientUri('mcp-gateway://nothing')).toBeUndefined();
    expect(parseClientUri('mcp-gateway://%E0%A4%A/x')).toBeUndefined();
  });
});
