/**
 * What the manager spawns in place of a relayed stdio server: a few lines of Node (run with `-e`, no file,
 * so it starts in tens of milliseconds) that join their stdin and stdout to a TCP connection — the stdio
 * server's Toxiproxy proxy, behind which the stdio relay runs the real server. It exits when the
 * connection closes (so the manager sees the server go and restarts it), and closes the connection when
 * stdin ends.
 */
const BRIDGE = [
  "const net = require('node:net');",
  'const p = process;',
  'const s = net.connect(Number(p.argv[2]), p.argv[1]);',
  's.setNoDelay(true);',
  'p.stdin.pipe(s);',
  's.pipe(p.stdout);',
  "s.on('error', () => p.exit(1));",
  "s.on('close', () => p.exit(0));",
].join('\n');

/** argv of a bridge to `host:port`. */
export function stdioBridgeCommand(host: string, port: number): string[] {
  return [process.execPath, '-e', BRIDGE, host, String(port)];
}
