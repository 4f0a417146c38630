/** Option parsing shared by the commands. */
import { errorMessage } from '../core/index.js';
import { EXIT } from './exit-codes.js';

/** `--toxiproxy-url`, else `TOXIPROXY_URL`, checked to be a URL; undefined when neither is set. */
export function toxiproxyUrlOption(flag: string | undefined): string | undefined {
  const url = flag ?? process.env.TOXIPROXY_URL;
  if (!url) return undefined;
  try {
    new URL(url);
  } catch {
    throw new RangeError(`--toxiproxy-url is not a URL: "${url}"`);
  }
  return url;
}

/**
 * Parses a command's arguments: `help` prints the usage (exit 0), a bad flag prints the problem and the
 * usage to stderr (exit 2); otherwise the parsed value. Returns `{ exit }` when the command is done.
 */
export function parseOrUsage<T>(
  command: string,
  usage: string,
  parse: () => T | 'help',
): { value: T } | { exit: number } {
  let parsed: T | 'help';
  try {
    parsed = parse();
  } catch (e) {
    process.stderr.write(`mcp-chaos ${command}: ${errorMessage(e)}\n\n${usage}`);
    return { exit: EXIT.INVALID_INPUT };
  }
  if (parsed === 'help') {
    process.stdout.write(usage);
    return { exit: EXIT.OK };
  }
  return { value: parsed };
}

/** Whether `host` is a loopback address (localhost, 127.x.y.z, ::1). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** `20261204T071238Z`: a UTC time for folder names. */
export function timeStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `--time-scale`: a number > 0 (default 1); RangeError quoting a bad value. */
export function timeScaleOption(flag: string | undefined): number {
  if (flag === undefined) return 1;
  const f = Number(flag);
  if (!(f > 0) || !Number.isFinite(f)) throw new RangeError(`--time-scale must be > 0, got "${flag}"`);
  return f;
}
