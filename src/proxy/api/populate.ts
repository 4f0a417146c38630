import { apiErrors, ToxiproxyApiError } from '../model/api-error.js';
import type { ProxyCollection } from '../model/proxy-collection.js';
import type { TcpProxy } from '../model/tcp-proxy.js';
import type { ToxicEntry } from '../model/toxic-entry.js';
import { buildToxic } from './build-toxic.js';
import type { PopulateEntry } from './inputs.js';

/** What populate did: the proxies done so far, in input order, and the error that stopped it, if any. */
export interface PopulateResult {
  proxies: TcpProxy[];
  error?: ToxiproxyApiError;
}

/**
 * Toxiproxy's populate (also used for config files). Every entry is validated before any is applied
 * (throws a 400 ToxiproxyApiError naming `proxy N`, 1-based). Then, in order, each proxy is kept (same listen
 * and upstream) or replaced; a bind error stops the run and is returned with the proxies done so far.
 *
 * Extension: an entry's `toxics` are ensured on its proxy — created when missing, updated when different,
 * never removed — so re-sending what GET /proxies returned changes nothing.
 */
export async function populate(
  collection: ProxyCollection,
  entries: readonly PopulateEntry[],
): Promise<PopulateResult> {
  const plans = entries.map((entry, i) => {
    if (entry.name === '') throw apiErrors.missingField(`name at proxy ${i + 1}`);
    if (entry.upstream === '') throw apiErrors.missingField(`upstream at proxy ${i + 1}`);
    const seen = new Set<string>();
    const toxics = entry.toxics?.map((raw, j) => {
      try {
        const toxic = buildToxic(raw, (name) => seen.has(name));
        seen.add(toxic.name);
        return toxic;
      } catch (e) {
        if (!(e instanceof ToxiproxyApiError)) throw e;
        throw new ToxiproxyApiError(`${e.message} at proxy ${i + 1} toxic ${j + 1}`, e.status);
      }
    });
    return { entry, toxics };
  });
  const proxies: TcpProxy[] = [];
  for (const { entry, toxics } of plans) {
    let proxy: TcpProxy;
    try {
      ({ proxy } = await collection.addOrReplace(entry.name, entry));
    } catch (e) {
      if (e instanceof ToxiproxyApiError) return { proxies, error: e };
      throw e;
    }
    if (toxics) ensureToxics(proxy, toxics);
    proxies.push(proxy);
  }
  return { proxies };
}

/** Adds missing toxics, updates changed ones (replacing on a new type or stream), leaves others alone. */
function ensureToxics(proxy: TcpProxy, toxics: readonly ToxicEntry[]): void {
  for (const toxic of toxics) {
    const existing = proxy.findToxic(toxic.name);
    if (!existing) {
      proxy.addToxic(toxic);
    } else if (existing.kind !== toxic.kind || existing.direction !== toxic.direction) {
      proxy.removeToxic(existing);
      proxy.addToxic(toxic);
    } else if (!sameToxic(existing, toxic)) {
      proxy.updateToxic(existing, { ...toxic, stream: existing.stream });
    }
  }
}

function sameToxic(a: ToxicEntry, b: ToxicEntry): boolean {
  return a.toxicity === b.toxicity && a.kind.attributes.every((k) => a.attributes[k] === b.attributes[k]);
}
