import { describe, expect, it } from 'vitest';
import { FakeClock, SeededRng } from '../../../src/core/index.js';
import { requestIdGenerator } from '../../../src/proxy/api/request-id.js';
import { cleanPath, splitTarget, unescapePath } from '../../../src/proxy/api/request-path.js';
import {
  canonicalListen,
  formatAddress,
  resolveListen,
  splitHostPort,
} from '../../../src/proxy/model/address.js';
import { listenErrorText } from '../../../src/proxy/model/listen-error.js';

describe('splitHostPort (Go rules)', () => {
  it.each([
    ['localhost:80', { host: 'localhost', port: '80' }],
    ['[::1]:0', { host: '::1', port: '0' }],
    [':5000', { host: '', port: '5000' }],
    ['host:', { host: 'host', port: '' }],
  ])('%s', (address, expected) => {
    expect(splitHostPort(address)).toEqual(expected);
  });

  it.each([
    ['localhost', 'address localhost: missing port in address'],
    ['', 'address : missing port in address'],
    ['a:b:c', 'address a:b:c: too many colons in address'],
    ['[::1', "address [::1: missing ']' in address"],
    ['[::1]', 'address [::1]: missing port in address'],
    ['[::1]:1:2', 'address [::1]:1:2: too many colons in address'],
    ['a[b:1', "address a[b:1: unexpected '[' in address"],
    ['a]b:1', "address a]b:1: unexpected ']' in address"],
  ])('%s fails', (address, error) => {
    expect(splitHostPort(address)).toEqual({ error });
  });
});

describe('listen addresses', () => {
  it('binds localhost and an empty host to 127.0.0.1, an empty port to 0', () => {
    expect(resolveListen('localhost:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(resolveListen(':0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(resolveListen('')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(resolveListen('[::1]:')).toEqual({ host: '::1', port: 0 });
    expect(resolveListen('h:99999')).toEqual({ error: 'address 99999: invalid port' });
    expect(resolveListen('h:http')).toEqual({ error: 'lookup tcp/http: unknown port' });
    expect(canonicalListen('localhost:1')).toBe('127.0.0.1:1');
    expect(formatAddress('::1', 5)).toBe('[::1]:5');
  });

  it('words bind errors like Go', () => {
    const inUse = Object.assign(new Error('x'), { code: 'EADDRINUSE' });
    expect(listenErrorText(inUse, '127.0.0.1', 80)).toBe(
      'listen tcp 127.0.0.1:80: bind: address already in use',
    );
    const noHost = Object.assign(new Error('x'), { code: 'ENOTFOUND' });
    expect(listenErrorText(noHost, 'nohost', 80)).toBe('listen tcp: lookup nohost: no such host');
  });
});

describe('request targets', () => {
  it('cleans paths like gorilla/mux, keeping a trailing slash', () => {
    expect(cleanPath('/proxies')).toBe('/proxies');
    expect(cleanPath('/proxies/')).toBe('/proxies/');
    expect(cleanPath('//proxies')).toBe('/proxies');
    expect(cleanPath('/a/../version')).toBe('/version');
    expect(cleanPath('/..')).toBe('/');
    expect(cleanPath('/proxies/.')).toBe('/proxies');
  });

  it('percent-decodes, rejecting malformed escapes', () => {
    expect(unescapePath('/proxies/a%20b')).toBe('/proxies/a b');
    expect(unescapePath('/proxies/%e2%9c%93')).toBe('/proxies/✓');
    expect(unescapePath('/proxies/%zz')).toBeUndefined();
    expect(unescapePath('/proxies/%4')).toBeUndefined();
  });

  it('splits off the query, also from absolute-form targets', () => {
    expect(splitTarget('/proxies?x=1')).toEqual({ path: '/proxies', query: '?x=1' });
    expect(splitTarget('http://h:1/version')).toEqual({ path: '/version', query: '' });
  });
});

describe('request ids', () => {
  it('are 20 base32hex characters, distinct, and seeded', () => {
    const clock = new FakeClock(1_700_000_000_000);
    const a = requestIdGenerator(clock, new SeededRng(1));
    const b = requestIdGenerator(clock, new SeededRng(1));
    const ids = Array.from({ length: 50 }, () => a());
    for (const id of ids) expect(id).toMatch(/^[0-9a-v]{20}$/);
    expect(new Set(ids).size).toBe(50);
    expect(b()).toBe(ids[0]);
  });
});
