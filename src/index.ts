/**
 * Package entry point (`import … from 'mcp-chaos'`): the manager library, the embedded proxy, mock
 * servers, the chaos pipeline and the report renderers.
 */

export type { History, HistoryEvent, Journal, Scenario } from './chaos/index.js';
export {
  checkInvariant,
  INVARIANTS,
  loadScenarioFile,
  parseScenario,
  planScenario,
  runScenario,
} from './chaos/index.js';
export * from './core/index.js';
export * from './manager/index.js';
export type { MockServerSpec } from './mock/index.js';
export { mockServerCommand, startMockServer, startStdioMockServer } from './mock/index.js';
export type { ProxyConfigEntry, ToxicConfigEntry } from './proxy/index.js';
export { startToxiproxy, TOXIPROXY_VERSION } from './proxy/index.js';
export { renderHtml, renderJunit, renderMarkdown } from './report/index.js';
