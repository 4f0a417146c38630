export { corruptJson, endOfEvent, MAX_SHAPED_BODY } from './actions/index.js';
export { FaultSelector } from './fault-selector.js';
export {
  type HttpRelay,
  type HttpRelayOptions,
  MAX_RELAY_REQUEST_BYTES,
  startHttpRelay,
} from './http-relay.js';
export {
  ANSWERING_ACTIONS,
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
