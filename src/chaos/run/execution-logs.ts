/**
 * The fleet's execution logs (mock/execution-log.ts): in-process mocks keep theirs in memory; a mock that
 * runs as a child process appends to a file in a directory of the run's own, named after its endpoint; a
 * relay logs what it forwarded to any server, and what an `mcp` fault answered in the server's place.
 * A mock's own log says what it executed; of its relay's log only the faulted requests are added.
 * Collected once the fleet has stopped, then the directory is removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RelayLog } from '../../relay/index.js';
import type { ExecutionRecord } from '../history.js';
import type { Target } from './targets.js';

export class ExecutionLogs {
  private dir: string | undefined;
  private readonly children = new Set<string>();

  /** The file a child process mock for `endpoint` appends to (the directory is made on first use). */
  fileFor(endpoint: string): string {
    this.children.add(endpoint);
    this.dir ??= mkdtempSync(join(tmpdir(), 'mcp-chaos-exec-'));
    return join(this.dir, `${endpoint.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`);
  }

  /**
   * Every execution of every target (absolute clock times), then the files are removed. Undefined when a
   * target keeps no log (a spawned or existing server): executions there cannot be known.
   */
  collect(
    targets: Iterable<Target>,
    relays: ReadonlyMap<string, { log: RelayLog }>,
  ): ExecutionRecord[] | undefined {
    const all = [...targets];
    if (all.some((t) => !t.mock && !this.children.has(t.id) && !relays.has(t.id))) {
      this.dispose();
      return undefined;
    }
    const out: ExecutionRecord[] = [];
    /** A relay behind a slot serves every replica that filled it: its log is read once. */
    const read = new Set<unknown>();
    for (const t of all) {
      const first = relays.get(t.id);
      const relay = first !== undefined && !read.has(first) ? first : undefined;
      if (relay) read.add(relay);
      const ownLog = t.mock !== undefined || this.children.has(t.id);
      for (const r of relay?.log.snapshot().records ?? []) {
        if (!ownLog || r.faulted !== undefined) out.push({ endpoint: t.id, ...r });
      }
      if (!ownLog) continue;
      if (t.mock) {
        for (const e of t.mock.executions().executions) out.push({ endpoint: t.id, ...e });
        continue;
      }
      if (this.dir === undefined) continue;
      let text: string;
      try {
        text = readFileSync(this.fileFor(t.id), 'utf8');
      } catch {
        continue; // never started, or executed nothing
      }
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const e = JSON.parse(line) as { tool?: unknown; call?: unknown; t?: unknown };
          if (typeof e.tool !== 'string' || typeof e.t !== 'number') continue;
          out.push({
            endpoint: t.id,
            tool: e.tool,
            t: e.t,
            ...(typeof e.call === 'string' ? { call: e.call } : {}),
          });
        } catch {
          // a line cut by a killed process
        }
      }
    }
    this.dispose();
    return out;
  }

  dispose(): void {
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
