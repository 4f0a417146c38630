import { describe, expect, it } from 'vitest';
import { checkInvariant, parseFaultDetail, probeVerdict } from '../../../../src/chaos/invariants/index.js';
import { HistoryBuilder } from './history-builder.js';

// defaults: interval 500, jitter 50, timeout 250, unhealthyAfter 2, healthyAfter 2
// detection bound: 2 × (500 + 50 + 250) + 250 = 1850; recovery bound: 250 + 2 × 800 + 500 = 2350
function faulted(detail = 'timeout', kind: 'toxic' | 'down' | 'process' = 'toxic') {
  const h = new HistoryBuilder({ servers: { s: 2 } });
  h.healthTo(100, 's[0]', 'healthy').healthTo(100, 's[1]', 'healthy');
  h.fault({ name: 'f', endpoints: ['s[0]'], startT: 2000, endT: 5000, kind, detail });
  return h;
}

describe('probe verdicts', () => {
  const health = { timeoutMs: 250 };
  it('parses the toxic type and attributes from the detail', () => {
    expect(parseFaultDetail('latency latency=300, jitter: 20')).toEqual({
      type: 'latency',
      attributes: { latency: 300, jitter: 20 },
    });
    expect(parseFaultDetail('{"type":"x"}').type).toBe('');
  });
  it('judges faults by type, attributes and the probe timeout', () => {
    const v = (kind: 'toxic' | 'down' | 'process', d: string) => probeVerdict(kind, d, health).verdict;
    expect(v('down', 'down')).toBe('breaks');
    expect(v('process', 'kill')).toBe('breaks');
    expect(v('process', 'pause')).toBe('breaks');
    expect(v('toxic', 'timeout')).toBe('breaks');
    expect(v('toxic', 'reset_peer')).toBe('breaks');
    expect(v('toxic', 'limit_data bytes=100')).toBe('breaks');
    expect(v('toxic', 'limit_data bytes=5000000')).toBe('unknown');
    expect(v('toxic', 'latency latency=240 jitter=20')).toBe('breaks');
    expect(v('toxic', 'latency latency=100')).toBe('harmless');
    expect(v('toxic', 'latency')).toBe('unknown');
    expect(v('toxic', 'bandwidth rate=0')).toBe('breaks');
    expect(v('toxic', 'bandwidth rate=100')).toBe('harmless');
    expect(v('toxic', 'slicer')).toBe('harmless');
    expect(v('toxic', 'slow_close')).toBe('harmless');
    expect(v('toxic', 'noop')).toBe('harmless');
    expect(v('toxic', 'timeout toxicity=0.5')).toBe('unknown');
    expect(v('toxic', 'mystery')).toBe('unknown');
  });
});

describe('health-detects-within', () => {
  it('holds when the endpoint turns unhealthy inside the default bound', () => {
    const h = faulted();
    h.healthTo(3600, 's[0]', 'unhealthy');
    const r = checkInvariant('health-detects-within', {}, h.build());
    expect(r.held).toBe(true);
    expect(r.params).toMatchObject({ withinMs: 1850, slackMs: 250 });
  });

  it('reports late detection with endpoint, deadline and the health event', () => {
    const h = faulted('down', 'down');
    h.healthTo(4000, 's[0]', 'unhealthy');
    const r = checkInvariant('health-detects-within', { within: '1500ms' }, h.build());
    expect(r.held).toBe(false);
    const v = r.violations[0]!;
    expect(v).toMatchObject({ endpoint: 's[0]', t: 3500 });
    expect(v.message).toContain('did not become unhealthy within 1500ms after fault f');
    expect(v.message).toContain('unhealthy at 4s');
    expect(v.message).toContain('health was healthy at 3.5s');
    expect(v.events.map((e) => e.type)).toEqual(['fault']);
  });

  it('reports an endpoint never detected', () => {
    const r = checkInvariant('health-detects-within', {}, faulted('reset_peer').build());
    expect(r.violations[0]!.message).toContain('never unhealthy');
  });

  it('skips faults that do not break probes, short faults, probe none and self-healed processes — and fails as vacuous when it judged nothing', () => {
    const vacuous = (h: ReturnType<typeof faulted>, params: Record<string, unknown> = {}) =>
      checkInvariant('health-detects-within', params, h.build());
    for (const h of [faulted('latency latency=10'), faulted('bandwidth rate=5')]) {
      const r = vacuous(h);
      expect(r.held).toBe(false);
      expect(r.violations[0]?.message).toMatch(
        /^vacuous: 1 case\(s\), none judged \(.+\) — nothing was checked/,
      );
      expect(vacuous(h, { allowVacuous: true }).held).toBe(true);
    }
    const short = new HistoryBuilder({ servers: { s: 2 } });
    short.fault({ name: 'blip', endpoints: ['s[0]'], startT: 2000, endT: 2500 });
    expect(checkInvariant('health-detects-within', {}, short.build()).violations[0]?.message).toContain(
      'window too short',
    );
    const none = faulted();
    none.settings('s', { health: { probe: 'none' } });
    expect(vacuous(none).violations[0]?.message).toContain('no probes');
    // the case of the report: a stdio child the manager restarted before it could be detected
    const healed = faulted('kill', 'process');
    healed.event({ type: 'connection', t: 2300, endpoint: 's[0]', kind: 'process-restart' });
    expect(vacuous(healed).violations[0]?.message).toContain('restarted by the manager');
    expect(vacuous(healed, { allowVacuous: true }).held).toBe(true);
    expect(checkInvariant('health-detects-within', {}, faulted('kill', 'process').build()).held).toBe(false);
    expect(() => checkInvariant('health-detects-within', { allowVacuous: 'yes' }, healed.build())).toThrow(
      /allowVacuous/,
    );
  });
});

