// A stdio MCP server that answers initialize and one tools/call, then dies: the crash-loop case (the
// successful call resets the connection's failure count, which alone never let the backoff grow).
let buf = '';
process.stdin.on('data', (d) => {
  buf += d.toString();
  for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const msg = JSON.parse(line);
    if (msg.method === 'initialize') {
      const result = {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'crashy', version: '1.0.0' },
      };
      process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result })}\n`);
    } else if (msg.method === 'tools/call') {
      const result = { content: [{ type: 'text', text: 'ok' }] };
      process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result })}\n`, () =>
        process.exit(3),
      );
    } else if (msg.id !== undefined) {
      process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: {} })}\n`);
    }
  }
});
