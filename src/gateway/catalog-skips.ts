/**
 * What the catalogue left out — names two items would share (the first keeps it), names outside MCP's
 * naming rules, servers whose list was refused — told once each at warn (a listing repeats on every
 * client's `tools/list`: the log must not), and counted for `/metrics`. At start and on reload alike:
 * never an exit, never silent.
 */
import type { Collision } from './fleet-catalog.js';
import type { GatewayLog } from './gateway-log.js';

/** Distinct skips remembered (past it, counted but not logged again: a hostile list cannot grow memory). */
const MAX_REMEMBERED = 1000;

export class CatalogSkips {
  private readonly seen = new Set<string>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly log: GatewayLog) {}

  report(c: Collision): void {
    const reason = c.reason ?? 'collision';
    const key = `${c.kind}\u0000${reason}\u0000${c.clientName}\u0000${c.claimedBy.join(',')}`;
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_REMEMBERED) return;
    this.seen.add(key);
    const label = `${c.kind}\u0000${reason}`;
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    const name = JSON.stringify(c.clientName.slice(0, 200));
    const message =
      reason === 'collision'
        ? `${c.kind} name ${name} claimed by ${c.claimedBy.join(' and ')}: the first keeps it, the others are skipped (use a template with {server}, e.g. "{server}__{tool}")`
        : reason === 'invalid-name'
          ? `${c.kind} ${c.claimedBy[0]} skipped: its name ${name} breaks MCP's naming rules (1-128 of A-Z a-z 0-9 _ - .)`
          : `${c.claimedBy[0]}: its ${c.kind} list was refused (over a listing bound): none of its ${c.kind}s are served`;
    this.log.warn({ kind: c.kind, reason, claimedBy: c.claimedBy }, message);
  }

  /** Distinct items skipped since start, by kind and reason. */
  byKind(): Array<{ kind: string; reason: string; count: number }> {
    return [...this.counts].map(([label, count]) => {
      const [kind = '', reason = ''] = label.split('\u0000');
      return { kind, reason, count };
    });
  }
}