describe('health-recovers-within', () => {
  it('holds when the endpoint is healthy again inside the default bound', () => {
    const h = faulted();
    h.healthTo(3000, 's[0]', 'unhealthy').healthTo(6500, 's[0]', 'healthy');
    const r = checkInvariant('health-recovers-within', {}, h.build());
    expect(r.held).toBe(true);
    expect(r.params).toMatchObject({ withinMs: 2350 });
  });

  it('reports an endpoint still unhealthy after the bound', () => {
    const h = faulted();
    h.healthTo(3000, 's[0]', 'unhealthy').healthTo(8000, 's[0]', 'healthy');
    const r = checkInvariant('health-recovers-within', { within: '1s' }, h.build());
    expect(r.held).toBe(false);
    expect(r.violations[0]).toMatchObject({ endpoint: 's[0]', t: 6000 });
    expect(r.violations[0]!.message).toContain('still unhealthy 1000ms after fault f');
    expect(r.violations[0]!.message).toContain('healthy at 8s');
  });

  it('gives process faults 2 s more by default, and ignores endpoints never unhealthy', () => {
    const h = faulted('kill', 'process');
    h.healthTo(3000, 's[0]', 'unhealthy').healthTo(9300, 's[0]', 'healthy');
    const r = checkInvariant('health-recovers-within', {}, h.build());
    expect(r.params).toMatchObject({ withinMs: 4350 });
    expect(r.held).toBe(true);
    const late = faulted('kill', 'process');
    late.healthTo(3000, 's[0]', 'unhealthy').healthTo(9400, 's[0]', 'healthy');
    expect(checkInvariant('health-recovers-within', {}, late.build()).violations[0]!.t).toBe(9350);
    // never unhealthy: nothing to recover from, so nothing judged — vacuous unless allowed
    const never = checkInvariant('health-recovers-within', {}, faulted().build());
    expect(never.held).toBe(false);
    expect(never.summary).toMatch(
      /^vacuous: 1 case\(s\), none judged \(s\[0\] was never unhealthy during it\)/,
    );
    expect(checkInvariant('health-recovers-within', { allowVacuous: true }, faulted().build()).held).toBe(
      true,
    );
  });

  it('is inconclusive when the next fault on the endpoint starts before the deadline', () => {
    const h = faulted();
    h.healthTo(3000, 's[0]', 'unhealthy');
    h.fault({ name: 'g', endpoints: ['s[0]'], startT: 5500, endT: 9000 });
    const r = checkInvariant('health-recovers-within', { fault: 'f' }, h.build());
    expect(r.held).toBe(false);
    expect(r.summary).toMatch(/vacuous: 1 case\(s\), none judged \(the next fault starts first\)/);
    const allowed = checkInvariant('health-recovers-within', { fault: 'f', allowVacuous: true }, h.build());
    expect(allowed.held).toBe(true);
    expect(allowed.summary).toContain('1 not judged (the next fault starts first)');
  });
});
