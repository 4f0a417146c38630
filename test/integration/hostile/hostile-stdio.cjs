// A stdio MCP server that answers initialize properly, then tools/call the way argv[2] says:
//   garbage       non-JSON lines and stray JSON before each proper answer
//   partial       half an answer line, never finished
//   huge-line     a line of argv[3] MB, never ended by a newline
//   stderr-flood  argv[3] MB on stderr, then the proper answer
//   random        argv[3] random bytes (seeded by argv[4]) then, every other call, the proper answer
let buf = '';
const mode = process.argv[2];
const size = Number(process.argv[3] ?? 0);
let seed = Number(process.argv[4] ?? 1) >>> 0;
let calls = 0;
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed;
};
const line = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const bigWrite = (stream, bytes, then) => {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let left = bytes;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!stream.write(chunk.subarray(0, n))) return stream.once('drain', pump);
    }
    then?.();
  };
  pump();
};
process.stdin.on('data', (d) => {
  buf += d.toString();
  for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
    const msg = JSON.parse(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (msg.id === undefined || msg.method === undefined) continue;
    if (msg.method === 'initialize') {
      const result = {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'hostile-stdio', version: '1.0.0' },
      };
      line({ jsonrpc: '2.0', id: msg.id, result });
      continue;
    }
    if (msg.method !== 'tools/call') {
      line({ jsonrpc: '2.0', id: msg.id, result: {} });
      continue;
    }
    calls++;
    const ok = { jsonrpc: '2.0', id: msg.id, result: { content: [{ type: 'text', text: 'ok' }] } };
    if (mode === 'garbage') {
      process.stdout.write(
        'this is not json\n{"half": \n[1,2,3]\n{"jsonrpc":"2.0","id":"nobody","result":{}}\n\n',
      );
      line(ok);
    } else if (mode === 'partial') {
      process.stdout.write(JSON.stringify(ok).slice(0, 20));
    } else if (mode === 'huge-line') {
      process.stdout.write('{"jsonrpc":"2.0","id":');
      bigWrite(process.stdout, size * 1024 * 1024);
    } else if (mode === 'stderr-flood') {
      bigWrite(process.stderr, size * 1024 * 1024, () => line(ok));
    } else if (mode === 'random') {
      const bytes = Buffer.alloc(size);
      for (let k = 0; k < size; k++) bytes[k] = rand() & 0xff;
      process.stdout.write(bytes);
      if (calls % 2 === 0) process.stdout.write(`\n${JSON.stringify(ok)}\n`);
    }
  }
});
