export {
  bigText,
  createMockMcpServer,
  MAX_BIG_BYTES,
  MAX_SLEEP_MS,
  MOCK_TOOL_NAMES,
} from './create-mock-mcp-server.js';
export { CALL_META_KEY, type Execution, ExecutionLog, MAX_EXECUTIONS } from './execution-log.js';
export {
  type MockServerHandle,
  type MockServerStats,
  type StartMockServerOptions,
  startMockServer,
} from './http-mock-server.js';
export { createLatencySampler, standardNormal } from './latency-sampler.js';
export { MockBehaviour, type MockBehaviourOptions, type ToolCallVerdict } from './mock-behaviour.js';
export { MOCK_READY_PREFIX, mockServerCommand, mockServerFlags, parseMockReadyLine } from './mock-command.js';
export {
  type LatencySpec,
  MOCK_PROTOCOLS,
  type MockBehaviourSettings,
  type MockBehaviourUpdate,
  type MockProtocol,
  type MockServerSpec,
  type ResolvedMockServerSpec,
  resolveBehaviour,
  resolveMockServerSpec,
} from './mock-server-spec.js';
export { type MockRuntimeTool, RuntimeTools, validateRuntimeTool } from './runtime-tools.js';
export {
  type StdioMockServerHandle,
  type StdioMockServerOptions,
  startStdioMockServer,
} from './stdio-mock-server.js';
