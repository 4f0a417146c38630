/**
 * Telling when a request died on a stale keep-alive socket — one the server had already closed (e.g. it
 * restarted) before it read our request — so that it can be sent again, once, on a fresh connection.
 *
 * A pooled socket whose server went away is only noticed when its FIN or RST arrives; a request written
 * on it in the meantime fails with `UND_ERR_SOCKET` ("other side closed") or `ECONNRESET`/`EPIPE`, and
 * undici does not retry a POST. The request is judged to have died that way — the close was already on
 * its way before the request was written, like Go's `errServerClosedIdle` — when all of these hold:
 * - the socket is a reused one: at least one earlier request was sent on it (it sat answered and idle
 *   in the pool when ours was written);
 * - not one byte arrived on it after our request head was written (no partial answer);
 * - the close was seen in the FIRST poll phase after the write. undici writes on a reused socket from a
 *   check-phase callback (its idle-socket validation), and a check-phase callback scheduled at the write
 *   runs right after the next poll phase; a close seen before it was pending when we wrote. A server
 *   (or proxy) that reads the request and then closes needs that poll phase to read it, so its close is
 *   seen in a later one (for a server in another process: unless our loop stalled for longer than its
 *   round trip right after the write).
 * The fetch wrapper retries only on a fresh connection and, if that one fails too, reports the ORIGINAL
 * error (never a "refused" that would claim the request was not sent).
 *
 * Mechanism: our request agents connect through {@link trackingConnector}, which remembers each socket's
 * `bytesRead` whenever undici writes a request head on it (diagnostics channel
 * `undici:client:sendHeaders`) and, when the socket errors, marks the error object if the rule above
 * holds. undici fails the request with that same error object (as the `cause` of fetch's TypeError).
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import { afterIo } from '../../core/after-io.js';

interface SocketState {
  /** Request heads written on the socket. */
  sends: number;
  /** `socket.bytesRead` when the last request head was written. */
  readAtSend: number;
  /** A poll phase has run since the last request head was written. */
  polled: boolean;
}

const states = new WeakMap<object, SocketState>();
const staleErrors = new WeakSet<object>();
let subscribed = false;

function onSendHeaders(message: unknown): void {
  const socket = (message as { socket?: Socket } | undefined)?.socket;
  if (socket === undefined) return;
  const st = states.get(socket);
  if (st === undefined) return;
  st.sends++;
  st.readAtSend = socket.bytesRead;
  st.polled = false;
  if (st.sends >= 2) afterIo(afterFirstPoll, st, st.sends);
}

function afterFirstPoll(st: SocketState, sends: number): void {
  if (st.sends === sends) st.polled = true;
}

function track(socket: Socket): void {
  const st: SocketState = { sends: 0, readAtSend: 0, polled: false };
  states.set(socket, st);
  socket.on('error', (err: unknown) => {
    const stale = st.sends >= 2 && !st.polled && socket.bytesRead === st.readAtSend;
    if (stale && err !== null && typeof err === 'object') staleErrors.add(err);
  });
}

/** An undici `connect` function (undici's default connector) that tracks the sockets it opens. */
export function trackingConnector(): buildConnector.connector {
  if (!subscribed) {
    subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  const connect = buildConnector({});
  return (options, callback) =>
    connect(options, (err, socket) => {
      if (socket) track(socket as Socket);
      // undici's callback type is a union of (err, null) and (null, socket)
      (callback as (e: Error | null, s: typeof socket) => void)(err, socket);
    });
}

/**
 * Whether a failed fetch died on a reused keep-alive socket of a tracked agent before one byte of its
 * answer arrived (see the module comment). Looks along the `cause` chain.
 */
export function diedOnStaleSocket(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur !== null && typeof cur === 'object'; depth++) {
    if (staleErrors.has(cur)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
