// A flooding client for the gateway fairness bench, run as its own process (its CPU is not the measured
// client's): `node flooder.mjs URL TOKEN KIND CONCURRENCY MS` with KIND tools-list | tools-call |
// slow-calls (a 2 s tool) | unauth.
// Sends as fast as the gateway answers (429s included: that is "at its maximum") and prints
// {"sent":N,"ok":N,"limited":N,"other":N} on exit.
const [url, token, kind, concurrency, ms] = process.argv.slice(2);
const headers = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${kind === 'unauth' ? 'wrong-token-0123456789abcdef' : token}`,
};
const post = (body, extra = {}) =>
  fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
let session = {};
if (kind !== 'unauth') {
  const r = await post({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'flood', version: '1' } },
  });
  await r.text();
  session = { 'mcp-session-id': r.headers.get('mcp-session-id'), 'mcp-protocol-version': '2025-11-25' };
  await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
}
const body =
  kind === 'tools-call'
    ? {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'bench__echo', arguments: { message: 'x' } },
      }
    : { jsonrpc: '2.0', id: 1, method: kind === 'unauth' ? 'initialize' : 'tools/list', params: {} };
const counts = { sent: 0, ok: 0, limited: 0, other: 0 };
let nextId = 1;
const end = performance.now() + Number(ms);
await Promise.all(
  Array.from({ length: Number(concurrency) }, async () => {
    while (performance.now() < end) {
      counts.sent++;
      try {
        const r = await post({ ...body, id: nextId++ }, session);
        await r.arrayBuffer();
        if (r.status === 200) counts.ok++;
        else if (r.status === 429) counts.limited++;
        else counts.other++;
      } catch {
        counts.other++;
      }
    }
  }),
);
process.stdout.write(`${JSON.stringify(counts)}\n`);
