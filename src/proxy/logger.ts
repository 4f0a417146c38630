/** The part of a pino logger the proxy uses; pass a pino instance, or anything with these methods. */
export interface ProxyLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

const noop = () => {};

/** Discards everything (the default). */
export const silentLogger: ProxyLogger = { debug: noop, info: noop, warn: noop, error: noop };
