/** Reports: pure renderers from a {@link Journal} to JSON, JUnit XML, Markdown and self-contained HTML. */
export {
  type CheckKind,
  type CollectOptions,
  collectChecks,
  failedChecksLines,
  type ReportCheck,
  violationLine,
} from './checks.js';
export { escapeHtml, escapeMarkdown, escapeXmlAttr, escapeXmlText } from './escape.js';
export { harnessLines, INCONCLUSIVE_ADVICE } from './harness-text.js';
export { renderHtml } from './html-report.js';
export { type IndexEntry, renderIndex } from './index-page.js';
export { renderJson } from './json-report.js';
export { renderJunit, renderJunitForRun } from './junit-report.js';
export { type MarkdownOptions, renderMarkdown } from './markdown-report.js';
export { journalProblems, parseJournal } from './parse-journal.js';
export { reportDirName, scenarioSlug } from './report-dir-name.js';
export {
  cellText,
  renderScorecardHtml,
  renderScorecardMarkdown,
  type ScorecardMeta,
} from './scorecard-report.js';
export { renderTimelineSvg } from './timeline-chart.js';
