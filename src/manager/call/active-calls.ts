/**
 * The calls in flight, as an intrusive doubly-linked list in start order: adding and removing cost two
 * pointer writes and allocate nothing (a `Set` that empties and refills on every call reallocates its
 * hash table over and over), and iteration order is start order.
 */

/** The links an item carries (managed by {@link ActiveCalls} only). */
export interface ActiveLinks<T> {
  activePrev: T | undefined;
  activeNext: T | undefined;
  /** Whether the item is in a list now. */
  activeListed: boolean;
}

export class ActiveCalls<T extends ActiveLinks<T>> {
  private head: T | undefined;
  private tail: T | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends `item` (no-op if it is in the list already). */
  add(item: T): void {
    if (item.activeListed) return;
    item.activeListed = true;
    item.activePrev = this.tail;
    item.activeNext = undefined;
    if (this.tail === undefined) this.head = item;
    else this.tail.activeNext = item;
    this.tail = item;
    this.count++;
  }

  /** Removes `item` (no-op if it is not in the list). */
  delete(item: T): void {
    if (!item.activeListed) return;
    item.activeListed = false;
    const { activePrev: prev, activeNext: next } = item;
    if (prev === undefined) this.head = next;
    else prev.activeNext = next;
    if (next === undefined) this.tail = prev;
    else next.activePrev = prev;
    item.activePrev = undefined;
    item.activeNext = undefined;
    this.count--;
  }

  has(item: T): boolean {
    return item.activeListed;
  }

  /** The items now, in start order (a copy: safe to change the list while going through it). */
  snapshot(): T[] {
    const out: T[] = [];
    for (let x = this.head; x !== undefined; x = x.activeNext) out.push(x);
    return out;
  }

  /** Calls `fn` for each item in start order; `fn` must not change the list. */
  forEach(fn: (item: T) => void): void {
    for (let x = this.head; x !== undefined; x = x.activeNext) fn(x);
  }
}
