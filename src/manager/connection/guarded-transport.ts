/**
 * A transport that puts an {@link InboundGuard} between the server and the SDK's Client: every inbound
 * message passes the guard before the Client sees it, and every answer the Client sends to a server
 * request frees its slot when the send settles. Everything else is the inner transport's (keep a
 * reference to it for transport specifics: session id, pid, stream resumption).
 */
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { InboundGuard } from './inbound-guard.js';

export class GuardedTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: Transport['onmessage'];

  /** @param onStarted runs once the inner transport has started (e.g. to watch a child's output). */
  constructor(
    readonly inner: Transport,
    private readonly guard: InboundGuard,
    private readonly onStarted?: () => void,
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  async start(): Promise<void> {
    this.inner.onclose = () => {
      this.guard.dispose();
      this.onclose?.();
    };
    this.inner.onerror = (e) => this.onerror?.(e);
    this.inner.onmessage = (message, extra) => {
      // Answers to our own requests (the hot path) go straight through; the guard sees the rest.
      if (typeof (message as { method?: unknown }).method !== 'string') this.onmessage?.(message, extra);
      else this.guard.receive(message, () => this.onmessage?.(message, extra));
    };
    await this.inner.start();
    this.onStarted?.();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const m = message as { id?: unknown; method?: unknown };
    if (m.method !== undefined || m.id === undefined) return this.inner.send(message, options);
    try {
      await this.inner.send(message, options);
    } finally {
      this.guard.answered(m.id);
    }
  }

  close(): Promise<void> {
    this.guard.dispose();
    return this.inner.close();
  }
}
