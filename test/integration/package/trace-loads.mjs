// Preload (`node --import`): records the URL of every module resolved, in `globalThis.__loaded`.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
globalThis.__loaded = [];
port1.on('message', (url) => globalThis.__loaded.push(url));
port1.unref();
register('./trace-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
