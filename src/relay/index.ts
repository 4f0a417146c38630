export { corruptJson, endOfEvent, MAX_SHAPED_BODY } from './actions/index.js';
export { FaultSelector } from './fault-selector.js';
export {
  type HttpRelay,
  type HttpRelayOptions,
  MAX_RELAY_REQUEST_BYTES,
  startHttpRelay,
} from './http-relay.js';
export { LineSplitter, MAX_LINE_BYTES } from './line-splitter.js';
export {
  describeMcpAction,
  MCP_FAULT_ACTIONS,
  type McpAction,
  type McpActionKind,
  type McpFault,
  type McpMatch,
  validateMcpFault,
} from './mcp-fault.js';
export { RelayLog, type RelayRecord } from './relay-log.js';
export { type RequestInfo, requestInfo } from './request-info.js';
export { stdioBridgeCommand } from './stdio-bridge.js';
export { HTTP_ONLY_ACTIONS } from './stdio-lines.js';
export { type StdioRelay, type StdioRelayOptions, startStdioRelay } from './stdio-relay.js';
