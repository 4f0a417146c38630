/**
 * Applying an action: those that answer in the server's place (the request is not forwarded), and those
 * that shape the server's answer once the request was forwarded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import type { McpAction } from '../mcp-fault.js';
import type { RequestInfo } from '../request-info.js';
import { corruptAnswer } from './corrupt.js';
import { cutAfterAnswer } from './cut-after.js';
import { delayAnswer } from './delay.js';
import { answerError } from './error.js';
import { hangAnswer } from './hang.js';
import { pass } from './pass.js';
import { answerSessionExpired } from './session-expired.js';
import { answerStatus } from './status.js';
import { truncateAnswer } from './truncate.js';
import { answerVersionSkew } from './version-skew.js';

export { corruptJson } from './corrupt.js';
export { endOfEvent } from './cut-after.js';
export { MAX_SHAPED_BODY } from './pass.js';
export { UNSUPPORTED_PROTOCOL_VERSION } from './version-skew.js';

/** Answers in the server's place when `action` is one that does; true when it did. */
export function answerInstead(action: McpAction, info: RequestInfo, res: ServerResponse): boolean {
  switch (action.kind) {
    case 'status':
      answerStatus(res, info, action.status, action.retryAfterMs);
      return true;
    case 'error':
      answerError(res, info, action.code, action.message);
      return true;
    case 'sessionExpired':
      answerSessionExpired(res, info);
      return true;
    case 'versionSkew':
      answerVersionSkew(res, info);
      return true;
    default:
      return false;
  }
}

export interface ShapeContext {
  clock: Clock;
  /** Answers held by `hang`, released when the relay closes. */
  hung: Set<ServerResponse>;
}

/** Sends the server's answer `up` to the client, spoilt by `action` (undefined: unchanged). */
export function shapeAnswer(
  action: McpAction | undefined,
  up: IncomingMessage,
  res: ServerResponse,
  ctx: ShapeContext,
): void {
  switch (action?.kind) {
    case 'delay':
      delayAnswer(up, res, action.ms, ctx.clock);
      return;
    case 'hang':
      hangAnswer(up, res, ctx.hung);
      return;
    case 'cutAfter':
      cutAfterAnswer(up, res, action.events);
      return;
    case 'truncate':
      truncateAnswer(up, res, action.share);
      return;
    case 'corrupt':
      corruptAnswer(up, res);
      return;
    default:
      pass(up, res);
      return;
  }
}
