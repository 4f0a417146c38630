import { bandwidthToxic } from './bandwidth.js';
import { latencyToxic } from './latency.js';
import { limitDataToxic } from './limit-data.js';
import { noopToxic } from './noop.js';
import { resetPeerToxic } from './reset-peer.js';
import { slicerToxic } from './slicer.js';
import { slowCloseToxic } from './slow-close.js';
import { timeoutToxic } from './timeout.js';
import type { ToxicType } from './toxic.js';

export { passThrough } from './noop.js';
export { slicePoints } from './slicer.js';
export type { Chunk, StageContext, ToxicAttributes, ToxicRunner, ToxicType } from './toxic.js';
export { MAX_TIMER_MS } from './toxic.js';

/** Every toxic type the server knows, by its API name (case-sensitive, as in Toxiproxy). */
export const TOXIC_TYPES: ReadonlyMap<string, ToxicType> = new Map(
  [
    noopToxic,
    latencyToxic,
    bandwidthToxic,
    slowCloseToxic,
    timeoutToxic,
    slicerToxic,
    limitDataToxic,
    resetPeerToxic,
  ].map((t) => [t.type, t]),
);
