import { describe, expect, it } from 'vitest';
import { renderHtml, renderIndex, renderTimelineSvg } from '../../../src/report/index.js';
import { makeJournal } from './fixture-journal.js';

const count = (s: string, needle: string) => s.split(needle).length - 1;

describe('renderHtml', () => {
  it('is one self-contained page: CSP, inline CSS, no script and nothing fetched', () => {
    const html = renderHtml(makeJournal());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).toContain('<style>');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // the only absolute URLs are the SVG namespace and the journal's own text
    const urls = html.match(/https?:\/\/[^\s"'<)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://127.0.0.1:8474']));
  });

  it('draws the timeline: stacked bars per bucket, p50/p99 lines, fault bands, a breaker and health lane per endpoint', () => {
    const j = makeJournal();
    const svg = renderTimelineSvg(j);
    expect(count(svg, '<svg')).toBe(1);
    expect(count(svg, 'class="bar-ok"')).toBe(j.timeline.length);
    expect(count(svg, 'class="bar-failed"')).toBe(j.timeline.filter((b) => b.failed > 0).length);
    expect(count(svg, 'class="bar-rejected"')).toBe(j.timeline.filter((b) => b.rejected > 0).length);
    expect(svg).toContain('class="line-p50"');
    expect(svg).toContain('class="line-p99"');
    expect(svg).toContain('log scale'); // p99 ≈ 1 s vs p50 ≈ 2 ms
    expect(count(svg, 'class="fault-band"')).toBe(2);
    expect(svg).toContain('data-fault="blackhole-0"');
    expect(count(svg, 'class="lane"')).toBe(3);
    const segments = j.lanes.reduce((n, l) => n + l.breaker.length + l.health.length, 0);
    expect(count(svg, 'class="lane-seg"')).toBe(segments);
    expect(svg).toContain('data-state="open"');
    expect(count(svg, 'class="hover"')).toBe(j.timeline.length);
    // fault band starts at 3 s of 12 s on a plot from x=172 to x=1176
    expect(svg).toMatch(/<rect x="423" y="\d+" width="334.7"/);
  });

  it('merges buckets on long runs so the chart stays small', () => {
    const base = makeJournal();
    const timeline = Array.from({ length: 6000 }, (_, i) => ({
      ...(base.timeline[i % 48] as (typeof base.timeline)[0]),
      t: i * 100,
    }));
    const svg = renderTimelineSvg({ ...base, timeline });
    expect(count(svg, 'class="bar-ok"')).toBe(600);
  });

  it('renders the same tables as Markdown, with a status mark per check and the violations', () => {
    const html = renderHtml(makeJournal());
    expect(count(html, '<span class="st ok"')).toBe(8);
    expect(count(html, '<span class="st bad"')).toBe(1);
    expect(html).toContain(
      '<ul class="violations"><li>t=3.00s weather[0]: weather[0] marked unhealthy 1020ms',
    );
    expect(html).toContain('<table class="faults">');
    expect(html).toContain(
      '<code>npx mcp-chaos run scenarios/replica-blackholed-fails-over.yaml --seed 7</code>',
    );
    expect(html).toContain('<span class="badge deviated">DEVIATED</span>');
  });

  it('escapes every piece of user text (no markup injection through names, errors or states)', () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>'"&`;
    const j = makeJournal({
      scenario: { name: evil, description: evil, file: evil },
      replay: evil,
      errors: [evil],
      verdict: 'infrastructure-error',
      invariants: [
        {
          name: evil,
          held: false,
          params: {},
          violations: [{ message: evil, t: 5, endpoint: evil, events: [] }],
          violationCount: 1,
          summary: evil,
        },
      ],
      faults: [{ name: evil, endpoints: [evil], startT: 1000, endT: 2000, kind: 'toxic', detail: evil }],
      lanes: [
        {
          endpoint: evil,
          breaker: [{ fromT: 0, toT: 5000, state: evil }],
          health: [],
          calls: 1,
          failures: 0,
        },
      ],
      summary: { ...makeJournal().summary, byOutcome: { [evil]: 3 } },
    });
    const html = renderHtml(j);
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&quot;&amp;',
    );
    expect(
      renderIndex([{ dir: 'a', scenario: evil, verdict: 'passed', startedAt: evil, seed: 1 }]).toLowerCase(),
    ).not.toContain('<script');
  });

  it('handles an empty run (no timeline, lanes or faults)', () => {
    const html = renderHtml(
      makeJournal({ timeline: [], lanes: [], faults: [], verdict: 'invalid', errors: ['bad YAML'] }),
    );
    expect(html).toContain('no timeline recorded');
    expect(html).toContain('No faults were injected.');
    expect(html).toContain('bad YAML');
  });
});

describe('renderIndex', () => {
  it('lists runs newest first with verdicts and encoded links', () => {
    const html = renderIndex([
      {
        dir: '2026-11-24T02-00-00.000Z-a',
        scenario: 'a',
        verdict: 'passed',
        startedAt: '2026-11-24T02:00:00.000Z',
        seed: 1,
      },
      {
        dir: '2026-11-24T03-00-00.000Z-b c',
        scenario: 'b',
        verdict: 'deviated',
        startedAt: '2026-11-24T03:00:00.000Z',
        seed: 2,
      },
    ]);
    expect(html.indexOf('>b</a>')).toBeLessThan(html.indexOf('>a</a>'));
    expect(html).toContain('href="2026-11-24T03-00-00.000Z-b%20c/report.html"');
    expect(html).toContain('<span class="badge deviated">DEVIATED</span>');
    expect(html).toContain('2 run(s), 1 passed, 0 inconclusive (the harness was starved: re-run), 1 failed.');
    expect(renderIndex([])).toContain('No runs yet.');
  });
});
