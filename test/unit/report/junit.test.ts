import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit, renderJunitForRun } from '../../../src/report/index.js';
import { makeJournal, makeViolations } from './fixture-journal.js';
import { childrenNamed, parseXml, type XmlElement } from './mini-xml.js';

function only(el: XmlElement, name: string): XmlElement {
  const found = childrenNamed(el, name);
  expect(found, `<${el.name}> should have exactly one <${name}>`).toHaveLength(1);
  return found[0] as XmlElement;
}

function props(suite: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of childrenNamed(only(suite, 'properties'), 'property'))
    out[p.attrs.name ?? ''] = p.attrs.value ?? '';
  return out;
}

describe('renderJunit', () => {
  it('has testsuites → testsuite → one testcase per check, with properties and seconds', () => {
    const j = makeJournal();
    const root = parseXml(renderJunit(j));
    expect(root.name).toBe('testsuites');
    const suite = only(root, 'testsuite');
    const cases = childrenNamed(suite, 'testcase');
    const expected =
      j.steadyState.before.length +
      j.steadyState.after.length +
      j.invariants.length +
      j.thresholds.length +
      1;
    expect(cases).toHaveLength(expected);
    expect(suite.attrs.tests).toBe(String(expected));
    expect(root.attrs.tests).toBe(String(expected));
    expect(suite.attrs.failures).toBe('1');
    expect(suite.attrs.errors).toBe('0');
    expect(suite.attrs.name).toBe(j.scenario.name);
    expect(suite.attrs.time).toBe('15.250'); // 02:00:00.000 → 02:00:15.250
    expect(cases.map((c) => c.attrs.name)).toEqual([
      'steady state before: availability >= 0.99 over 2s',
      'no-lost-calls',
      'breaker-rejects-while-open',
      'half-open-trial-limit',
      'health-detects-within',
      'availability >= 0.97',
      'p(95) < 100ms after recovery',
      'steady state after: availability >= 0.99 over 2s',
      'rollback',
    ]);
    for (const c of cases) expect(c.attrs.time).toMatch(/^\d+\.\d{3}$/);

    const p = props(suite);
    expect(p.seed).toBe('7');
    expect(p.replay).toBe(j.replay);
    expect(p.toxiproxyUrl).toBe('http://127.0.0.1:8474');
    expect(p['version.mcpChaos']).toBe('0.1.0');
    expect(p['version.node']).toBe('v20.19.0');
    expect(p['version.sdk']).toBe('1.32.2');
    expect(p['version.toxiproxy']).toBe('2.12.0');

    const failed = cases.filter((c) => childrenNamed(c, 'failure').length > 0);
    expect(failed.map((c) => c.attrs.name)).toEqual(['health-detects-within']);
    const failure = only(failed[0] as XmlElement, 'failure');
    expect(failure.attrs.type).toBe('invariant');
    expect(failure.attrs.message).toContain('2 violations');
    expect(failure.attrs.message).toContain('marked unhealthy 1020ms');
    expect(failure.text).toContain('t=3.00s weather[0]: weather[0] marked unhealthy 1021ms');
  });

  it('marks failed thresholds, steady state and rollback, and reports run errors as <error>', () => {
    const j = makeJournal({
      verdict: 'infrastructure-error',
      exitCode: 3,
      thresholds: [
        { expression: 'p(99) < 250ms', held: false, actual: '961ms over [0s, 12s]', failedAtT: 3250 },
      ],
      steadyState: {
        before: [{ expression: 'availability >= 0.99 over 2s', held: false, actual: '0.5' }],
        after: [],
      },
      rollback: { ok: false, actions: [], errors: ['could not remove toxic blackhole-0: ECONNREFUSED'] },
      errors: ['toxiproxy at http://127.0.0.1:8474 unreachable'],
    });
    const suite = only(parseXml(renderJunit(j)), 'testsuite');
    const byName = new Map(childrenNamed(suite, 'testcase').map((c) => [c.attrs.name, c]));
    const threshold = only(byName.get('p(99) < 250ms') as XmlElement, 'failure');
    expect(threshold.attrs.type).toBe('threshold');
    expect(threshold.attrs.message).toContain('961ms');
    expect(threshold.attrs.message).toContain('t=3.25s');
    expect(
      only(byName.get('steady state before: availability >= 0.99 over 2s') as XmlElement, 'failure').attrs
        .type,
    ).toBe('steady-state');
    expect(only(byName.get('rollback') as XmlElement, 'failure').text).toContain('ECONNREFUSED');
    const infra = only(byName.get('infrastructure') as XmlElement, 'error');
    expect(infra.attrs.message).toContain('unreachable');
    expect(suite.attrs.failures).toBe('4'); // health-detects-within, threshold, steady state, rollback
    expect(suite.attrs.errors).toBe('1');
  });

  it('escapes <&"\' and control characters in names, messages and properties', () => {
    const nasty = `a<b>&"c'd]]>\u0001\u001b[31m\ttab\nline`;
    const j = makeJournal({
      scenario: { name: nasty },
      replay: `mcp-chaos run "x&y" --seed 7 <in`,
      invariants: [
        {
          name: `inv-${nasty}`,
          held: false,
          params: {},
          violations: [{ message: nasty, t: 1, events: [] }],
          violationCount: 1,
          summary: nasty,
        },
      ],
    });
    const xml = renderJunit(j);
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const root = parseXml(xml);
    const suite = only(root, 'testsuite');
    const shown = `a<b>&"c'd]]>\\u0001\\u001b[31m\ttab\nline`;
    expect(suite.attrs.name).toBe(shown);
    expect(props(suite).replay).toBe(j.replay);
    const tc = childrenNamed(suite, 'testcase').find((c) => c.attrs.name === `inv-${shown}`) as XmlElement;
    expect(tc).toBeDefined();
    expect(tc.attrs.classname).toMatch(/^mcp-chaos\.[A-Za-z0-9_.-]+$/);
    const failure = only(tc, 'failure');
    expect(failure.attrs.message).toContain(shown);
    expect(failure.text).toContain(`t=0.00s: ${shown}`);
  });

  it('bounds the violation list in a failure body and says how many were left out', () => {
    const j = makeJournal();
    const inv = j.invariants[3];
    if (!inv) throw new Error('fixture changed');
    inv.violations = makeViolations(500);
    inv.violationCount = 10_000;
    const suite = only(parseXml(renderJunit(j)), 'testsuite');
    const tc = childrenNamed(suite, 'testcase').find(
      (c) => c.attrs.name === 'health-detects-within',
    ) as XmlElement;
    const body = only(tc, 'failure').text;
    expect(body.split('\n').filter((l) => l.startsWith('t=')).length).toBe(50);
    expect(body).toContain('and 9950 more');
  });

  it('renderJunitForRun: one testsuite per scenario and summed totals', () => {
    const a = makeJournal();
    const b = makeJournal({ scenario: { name: 'second' }, verdict: 'passed', exitCode: 0, invariants: [] });
    const c = makeJournal({ scenario: { name: 'third' }, errors: ['boom'], verdict: 'infrastructure-error' });
    const root = parseXml(renderJunitForRun([a, b, c]));
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([a.scenario.name, 'second', 'third']);
    const total = suites.reduce((n, s) => n + childrenNamed(s, 'testcase').length, 0);
    expect(root.attrs.tests).toBe(String(total));
    expect(root.attrs.failures).toBe(String(suites.reduce((n, s) => n + Number(s.attrs.failures), 0)));
    expect(root.attrs.errors).toBe('1');
    expect(root.attrs.time).toBe('45.750');
    expect(parseXml(renderJunitForRun([])).children).toHaveLength(0);
  });

  // An optional second opinion; the strict parser above is the main check.
  it.skipIf(!existsSync('/usr/bin/xmllint'))('is accepted by xmllint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-'));
    const file = join(dir, 'junit.xml');
    writeFileSync(file, renderJunit(makeJournal({ scenario: { name: 'x<&"\u0002' } })));
    expect(() => execFileSync('/usr/bin/xmllint', ['--noout', file], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('parseXml (the checker itself)', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<a x="1<2"/>')).toThrow();
    expect(() => parseXml('<a>&bogus;</a>')).toThrow();
    expect(() => parseXml('<a>\u0001</a>')).toThrow();
    expect(() => parseXml('<a>&#1;</a>')).toThrow();
    expect(() => parseXml('<a/><b/>')).toThrow();
    expect(parseXml('<a x="&#10;&lt;">t&amp;</a>')).toMatchObject({ attrs: { x: '\n<' }, text: 't&' });
  });
});
