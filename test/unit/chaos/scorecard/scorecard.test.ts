import { describe, expect, it } from 'vitest';
import { loadModes, loadSuts, pairScenario, type ScoreCell, scoreOf } from '../../../../src/chaos/index.js';
import type { Journal } from '../../../../src/chaos/journal.js';
import { cellText, renderScorecardHtml, renderScorecardMarkdown } from '../../../../src/report/index.js';

describe('scorecard definitions', () => {
  it('loads the shipped SUTs and modes; every pair is a valid scenario', async () => {
    const suts = await loadSuts('scorecard/suts');
    const modes = await loadModes('scorecard/modes');
    if (!suts.ok || !modes.ok) throw new Error('shipped scorecard definitions are invalid');
    expect(suts.items.map((s) => s.name)).toEqual(['mcp-chaos-gateway', 'mcp-proxy', 'supergateway']);
    expect(modes.items.map((m) => m.name).sort()).toEqual(
      [
        '503-storm',
        'blackhole',
        'replica-killed',
        'restart-session-loss',
        'rolling-deploy',
        'slow-replica',
        'sse-cut',
      ].sort(),
    );
    for (const s of suts.items) {
      expect(s.sut.gateway.cwd).toMatch(/scorecard\/suts$/);
      for (const m of modes.items) {
        const pair = pairScenario(m, s);
        expect('scenario' in pair && pair.scenario.sut.kind, `${m.name} × ${s.name}`).toBe('gateway');
        if ('scenario' in pair) expect(pair.scenario.name).toBe(`${m.name}--${s.name}`);
      }
    }
  });

  it('a bad SUT file is reported at its own line:column', async () => {
    const r = await loadSuts('test/fixtures/scorecard/bad-suts');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    expect(text).toContainEqual(
      expect.stringMatching(/^5:\d+ \{upstream:weather\[5\]\}: weather has 2 replica/),
    );
    expect(text).toContainEqual(
      expect.stringMatching(/^7:5 unknown key "tolName" \(did you mean "toolName"\?\)/),
    );
  });

  it('an unknown --sut name is refused, naming what there is', async () => {
    await expect(loadSuts('scorecard/suts', ['nope'])).rejects.toThrow(
      /nope: not in scorecard\/suts \(there: mcp-chaos-gateway, mcp-proxy, supergateway\)/,
    );
  });
});

function journal(over: Partial<Journal> & { calls: Array<[number, boolean]> }): Journal {
  const events = over.calls.flatMap(([t, ok], i) => [
    {
      type: 'call-start',
      t,
      callId: i,
      server: 'weather',
      tool: 'echo',
      idempotent: true,
      deadline: t + 1000,
    },
    {
      type: 'call-end',
      t: t + 5,
      callId: i,
      server: 'weather',
      outcome: ok ? 'success' : 'connection',
      latencyMs: 5,
      attempts: 1,
    },
  ]);
  return {
    verdict: 'deviated',
    errors: [],
    invariants: [],
    thresholds: [],
    faults: [
      { name: 'f', endpoints: ['weather[0]'], startT: 1000, endT: 4000, kind: 'process', detail: 'kill' },
    ],
    summary: { availability: 0.5, p99Ms: 30 },
    history: { durationMs: 7000, events },
    ...over,
  } as unknown as Journal;
}

describe('scoring a run', () => {
  it('time to recover is from the fault start to the last failed call; failures in the last second: not recovered', () => {
    const recovered = scoreOf(
      journal({
        calls: [
          [500, true],
          [1200, false],
          [2400, false],
          [5000, true],
        ],
      }),
      's',
      'm',
    );
    expect(recovered).toMatchObject({
      status: 'failed',
      recovered: true,
      recoverMs: 1400,
      availability: 0.5,
    });
    const never = scoreOf(
      journal({
        calls: [
          [1200, false],
          [6500, false],
        ],
      }),
      's',
      'm',
    );
    expect(never).toMatchObject({ recovered: false });
    const clean = scoreOf(journal({ verdict: 'passed', calls: [[1200, true]] }), 's', 'm');
    expect(clean).toMatchObject({ status: 'survived', recoverMs: 0 });
    const broken = scoreOf(
      journal({ verdict: 'infrastructure-error', errors: ['port taken'], calls: [] }),
      's',
      'm',
    );
    expect(broken).toMatchObject({ status: 'error', notes: ['port taken'] });
  });

  it('renders one table (Markdown and HTML) with a survived row and the reasons', () => {
    const cells: ScoreCell[] = [
      {
        sut: 'a',
        mode: 'kill',
        status: 'survived',
        availability: 1,
        p99Ms: 30,
        recoverMs: 0,
        recovered: true,
        notes: [],
      },
      {
        sut: 'b|x',
        mode: 'kill',
        status: 'failed',
        availability: 0.138,
        p99Ms: 20,
        recoverMs: 6000,
        recovered: false,
        notes: ['failover-within: below 0.95'],
      },
      { sut: 'a', mode: 'deploy', status: 'not-run', notes: ['deploy faults are not supported'] },
    ];
    const meta = {
      startedAt: '2026-12-04T00:00:00Z',
      node: '20',
      timeScale: 1,
      suts: [
        { name: 'a', description: 'ours' },
        { name: 'b|x', description: '<b>theirs</b>' },
      ],
      modes: [
        { name: 'kill', description: 'killed' },
        { name: 'deploy', description: 'deployed' },
      ],
    };
    expect(cellText(cells[1])).toBe('❌ 13.8% · p99 20ms · not recovered');
    const md = renderScorecardMarkdown(cells, meta);
    expect(md).toContain(
      '| kill | ✅ 100.0% · p99 30ms · no failed call | ❌ 13.8% · p99 20ms · not recovered |',
    );
    expect(md).toContain('| failure mode | a | b\\|x |');
    expect(md).toContain('| **survived** | **1/2** | **0/2** |');
    expect(md).toContain('kill × b\\|x: failover-within: below 0.95');
    const html = renderScorecardHtml(cells, meta);
    expect(html).toContain('&lt;b&gt;theirs&lt;/b&gt;');
    expect(html).not.toContain('<b>theirs</b>');
    expect(html).toMatch(/<td class="fail" title="failover-within: below 0.95">❌ 13.8%/);
  });
});
