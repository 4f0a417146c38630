/**
 * `mcp` actions on stdio, per JSON-RPC message (one line each): `error` and `versionSkew` answer a request
 * in the server's place; `delay`, `hang`, `truncate`, `corrupt` and `cutAfter` spoil the server's answer to
 * it. stdio has no HTTP status, sessions or SSE events: `status` and `sessionExpired` do not apply (the
 * validator says so), and `cutAfter` cuts the connection in place of the answer, whatever N.
 */
import { corruptJson, UNSUPPORTED_PROTOCOL_VERSION } from './actions/index.js';
import type { McpAction } from './mcp-fault.js';
import type { RequestInfo } from './request-info.js';

/** Actions that do not apply on stdio. */
export const HTTP_ONLY_ACTIONS: ReadonlySet<string> = new Set(['status', 'sessionExpired']);

/** The answer line for an answering action, or undefined when the action does not answer. */
export function answerLine(action: McpAction, info: RequestInfo): Buffer | undefined {
  const id = info.id ?? null;
  let error: { code: number; message: string; data?: unknown } | undefined;
  if (action.kind === 'error') error = { code: action.code, message: action.message };
  else if (action.kind === 'versionSkew') {
    const asked = info.protocolVersion ?? '2025-11-25';
    error = {
      code: UNSUPPORTED_PROTOCOL_VERSION,
      message: `Unsupported protocol version: ${asked} (mcp-chaos fault)`,
      data: { supported: [asked === '2026-07-28' ? '2025-11-25' : '2026-07-28'], requested: asked },
    };
  }
  return error === undefined ? undefined : Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id, error })}\n`);
}

/** What becomes of an answer line under a spoiling action. */
export type Spoilt =
  | { kind: 'send'; line: Buffer }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' }
  | { kind: 'cut' };

export function spoilLine(action: McpAction, line: Buffer): Spoilt {
  switch (action.kind) {
    case 'delay':
      return { kind: 'delay', ms: action.ms };
    case 'hang':
      return { kind: 'drop' };
    case 'cutAfter':
      return { kind: 'cut' };
    case 'truncate': {
      const body = line.subarray(0, line.length - (line[line.length - 1] === 10 ? 1 : 0));
      return {
        kind: 'send',
        line: Buffer.concat([body.subarray(0, Math.floor(body.length * action.share)), Buffer.from('\n')]),
      };
    }
    case 'corrupt':
      return { kind: 'send', line: Buffer.from(`${corruptJson(line.toString('utf8').trimEnd())}\n`) };
    default:
      return { kind: 'send', line };
  }
}
