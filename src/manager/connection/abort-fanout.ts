/**
 * Abort subscriptions on a caller's signal that add ONE listener to it however many requests follow it.
 * A caller may hand the same long-lived signal (e.g. a run-wide abort) to hundreds of concurrent calls;
 * one listener each would trip Node's MaxListeners warning and make every abort walk them all. Here the
 * first subscriber adds a single listener that fans out to the rest, and the last one to leave removes it.
 */

type Subscriber = () => void;

class Fanout {
  readonly subscribers = new Set<Subscriber>();
  readonly onAbort = (): void => {
    fanouts.delete(this.signal);
    const subs = [...this.subscribers];
    this.subscribers.clear();
    for (const fn of subs) fn();
  };
  constructor(private readonly signal: AbortSignal) {}
}

const fanouts = new WeakMap<AbortSignal, Fanout>();

/**
 * Calls `fn` once when `signal` aborts (at once if it already has) and returns the unsubscribe function
 * (idempotent; a no-op after `fn` ran).
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return noop;
  }
  let f = fanouts.get(signal);
  if (f === undefined) {
    f = new Fanout(signal);
    fanouts.set(signal, f);
    signal.addEventListener('abort', f.onAbort, { once: true });
  }
  const fanout = f;
  fanout.subscribers.add(fn);
  return () => {
    if (!fanout.subscribers.delete(fn) || fanout.subscribers.size > 0) return;
    signal.removeEventListener('abort', fanout.onAbort);
    if (fanouts.get(signal) === fanout) fanouts.delete(signal);
  };
}

function noop(): void {}
