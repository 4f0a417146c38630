import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../../../../src/manager/connection/rpc-body.js';

describe('requestIdOf', () => {
  it('finds the id of requests, fast or slow, and never of answers or notifications', () => {
    expect(requestIdOf('{"method":"tools/call","params":{"name":"echo"},"jsonrpc":"2.0","id":7}')).toBe(7);
    expect(requestIdOf('{"method":"ping","jsonrpc":"2.0","id":"a\\"b"}')).toBe('a"b');
    expect(requestIdOf('{"jsonrpc":"2.0","id":3,"method":"ping"}')).toBe(3);
    // the SDK's answers to server requests end with the id as requests do
    expect(requestIdOf('{"result":{},"jsonrpc":"2.0","id":5}')).toBeUndefined();
    expect(requestIdOf('{"error":{"code":-32601,"message":"x"},"jsonrpc":"2.0","id":5}')).toBeUndefined();
    expect(
      requestIdOf('{"method":"notifications/cancelled","params":{"requestId":1},"jsonrpc":"2.0"}'),
    ).toBeUndefined();
    expect(requestIdOf('not json')).toBeUndefined();
    expect(requestIdOf(undefined)).toBeUndefined();
  });
});
