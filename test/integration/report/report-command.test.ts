/** `mcp-chaos report` end to end: one real CLI spawn, plus the error paths in-process. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as reportCommand } from '../../../src/cli/commands/report.js';
import { parseJournal, renderJson } from '../../../src/report/index.js';
import { makeJournal } from '../../unit/report/fixture-journal.js';
import { childrenNamed, parseXml } from '../../unit/report/mini-xml.js';

const exec = promisify(execFile);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mcp-chaos-report-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mcp-chaos report', () => {
  it('re-renders every report from a saved journal and refreshes the index (CLI spawn)', async () => {
    const journal = makeJournal();
    const src = join(root, 'saved.json');
    await writeFile(src, renderJson(journal));
    const out = join(root, 'reports', 'run-1');
    const env = { ...process.env };
    delete env.GITHUB_STEP_SUMMARY;
    const { stdout } = await exec('node_modules/.bin/tsx', ['src/cli/main.ts', 'report', src, '--out', out], {
      env,
      timeout: 60_000,
    });
    expect(stdout).toContain('verdict: deviated (seed 7)');
    expect(stdout).toContain(`wrote ${join(root, 'reports', 'index.html')} (1 run(s))`);
    expect(parseJournal(await readFile(join(out, 'journal.json'), 'utf8'))).toEqual(journal);
    const suites = childrenNamed(parseXml(await readFile(join(out, 'junit.xml'), 'utf8')), 'testsuite');
    expect(suites).toHaveLength(1);
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('❌ DEVIATED');
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('id="timeline-chart"');
    expect(await readFile(join(root, 'reports', 'index.html'), 'utf8')).toContain('href="run-1/report.html"');
  });

  it('--index only rebuilds <dir>/index.html from every <dir>/*/journal.json', async () => {
    const reports = join(root, 'index-only');
    for (const [i, name] of ['alpha', 'beta'].entries()) {
      await mkdir(join(reports, `run-${i}`), { recursive: true });
      await writeFile(
        join(reports, `run-${i}`, 'journal.json'),
        renderJson(makeJournal({ scenario: { name } })),
      );
    }
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await reportCommand(['--index', reports])).toBe(0);
    } finally {
      out.mockRestore();
    }
    const html = await readFile(join(reports, 'index.html'), 'utf8');
    expect(html).toContain('href="run-0/report.html"');
    expect(html).toContain('>beta</a>');
    await expect(readFile(join(reports, 'run-0', 'report.html'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  describe('bad input exits 2 with a clear message', () => {
    let stderr: string[];
    beforeAll(() => {
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        stderr.push(String(chunk));
        return true;
      });
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    });
    afterEach(() => {
      stderr = [];
    });
    afterAll(() => vi.restoreAllMocks());

    it.each([
      [
        'a missing file',
        async () => join(root, 'nope.json'),
        /cannot read journal .*nope\.json: no such file/,
      ],
      [
        'a directory',
        async () => {
          await mkdir(join(root, 'adir'), { recursive: true });
          return join(root, 'adir');
        },
        /cannot read journal .*adir: is a directory/,
      ],
      [
        'invalid JSON',
        async () => {
          await writeFile(join(root, 'bad.json'), '{"version": 1,');
          return join(root, 'bad.json');
        },
        /bad\.json is not valid JSON/,
      ],
      [
        'JSON that is not a journal',
        async () => {
          await writeFile(join(root, 'other.json'), '{"name": "package"}');
          return join(root, 'other.json');
        },
        /other\.json is not an mcp-chaos journal:\n {2}version: expected 1, got undefined/,
      ],
    ])('%s', async (_label, makePath, message) => {
      stderr = [];
      const code = await reportCommand([await makePath(), '--out', join(root, 'never')]);
      expect(code).toBe(2);
      expect(stderr.join('')).toMatch(message);
    });

    it('missing argument and unknown flags', async () => {
      stderr = [];
      expect(await reportCommand([])).toBe(2);
      expect(stderr.join('')).toContain('missing <journal.json>');
      stderr = [];
      expect(await reportCommand(['x.json', '--bogus'])).toBe(2);
      expect(stderr.join('')).toContain("Unknown option '--bogus'");
    });
  });
});
