/**
 * A gateway's account of its own failure: the `outcome` in the `data` of its JSON-RPC error, read from
 * either SDK line's error class (and along a cause chain, as the manager wraps it).
 */

import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ProtocolError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { ChaosError } from '../../../../src/core/errors.js';
import { reportedOutcome } from '../../../../src/manager/call/call-errors.js';

describe('reportedOutcome', () => {
  it('reads data.outcome from a v1 McpError and a v2 ProtocolError', () => {
    expect(
      reportedOutcome(new McpError(-32050, 'x timed out', { code: 'CALL_TIMEOUT', outcome: 'timeout' })),
    ).toBe('timeout');
    expect(reportedOutcome(new ProtocolError(-32050, 'open', { outcome: 'circuit-open' }))).toBe(
      'circuit-open',
    );
  });

  it('finds it along the cause chain of a manager error', () => {
    const answer = new ProtocolError(-32050, 'none', { outcome: 'no-endpoint' });
    const wrapped = new ChaosError('PROTOCOL_ERROR', 'weather/echo failed', { cause: answer, details: {} });
    expect(reportedOutcome(wrapped)).toBe('no-endpoint');
  });

  it('ignores answers that name no outcome, an unknown one, success, or are not JSON-RPC errors', () => {
    expect(reportedOutcome(new ProtocolError(-32602, 'unknown tool'))).toBeUndefined();
    expect(reportedOutcome(new ProtocolError(-32050, 'x', { outcome: 'melted' }))).toBeUndefined();
    expect(reportedOutcome(new ProtocolError(-32050, 'x', { outcome: 'success' }))).toBeUndefined();
    expect(reportedOutcome(new ProtocolError(-32050, 'x', { outcome: 7 }))).toBeUndefined();
    expect(reportedOutcome(new Error('fetch failed'))).toBeUndefined();
    expect(reportedOutcome(undefined)).toBeUndefined();
  });
});
