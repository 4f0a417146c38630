import { canonicalListen } from './address.js';
import { apiErrors } from './api-error.js';
import { type ProxyDeps, type ProxySettings, TcpProxy } from './tcp-proxy.js';

/** Compares strings by UTF-8 bytes, the order Go's encoder sorts map keys in. */
function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Every proxy of one server, by name (Toxiproxy's ProxyCollection). */
export class ProxyCollection {
  private readonly proxies = new Map<string, TcpProxy>();

  constructor(private readonly deps: ProxyDeps) {}

  /** The proxy called `name`; throws 404 `proxy not found`. */
  get(name: string): TcpProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw apiErrors.proxyNotFound();
    return proxy;
  }

  /** Every proxy, sorted by name as Go sorts map keys. */
  sorted(): TcpProxy[] {
    return [...this.proxies.values()].sort((a, b) => byUtf8(a.name, b.name));
  }

  /** Creates a proxy (409 if the name is taken; bind errors are 500 and leave nothing behind). */
  async add(name: string, settings: ProxySettings): Promise<TcpProxy> {
    if (this.proxies.has(name)) throw apiErrors.proxyExists();
    const proxy = new TcpProxy(name, settings.listen, settings.upstream, this.deps);
    if (settings.enabled) await proxy.start();
    this.proxies.set(name, proxy);
    return proxy;
  }

  /**
   * Populate's add-or-replace: an existing proxy with the same (resolved) listen and upstream is kept
   * untouched (`enabled` is not compared); any other is stopped and replaced by a new proxy. When the new
   * one fails to bind, the old one stays registered but stopped, as in Toxiproxy.
   */
  async addOrReplace(name: string, settings: ProxySettings): Promise<{ proxy: TcpProxy; kept: boolean }> {
    const existing = this.proxies.get(name);
    if (existing) {
      const sameListen = canonicalListen(existing.listen) === canonicalListen(settings.listen);
      if (sameListen && existing.upstream === settings.upstream) return { proxy: existing, kept: true };
      await existing.stop();
    }
    const proxy = new TcpProxy(name, settings.listen, settings.upstream, this.deps);
    if (settings.enabled) await proxy.start();
    this.proxies.set(name, proxy);
    return { proxy, kept: false };
  }

  /** Deletes a proxy: stops its listener and closes its connections. */
  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.stop();
  }

  /** POST /reset: enables every proxy and removes every toxic (a bind error stops it with a 500). */
  async reset(): Promise<void> {
    for (const proxy of [...this.proxies.values()]) {
      if (!proxy.enabled) await proxy.start();
      proxy.removeAllToxics();
    }
  }

  /** Stops every proxy and forgets them. */
  async closeAll(): Promise<void> {
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((p) => p.stop()));
  }

  /** Every proxy, in creation order. */
  values(): IterableIterator<TcpProxy> {
    return this.proxies.values();
  }
}
