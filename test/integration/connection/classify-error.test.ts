/** classifyError over the errors the SDK, undici and child processes really throw. */
import { createServer } from 'node:net';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { fetch as undiciFetch } from 'undici';
import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../src/core/errors.js';
import {
  classifyError,
  failureError,
  httpStatusOf,
  toFailure,
} from '../../../src/manager/connection/index.js';

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('classifyError', () => {
  it('SDK errors', () => {
    expect(classifyError(new McpError(ErrorCode.RequestTimeout, 'Request timed out'))).toBe('timeout');
    expect(classifyError(new McpError(ErrorCode.ConnectionClosed, 'Connection closed'))).toBe('connection');
    expect(classifyError(new McpError(ErrorCode.InvalidParams, 'bad'))).toBe('protocol');
    expect(classifyError(new McpError(-32000, 'server-defined error'))).toBe('protocol');
    expect(classifyError(new StreamableHTTPError(503, 'Service Unavailable'))).toBe('server-5xx');
    expect(classifyError(new StreamableHTTPError(404, 'Session not found'))).toBe('server-5xx');
    expect(classifyError(new StreamableHTTPError(-1, 'Unexpected content type'))).toBe('protocol');
    expect(httpStatusOf(new StreamableHTTPError(404, 'x'))).toBe(404);
    expect(httpStatusOf(new Error('Error POSTing to endpoint (HTTP 502): bad gateway'))).toBe(502);
  });

  it('a refused connection (real undici error) → connection', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    await new Promise<void>((r) => server.close(() => r()));
    const e = await caught(undiciFetch(`http://127.0.0.1:${port}/`));
    expect(classifyError(e)).toBe('connection');
    expect(toFailure(e, { endpoint: 'a', op: 'x' }).details).toMatchObject({
      failureClass: 'connection',
      causeCode: 'ECONNREFUSED',
    });
  });

  it('a socket closed before the response (real undici error) → connection', async () => {
    const server = createServer((s) => s.once('data', () => s.destroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const e = await caught(undiciFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }));
    await new Promise<void>((r) => server.close(() => r()));
    expect(classifyError(e)).toBe('connection');
  });

  it('aborts, parse errors, spawn errors, ChaosErrors and unknowns', () => {
    expect(classifyError(new DOMException('aborted', 'AbortError'))).toBe('timeout');
    expect(classifyError(new SyntaxError('Unexpected token'))).toBe('protocol');
    expect(classifyError(Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' }))).toBe('connection');
    expect(classifyError(failureError('server-5xx', 'x', { endpoint: 'a', op: 'y' }))).toBe('server-5xx');
    expect(classifyError(new ChaosError('SESSION_LOST', 'x'))).toBe('session-lost');
    expect(classifyError(new ChaosError('CALL_CANCELLED', 'x'))).toBe('timeout');
    expect(classifyError('weird')).toBe('connection');
  });
});
