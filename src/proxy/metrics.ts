import { Counter, Registry } from 'prom-client';
import type { TcpProxy } from './model/tcp-proxy.js';
import { DIRECTIONS } from './model/toxic-entry.js';

/** Prometheus metrics of one server, in its own Registry (never the global one). */
export interface ProxyMetrics {
  readonly contentType: string;
  /** The exposition text. */
  render(): Promise<string>;
}

/**
 * Bytes per proxy and direction, named like the real server's (`toxiproxy_proxy_received_bytes_total`,
 * `toxiproxy_proxy_sent_bytes_total`). Values are read from the proxies' plain counters at scrape time, so
 * the data path only adds to a number.
 */
export function createProxyMetrics(proxies: () => Iterable<TcpProxy>): ProxyMetrics {
  const registry = new Registry();
  const labelNames = ['direction', 'listener', 'proxy', 'upstream'] as const;
  const fill = (counter: Counter<(typeof labelNames)[number]>, pick: 'received' | 'sent') => {
    counter.reset();
    for (const proxy of proxies()) {
      for (const direction of DIRECTIONS) {
        const labels = { direction, listener: proxy.listen, proxy: proxy.name, upstream: proxy.upstream };
        counter.inc(labels, proxy.counters[direction][pick]);
      }
    }
  };
  new Counter({
    name: 'toxiproxy_proxy_received_bytes_total',
    help: 'Bytes read from the source of each direction of each proxy.',
    labelNames,
    registers: [registry],
    collect() {
      fill(this, 'received');
    },
  });
  new Counter({
    name: 'toxiproxy_proxy_sent_bytes_total',
    help: 'Bytes written to the destination of each direction of each proxy.',
    labelNames,
    registers: [registry],
    collect() {
      fill(this, 'sent');
    },
  });
  return { contentType: registry.contentType, render: () => registry.metrics() };
}
