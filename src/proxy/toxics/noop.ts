import type { Chunk, StageContext, ToxicRunner, ToxicType } from './toxic.js';

/** Runs a toxic that does nothing: chunks pass, EOF closes. Also what a toxic runs as when toxicity says no. */
export function passThrough(ctx: StageContext): ToxicRunner {
  return {
    handle(chunk: Chunk | undefined): boolean {
      if (chunk === undefined) ctx.end();
      else ctx.emit(chunk);
      return true;
    },
    interrupt: () => [],
  };
}

/** `noop` {}: pass-through. */
export const noopToxic: ToxicType = {
  type: 'noop',
  goName: 'NoopToxic',
  attributes: [],
  run: (_attrs, ctx) => passThrough(ctx),
};
