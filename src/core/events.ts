/** Something that can be undone; returned by every `onX(listener)` subscription. */
export interface Disposable {
  dispose(): void;
}

/** A subscription function: `onThing(listener) → Disposable`. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

/**
 * A tiny synchronous typed event emitter. A throwing listener does not stop the others; its error is
 * passed to `onListenerError` (default: rethrown asynchronously so it is never swallowed silently).
 */
export class Emitter<T> {
  private listeners: Array<(value: T) => void> = [];
  constructor(
    private readonly onListenerError: (e: unknown) => void = (e) =>
      queueMicrotask(() => {
        throw e;
      }),
  ) {}

  /** Subscribe. */
  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  /** Whether anyone listens (lets hot paths skip building event objects). */
  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  emit(value: T): void {
    for (const l of this.listeners) {
      try {
        l(value);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  clear(): void {
    this.listeners = [];
  }
}

/** Disposes many at once. */
export function disposeAll(items: Iterable<Disposable>): void {
  for (const d of items) d.dispose();
}
