import { describe, expect, it } from 'vitest';
import {
  appendStepSummary,
  type ReportFs,
  updateIndex,
  writeReports,
  writeRunJunit,
} from '../../../src/cli/write-reports.js';
import { parseJournal, reportDirName } from '../../../src/report/index.js';
import { makeJournal } from './fixture-journal.js';

/** An in-memory file system: path → content; folders are implied by mkdir. */
class MemFs implements ReportFs {
  files = new Map<string, string>();
  dirs = new Set<string>(['/']);
  async mkdir(path: string) {
    let p = path;
    while (p && p !== '/') {
      this.dirs.add(p);
      p = p.slice(0, p.lastIndexOf('/')) || '/';
    }
  }
  async writeFile(path: string, data: string) {
    this.files.set(path, data);
  }
  async appendFile(path: string, data: string) {
    this.files.set(path, (this.files.get(path) ?? '') + data);
  }
  async readFile(path: string) {
    const v = this.files.get(path);
    if (v === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return v;
  }
  async readdir(path: string) {
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(`${path}/`)) names.add(p.slice(path.length + 1).split('/')[0] as string);
    }
    return [...names];
  }
  async stat(path: string) {
    const v = this.files.get(path);
    if (v === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    return { size: Buffer.byteLength(v), isDirectory: () => false };
  }
}

describe('writeReports', () => {
  it('writes the four files and appends the summary to the step summary file', async () => {
    const fs = new MemFs();
    const j = makeJournal();
    const dir = `/reports/${reportDirName(j)}`;
    const { files } = await writeReports(j, dir, { fs, stepSummaryPath: '/summary.md' });
    expect(files).toEqual(
      ['journal.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => `${dir}/${f}`),
    );
    expect(parseJournal(fs.files.get(`${dir}/journal.json`) ?? '')).toEqual(j);
    expect(fs.files.get(`${dir}/junit.xml`)).toContain('<testsuites');
    expect(fs.files.get(`${dir}/report.html`)).toContain('id="timeline-chart"');
    expect(fs.files.get('/summary.md')).toContain('## ❌ DEVIATED — replica-blackholed-fails-over');
  });

  it('does not touch a step summary when none is configured', async () => {
    const fs = new MemFs();
    await writeReports(makeJournal(), '/r/x', { fs, stepSummaryPath: null });
    expect([...fs.files.keys()].filter((k) => !k.startsWith('/r/x/'))).toEqual([]);
  });

  it('appendStepSummary keeps the file under GitHub’s 1 MiB limit, falling back to one line', async () => {
    const fs = new MemFs();
    fs.files.set('/s.md', 'x'.repeat(1000 * 1024 - 500));
    expect(await appendStepSummary('y'.repeat(1000), '/s.md', { fs, fallback: '- deviated: a' })).toBe(false);
    expect(fs.files.get('/s.md')?.endsWith('- deviated: a — full report in the artifact\n')).toBe(true);
    const size = Buffer.byteLength(fs.files.get('/s.md') ?? '');
    expect(size).toBeLessThanOrEqual(1000 * 1024);
    fs.files.set('/s.md', 'x'.repeat(1000 * 1024 - 2));
    await appendStepSummary('y', '/s.md', { fs });
    expect(Buffer.byteLength(fs.files.get('/s.md') ?? '')).toBe(1000 * 1024 - 2);
    expect(await appendStepSummary('hello', '/new.md', { fs })).toBe(true);
    expect(fs.files.get('/new.md')).toBe('hello\n\n');
  });
});

describe('updateIndex', () => {
  it('lists every reports/*/journal.json, skipping unreadable ones', async () => {
    const fs = new MemFs();
    const a = makeJournal();
    const b = makeJournal({
      scenario: { name: 'second' },
      startedAt: '2026-11-24T03:00:00.000Z',
      verdict: 'passed',
    });
    await writeReports(a, `/reports/${reportDirName(a)}`, { fs, stepSummaryPath: null });
    await writeReports(b, `/reports/${reportDirName(b)}`, { fs, stepSummaryPath: null });
    fs.files.set('/reports/broken/journal.json', '{nope');
    fs.files.set('/reports/README.md', '# reports');
    const { file, runs } = await updateIndex('/reports', { fs });
    expect(file).toBe('/reports/index.html');
    expect(runs.map((r) => r.scenario).sort()).toEqual(['replica-blackholed-fails-over', 'second']);
    expect(runs.find((r) => r.scenario === 'second')).toEqual({
      dir: reportDirName(b),
      scenario: 'second',
      verdict: 'passed',
      startedAt: '2026-11-24T03:00:00.000Z',
      seed: 7,
    });
    const html = fs.files.get('/reports/index.html') ?? '';
    expect(html).toContain(`href="${reportDirName(b)}/report.html"`);
    expect(html).toContain('2 run(s), 1 passed');
  });

  it('writeRunJunit writes one file for a whole run', async () => {
    const fs = new MemFs();
    await writeRunJunit([makeJournal(), makeJournal({ scenario: { name: 'b' } })], '/reports/junit.xml', {
      fs,
    });
    expect(fs.files.get('/reports/junit.xml')?.split('<testsuite ').length).toBe(3);
  });
});
