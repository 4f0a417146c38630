/**
 * The production connection factory and classifier, from connection/. The connection's events are already
 * ManagerEvents of type `connection`; they are passed on as notices (the manager restamps nothing).
 */
import { classifyError, createConnection } from '../connection/index.js';
import type { ConnectionFactory, ErrorClassifier } from './managed-connection.js';

export function defaultConnectionFactory(): ConnectionFactory {
  return (spec, options) =>
    createConnection(
      {
        id: spec.id,
        transport: spec.transport,
        ...(spec.url !== undefined ? { url: spec.url } : {}),
        ...(spec.headers !== undefined ? { headers: spec.headers } : {}),
        ...(spec.command !== undefined ? { command: spec.command } : {}),
        ...(spec.env !== undefined ? { env: spec.env } : {}),
        ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
        restart: spec.restart,
      },
      {
        clock: options.clock,
        maxSockets: options.maxSockets,
        clientName: options.clientName,
        ...(options.inputCapabilities !== undefined ? { inputCapabilities: options.inputCapabilities } : {}),
        ...(options.legacyCapabilities !== undefined
          ? { legacyCapabilities: options.legacyCapabilities }
          : {}),
        ...(options.legacyRoots !== undefined ? { legacyRoots: options.legacyRoots } : {}),
        ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
        ...(options.maxResponseBytes !== undefined ? { maxResponseBytes: options.maxResponseBytes } : {}),
        ...(options.protocol !== undefined ? { protocol: options.protocol } : {}),
        ...(options.firstConnectTimeoutMs !== undefined
          ? { firstConnectTimeoutMs: options.firstConnectTimeoutMs }
          : {}),
        onEvent: ({ type: _type, t: _t, endpoint: _endpoint, ...notice }) => options.onNotice(notice),
        ...(options.onServerNotification ? { onServerNotification: options.onServerNotification } : {}),
      },
    );
}

export function defaultClassifier(): ErrorClassifier {
  return classifyError;
}
