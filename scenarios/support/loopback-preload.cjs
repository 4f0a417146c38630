// Keeps a server on loopback: `node --require ./loopback-preload.cjs server.js`.
// Servers such as @modelcontextprotocol/server-everything call `listen(port)` without a host, which binds
// every interface. This preload rewrites a listen with no host (or a wildcard host) to 127.0.0.1.
'use strict';
const net = require('node:net');

const WILDCARD = new Set([undefined, null, '', '0.0.0.0', '::', '[::]']);
const original = net.Server.prototype.listen;

net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen({port, host, ...}, cb?)
    if (
      first.path === undefined &&
      first.fd === undefined &&
      first.handle === undefined &&
      WILDCARD.has(first.host)
    ) {
      args[0] = { ...first, host: '127.0.0.1' };
    }
    return original.apply(this, args);
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port, [host], [backlog], [cb])
    const second = args[1];
    if (typeof second === 'string' || second === undefined || second === null) {
      if (WILDCARD.has(second)) args[1] = '127.0.0.1';
    } else {
      // listen(port, backlog?, cb?) or listen(port, cb): insert the host
      args.splice(1, 0, '127.0.0.1');
    }
    return original.apply(this, args);
  }
  return original.apply(this, args);
};
