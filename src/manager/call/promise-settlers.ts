/**
 * A promise whose resolve/reject are stored on an object, without a closure per promise: one shared
 * executor hands the settlers to the object being captured. Used on the per-call hot path.
 */

/** Something that holds a promise's settlers. */
export interface Settleable<T, E> {
  resolve: (value: T) => void;
  reject: (error: E) => void;
}

/** The object whose promise is being created (set only for the synchronous executor call). */
let capturing: Settleable<never, never> | undefined;

function captureSettlers(resolve: (value: never) => void, reject: (error: never) => void): void {
  const target = capturing as Settleable<never, never>;
  capturing = undefined;
  target.resolve = resolve;
  target.reject = reject;
}

/** A new promise whose settlers are written to `target.resolve` / `target.reject`. */
export function promiseWithSettlers<T, E>(target: Settleable<T, E>): Promise<T> {
  capturing = target as unknown as Settleable<never, never>;
  return new Promise<T>(
    captureSettlers as (resolve: (value: T) => void, reject: (e: unknown) => void) => void,
  );
}
