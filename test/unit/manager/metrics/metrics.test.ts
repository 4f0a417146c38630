import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CallCounts, type EndpointGaugeView, ManagerMetrics } from '../../../../src/manager/metrics/index.js';

function view(over: Partial<EndpointGaugeView> = {}): EndpointGaugeView {
  return {
    id: 'a[0]',
    server: 'a',
    breaker: 'open',
    health: 'healthy',
    ejected: false,
    inFlight: 3,
    queued: 1,
    ewmaLatencyMs: 12,
    ...over,
  };
}

describe('ManagerMetrics', () => {
  it('exposes calls, attempts, retries and scrape-time gauges in its own registry', async () => {
    const views = [view(), view({ id: 'a[1]', breaker: 'closed', ejected: true, inFlight: 0 })];
    const m = new ManagerMetrics(() => views);
    const s = m.server('a');
    s.callEnded('a[0]', 'success', 5);
    s.callEnded('a[0]', 'success', 7);
    s.callEnded('', 'circuit-open', 0);
    s.retry();
    s.retryDenied();
    m.endpoint('a', 'a[0]').attemptEnded('timeout', 100);
    m.endpoint('a', 'a[0]').breakerTransition('open');
    m.endpoint('a', 'a[1]').ejected();
    const text = await m.text();
    expect(text).toContain('mcp_manager_calls_total{server="a",endpoint="a[0]",outcome="success"} 2');
    expect(text).toContain('mcp_manager_calls_total{server="a",endpoint="",outcome="circuit-open"} 1');
    expect(text).toContain('mcp_manager_attempts_total{server="a",endpoint="a[0]",outcome="timeout"} 1');
    expect(text).toContain('mcp_manager_retries_total{server="a"} 1');
    expect(text).toContain('mcp_manager_retries_denied_total{server="a"} 1');
    expect(text).toContain('mcp_manager_breaker_state{server="a",endpoint="a[0]",state="open"} 1');
    expect(text).toContain('mcp_manager_breaker_state{server="a",endpoint="a[0]",state="closed"} 0');
    expect(text).toContain('mcp_manager_health_state{server="a",endpoint="a[1]",state="healthy"} 1');
    expect(text).toContain('mcp_manager_ejected{server="a",endpoint="a[1]"} 1');
    expect(text).toContain('mcp_manager_in_flight{server="a",endpoint="a[0]"} 3');
    expect(text).toContain('mcp_manager_queue_depth{server="a",endpoint="a[0]"} 1');
    expect(text).toContain('mcp_manager_ejections_total{server="a",endpoint="a[1]"} 1');
    expect(text).toMatch(/mcp_manager_call_duration_seconds_count\{server="a",outcome="success"\} 2/);
    expect(text).toMatch(
      /mcp_manager_call_duration_seconds_bucket\{le="0.005",server="a",outcome="success"\} 1/,
    );
    // Gauges follow the source at scrape time.
    views[0] = view({ breaker: 'half-open' });
    expect(await m.text()).toContain(
      'mcp_manager_breaker_state{server="a",endpoint="a[0]",state="half-open"} 1',
    );
  });

  it('two managers never share a registry, and the global one stays empty', async () => {
    const a = new ManagerMetrics(() => []);
    const b = new ManagerMetrics(() => []);
    a.server('x').callEnded('x[0]', 'success', 1);
    expect(await b.text()).not.toContain('server="x"');
    expect(await globalRegistry.metrics()).not.toContain('mcp_manager_');
  });

  it('caches label children (same handle per server/endpoint)', () => {
    const m = new ManagerMetrics(() => []);
    expect(m.server('a')).toBe(m.server('a'));
    expect(m.endpoint('a', 'a[0]')).toBe(m.endpoint('a', 'a[0]'));
  });
});

describe('CallCounts', () => {
  it('splits ended calls into succeeded, failed and rejected', () => {
    const c = new CallCounts();
    c.started = 6;
    for (const o of ['success', 'timeout', 'tool-error', 'circuit-open', 'cancelled'] as const) c.ended(o);
    expect(c.toJSON()).toEqual({ started: 6, succeeded: 1, failed: 2, retries: 0, rejected: 2 });
  });
});
