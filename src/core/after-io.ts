/**
 * Event-loop ordering, not time: `afterIo(fn)` runs `fn` once the current turn's I/O callbacks have run
 * (Node's `setImmediate`). Lives in core/ with the clock so the rest of the code names no ambient timer.
 */
export function afterIo<A extends unknown[]>(fn: (...args: A) => void, ...args: A): void {
  setImmediate(fn, ...args);
}
