import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src/chaos/journal.js';
import { renderMarkdown } from '../../../src/report/index.js';
import { makeJournal, makeViolations } from './fixture-journal.js';

const MiB = 1024 * 1024;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('renderMarkdown', () => {
  it('shows verdict, seed, replay command, summary, checks with ✅/❌, violations and faults', () => {
    const j = makeJournal();
    const md = renderMarkdown(j);
    expect(md).toMatch(/^## ❌ DEVIATED — replica-blackholed-fails-over/);
    expect(md).toContain('| Seed | `7` |');
    expect(md).toContain(`\`\`\`sh\n${j.replay}\n\`\`\``);
    expect(md).toContain('| calls | succeeded | failed | availability |');
    expect(md).toContain(`| ${j.summary.calls.toLocaleString('en-US')} |`);
    expect(md).toContain('| ✅ | `no-lost-calls` |');
    expect(md).toContain('| ❌ | `health-detects-within` |');
    expect(md).toContain('- t=3.00s weather\\[0\\]: weather\\[0\\] marked unhealthy 1021ms');
    expect(md).toContain('| blackhole-0 | toxic | timeout | weather\\[0\\] | t=3.00s | t=7.00s |');
    expect(md).toContain('| weather-1-down | down |');
    expect(md).toContain('### Invariants (3/4 held)');
    expect(md).toContain('### Thresholds (2/2 held)');
    expect(md).toContain('### Rollback (1/1 held)');
  });

  it('says "not used" for the Toxiproxy of a run without proxies (never "()")', () => {
    const used = renderMarkdown(makeJournal());
    expect(used).toMatch(/\| Toxiproxy \| http:\/\/127\.0\.0\.1:8474( \([^)]+\))? \|/);
    const j = makeJournal();
    delete (j as { toxiproxyUrl?: string }).toxiproxyUrl;
    if (j.versions) j.versions.toxiproxy = '';
    const md = renderMarkdown(j);
    expect(md).toContain('| Toxiproxy | not used |');
    expect(md).not.toContain('()');
  });

  it('an interrupted run says so, and a run without calls shows no made-up figures', () => {
    const base = makeJournal();
    const j = makeJournal({
      verdict: 'interrupted',
      exitCode: 130,
      errors: ['aborted: interrupted by SIGINT'],
      summary: { ...base.summary, calls: 0, succeeded: 0, failed: 0, availability: 1, p50Ms: 0, p99Ms: 0 },
    });
    const md = renderMarkdown(j);
    expect(md).toMatch(/^## ❌ INTERRUPTED — /);
    expect(md).toContain('| 0 | 0 | 0 | – | – | – | – | – |');
    expect(md).not.toContain('100.00%');
    expect(md).toMatch(/interrupted.*aborted: interrupted by SIGINT/);
  });

  it('passes with ✅ and an open-ended fault says "end of load"', () => {
    const j = makeJournal({ verdict: 'passed', exitCode: 0, invariants: [] });
    const fault = j.faults[0];
    if (!fault) throw new Error('fixture changed');
    fault.endT = Number.POSITIVE_INFINITY;
    const md = renderMarkdown(j);
    expect(md).toMatch(/^## ✅ PASSED/);
    expect(md).not.toContain('❌');
    expect(md).toContain('| t=3.00s | end of load |');
  });

  it('stays under 1 MiB with 100k violations, keeping a bounded list and saying how many were cut', () => {
    const j = makeJournal();
    const inv = j.invariants[3];
    if (!inv) throw new Error('fixture changed');
    inv.violations = makeViolations(100_000).map((v) => ({
      ...v,
      message: `${v.message} ${'x'.repeat(2000)}`,
    }));
    inv.violationCount = 100_000;
    const md = renderMarkdown(j);
    expect(bytes(md)).toBeLessThan(MiB);
    expect(md.split('\n').filter((l) => l.startsWith('- t=')).length).toBe(10);
    expect(md).toContain('99,990 more not shown (truncated; see journal.json)');
  });

  it('stays under 1 MiB however many checks fail, and says it was cut', () => {
    const long = 'y'.repeat(400);
    const thresholds: CheckResult[] = Array.from({ length: 100_000 }, (_, i) => ({
      expression: `p(99) < ${i}ms ${long}`,
      held: false,
      actual: `${long} ${i}`,
    }));
    const invariants = Array.from({ length: 2000 }, (_, i) => ({
      name: `inv-${i}`,
      held: false,
      params: {},
      violations: makeViolations(100),
      violationCount: 100,
      summary: long,
    }));
    const md = renderMarkdown(
      makeJournal({ thresholds, invariants, scenario: { name: long, description: long } }),
    );
    expect(bytes(md)).toBeLessThan(MiB);
    expect(md).toContain('This summary was cut to stay under 900 KiB');
    expect(bytes(renderMarkdown(makeJournal({ thresholds }), { maxBytes: 64 * 1024 }))).toBeLessThanOrEqual(
      64 * 1024,
    );
  });

  it('escapes markup and table separators so user text cannot break the layout or inject HTML', () => {
    const name = 'evil | name <script>alert(1)</script> `tick` *bold*';
    const j = makeJournal({
      scenario: { name, description: 'multi\nline <b>desc</b>' },
      thresholds: [
        { expression: 'availability >= 0.99 | x', held: false, actual: '0.5 <img src=x onerror=alert(1)>' },
      ],
    });
    const md = renderMarkdown(j);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<b>');
    expect(md).toContain('evil \\| name &lt;script&gt;');
    expect(md).toContain('> multi line &lt;b&gt;desc&lt;/b&gt;');
    // every table row keeps its column count: the threshold row has exactly 3 cells
    const row = md.split('\n').find((l) => l.includes('availability >= 0.99 \\| x')) ?? '';
    expect(row.replace(/\\\|/g, '').split('|').length - 2).toBe(3);
  });
});
