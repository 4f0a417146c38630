/**
 * What the gateway logs through: pino's shape (`log.info(obj, msg)`), so a pino logger fits as it is.
 * Never given a token or a request body.
 */
export interface GatewayLog {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/** A log that drops everything. */
export const silentLog: GatewayLog = { debug() {}, info() {}, warn() {}, error() {} };
