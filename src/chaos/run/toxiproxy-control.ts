/**
 * The runner's handle on a Toxiproxy (embedded or real), over HTTP only via `toxiproxy-node-client`.
 * Remembers every proxy it created, every toxic it added and every proxy it disabled, so rollback can
 * undo exactly that and nothing else (other users' proxies on a shared server are never touched).
 */
import { type Toxic, type Proxy as ToxiProxy, Toxiproxy } from 'toxiproxy-node-client';
import { ChaosError, errorMessage } from '../../core/errors.js';

/** A toxic as the scenario describes it (attributes already integers). */
export interface ToxicSpec {
  type: string;
  stream: 'upstream' | 'downstream';
  toxicity: number;
  attributes: Record<string, number>;
}

export interface CreatedProxy {
  name: string;
  /** Bound listen address, e.g. 127.0.0.1:40123. */
  host: string;
  port: number;
}

/** One toxic added by the runner. */
export interface ToxicHandle {
  proxy: string;
  name: string;
}

export class ToxiproxyControl {
  private readonly client: Toxiproxy;
  private readonly proxies = new Map<string, ToxiProxy>();
  private readonly toxics = new Map<string, Toxic<unknown>>();
  private readonly disabled = new Set<string>();

  /** @param url API base URL, e.g. http://127.0.0.1:8474 (no trailing slash needed). */
  constructor(readonly url: string) {
    this.client = new Toxiproxy(url.replace(/\/+$/, ''));
  }

  /** Checks the API answers `/version`; returns the version string. Throws INFRASTRUCTURE. */
  async version(): Promise<string> {
    try {
      const text = await this.client.getVersion();
      try {
        const parsed = JSON.parse(text) as { version?: unknown };
        return typeof parsed.version === 'string' ? parsed.version : text.trim();
      } catch {
        return text.trim();
      }
    } catch (e) {
      throw new ChaosError('INFRASTRUCTURE', `Toxiproxy at ${this.url} is unreachable: ${errorMessage(e)}`, {
        cause: e,
      });
    }
  }

  /** Creates a proxy listening on 127.0.0.1:0 towards `upstream`; returns the bound address. */
  async createProxy(name: string, upstream: string): Promise<CreatedProxy> {
    let proxy: ToxiProxy;
    try {
      proxy = await this.client.createProxy({ name, listen: '127.0.0.1:0', upstream, enabled: true });
    } catch (e) {
      throw new ChaosError(
        'INFRASTRUCTURE',
        `cannot create proxy ${name} → ${upstream}: ${errorMessage(e)}`,
        {
          cause: e,
        },
      );
    }
    this.proxies.set(name, proxy);
    const m = /^(.*):(\d+)$/.exec(proxy.listen);
    const port = m ? Number(m[2]) : 0;
    if (!m || port === 0) {
      throw new ChaosError(
        'INFRASTRUCTURE',
        `proxy ${name} reported no bound port (listen "${proxy.listen}")`,
      );
    }
    const host = m[1] === 'localhost' || m[1] === '' || m[1] === '[::]' ? '127.0.0.1' : (m[1] as string);
    return { name, host, port };
  }

  /** Adds a toxic; the returned handle is what {@link removeToxic} takes. */
  async addToxic(proxyName: string, toxicName: string, spec: ToxicSpec): Promise<ToxicHandle> {
    const proxy = this.need(proxyName);
    const toxic = await proxy.addToxic({
      name: toxicName,
      type: spec.type as never,
      stream: spec.stream,
      toxicity: spec.toxicity,
      attributes: spec.attributes,
    });
    const key = `${proxyName}/${toxicName}`;
    this.toxics.set(key, toxic);
    return { proxy: proxyName, name: toxicName };
  }

  /** Removes a toxic this control added. Idempotent. */
  async removeToxic(h: ToxicHandle): Promise<void> {
    const key = `${h.proxy}/${h.name}`;
    const toxic = this.toxics.get(key);
    if (!toxic) return;
    await ignoreNotFound(toxic.remove());
    this.toxics.delete(key);
  }

  /** Enables or disables a proxy (disabled = nothing listens). */
  async setEnabled(proxyName: string, enabled: boolean): Promise<void> {
    const proxy = this.need(proxyName);
    const updated = await proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream });
    this.proxies.set(proxyName, updated);
    if (enabled) this.disabled.delete(proxyName);
    else this.disabled.add(proxyName);
  }

  /** Toxics still in place, as `proxy/toxic` strings. */
  activeToxics(): ToxicHandle[] {
    return [...this.toxics.keys()].map((k) => {
      const i = k.indexOf('/');
      return { proxy: k.slice(0, i), name: k.slice(i + 1) };
    });
  }

  /** Proxies currently disabled by this control. */
  disabledProxies(): string[] {
    return [...this.disabled];
  }

  /** Proxies created and not yet deleted. */
  createdProxies(): string[] {
    return [...this.proxies.keys()];
  }

  /** Deletes a proxy this control created (its toxics go with it). Idempotent. */
  async deleteProxy(name: string): Promise<void> {
    const proxy = this.proxies.get(name);
    if (!proxy) return;
    await ignoreNotFound(proxy.remove());
    this.proxies.delete(name);
    this.disabled.delete(name);
    for (const key of [...this.toxics.keys()]) if (key.startsWith(`${name}/`)) this.toxics.delete(key);
  }

  private need(name: string): ToxiProxy {
    const p = this.proxies.get(name);
    if (!p) throw new ChaosError('INTERNAL', `no proxy named ${name} was created by this run`);
    return p;
  }
}

/** A 404 on delete means it is already gone: the goal is reached. */
async function ignoreNotFound(p: Promise<void>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (/status code 404\b/.test(errorMessage(e))) return;
    throw e;
  }
}
