import { describe, expect, it } from 'vitest';
import { checkRequest, hostnameOf, originAllowed, TokenCheck } from '../../../src/gateway/index.js';

const HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];
const TOKEN = 'tok-0123456789abcdef';

describe('request guards', () => {
  it('reads the hostname of a Host header', () => {
    expect(hostnameOf('127.0.0.1:8080')).toBe('127.0.0.1');
    expect(hostnameOf('LocalHost')).toBe('localhost');
    expect(hostnameOf('[::1]:80')).toBe('[::1]');
    expect(hostnameOf('mcp.example.com')).toBe('mcp.example.com');
  });

  it('refuses a malformed Host: nothing after an IPv6 literal but a port, no stray characters', () => {
    for (const bad of [
      '[::1]evil.com',
      '[::1]:80x',
      'a b',
      'evil.com@127.0.0.1',
      '127.0.0.1:99999',
      '',
      ':80',
      'x/y',
    ])
      expect(hostnameOf(bad), bad).toBeUndefined();
    const tokens = new TokenCheck([]);
    expect(checkRequest({ host: '[::1]evil.com' }, HOSTS, ORIGINS, tokens)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^malformed Host/),
    });
  });

  it('refuses a second Host or Authorization header (400), whatever the first says', () => {
    const tokens = new TokenCheck([TOKEN]);
    const headers = { host: '127.0.0.1', authorization: `Bearer ${TOKEN}` };
    const raw = ['Host', '127.0.0.1', 'Authorization', `Bearer ${TOKEN}`];
    expect(checkRequest(headers, HOSTS, ORIGINS, tokens, raw)).toBeUndefined();
    expect(checkRequest(headers, HOSTS, ORIGINS, tokens, [...raw, 'host', 'evil.example'])).toMatchObject({
      status: 400,
      message: 'more than one host header',
    });
    expect(
      checkRequest(headers, HOSTS, ORIGINS, tokens, [...raw, 'AUTHORIZATION', 'Bearer x'])?.message,
    ).toBe('more than one authorization header');
  });

  it('matches origins exactly or with any port', () => {
    expect(originAllowed('http://localhost:3000', ORIGINS)).toBe(true);
    expect(originAllowed('http://localhost', ORIGINS)).toBe(true);
    expect(originAllowed('http://localhost.evil.com:3000', ORIGINS)).toBe(false);
    expect(originAllowed('http://localhost:3000x', ORIGINS)).toBe(false);
    expect(originAllowed('https://app.example', ['https://app.example'])).toBe(true);
    expect(originAllowed('https://app.example:444', ['https://app.example'])).toBe(false);
  });

  it('checks the bearer token', () => {
    const t = new TokenCheck([TOKEN, 'other-0123456789abcdef']);
    expect(t.match(`Bearer ${TOKEN}`)).toBe(0);
    expect(t.match('bearer other-0123456789abcdef')).toBe(1);
    expect(t.match(`Bearer ${TOKEN}x`)).toBe(-1);
    expect(t.match(TOKEN)).toBe(-1);
    expect(t.match(undefined)).toBe(-1);
    expect(new TokenCheck([]).enabled).toBe(false);
  });

  it('refuses a foreign Host or Origin with 403 and a missing or wrong token with 401', () => {
    const tokens = new TokenCheck([TOKEN]);
    const ok = { host: '127.0.0.1:1', authorization: `Bearer ${TOKEN}` };
    expect(checkRequest(ok, HOSTS, ORIGINS, tokens)).toBeUndefined();
    expect(checkRequest({ ...ok, host: 'evil.example' }, HOSTS, ORIGINS, tokens)?.status).toBe(403);
    expect(checkRequest({ ...ok, origin: 'http://evil.example' }, HOSTS, ORIGINS, tokens)?.status).toBe(403);
    const missing = checkRequest({ host: 'localhost' }, HOSTS, ORIGINS, tokens);
    expect(missing).toMatchObject({
      status: 401,
      headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) },
    });
    expect(
      checkRequest({ host: 'localhost', authorization: 'Bearer nope' }, HOSTS, ORIGINS, tokens)?.status,
    ).toBe(401);
    expect(
      JSON.stringify(
        checkRequest({ host: 'localhost', authorization: 'Bearer nope-secret' }, HOSTS, ORIGINS, tokens),
      ),
    ).not.toContain('nope-secret');
  });
});
