/** `delay`: the request is forwarded at once; its answer is held back this long, then passed whole. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock.js';
import { pass } from './pass.js';

export function delayAnswer(up: IncomingMessage, res: ServerResponse, ms: number, clock: Clock): void {
  up.pause();
  const timer = clock.setTimeout(() => {
    if (!res.destroyed) pass(up, res);
  }, ms);
  res.once('close', () => {
    clock.clearTimeout(timer);
    up.destroy();
  });
}
