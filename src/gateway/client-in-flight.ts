/**
 * Slots per client (token, else address) — requests in flight, or open listen streams: past `max`, a
 * client's next one is refused
 * (429) instead of queueing behind its own — so one client flooding slow calls cannot take every slot
 * of the upstream pools (the manager's bulkhead is shared by all clients) and starve the others.
 */
export class ClientInFlight {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: () => number) {}

  /** Takes a slot for `client`: the function that frees it, or undefined when the client is at its max. */
  enter(client: string): (() => void) | undefined {
    const n = this.counts.get(client) ?? 0;
    if (n >= this.max()) return undefined;
    this.counts.set(client, n + 1);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      const left = (this.counts.get(client) ?? 1) - 1;
      if (left > 0) this.counts.set(client, left);
      else this.counts.delete(client);
    };
  }

  /** Requests in flight of `client`. */
  of(client: string): number {
    return this.counts.get(client) ?? 0;
  }
}
