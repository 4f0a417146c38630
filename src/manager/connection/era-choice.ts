/**
 * Which era a connection opens its next session in (protocol-era.ts says what the eras are).
 * - `legacy` / `modern`: that era only; a server that does not speak it fails the connect with
 *   PROTOCOL_VERSION (class `protocol`: never retried, never counted by the breaker), naming what it supports.
 * - `auto`: 2026-07-28 first (the v2 client's pinned `server/discover` probe); a server that definitely does
 *   not speak it (the probe's era verdict) gets the 2025 `initialize` instead. The era found is kept, so a
 *   restart or reconnect goes straight to it (no probe, and no throwaway process on stdio); it is decided
 *   again when the kept era stops working with a version mismatch (the endpoint was redeployed in the other
 *   era), or on a session that the server no longer knows.
 */
import {
  isNotModernVerdict,
  type ProtocolEra,
  type ProtocolMode,
  protocolVersionError,
  versionMismatchOf,
} from './protocol-era.js';

export class EraChoice {
  private known: ProtocolEra | undefined;

  /**
   * @param mode the `protocol` setting
   * @param onEra called when the era in use is found or changes
   */
  constructor(
    readonly mode: ProtocolMode,
    private readonly endpoint: string,
    private readonly onEra: (era: ProtocolEra, previous: ProtocolEra | undefined) => void,
  ) {
    if (mode !== 'auto') this.known = mode;
  }

  /** The era of the current (or last) session; undefined before the first one in `auto`. */
  get era(): ProtocolEra | undefined {
    return this.known;
  }

  /** Forget the kept era (auto only): the next session probes again. */
  forget(): void {
    if (this.mode === 'auto') this.known = undefined;
  }

  /** Opens a session in the right era. `aborted()` tells whether the connect's own deadline or cancel ended it. */
  async open<S>(
    openModern: () => Promise<S>,
    openLegacy: () => Promise<S>,
    aborted: () => boolean,
  ): Promise<S> {
    if (this.mode !== 'auto') {
      try {
        return await (this.mode === 'modern' ? openModern() : openLegacy());
      } catch (e) {
        throw this.mismatch(e, this.mode, aborted);
      }
    }
    if (this.known === 'legacy') {
      try {
        return await openLegacy();
      } catch (e) {
        if (aborted() || !versionMismatchOf(e)) throw e;
        this.known = undefined; // redeployed modern-only: probe below
      }
    }
    try {
      const s = await openModern();
      this.use('modern');
      return s;
    } catch (e) {
      if (aborted() || !isNotModernVerdict(e)) throw e;
    }
    try {
      const s = await openLegacy();
      this.use('legacy');
      return s;
    } catch (e) {
      throw this.mismatch(e, 'auto', aborted);
    }
  }

  private use(era: ProtocolEra): void {
    const previous = this.known;
    this.known = era;
    if (previous !== era) this.onEra(era, previous);
  }

  private mismatch(e: unknown, tried: ProtocolEra | 'auto', aborted: () => boolean): unknown {
    if (aborted()) return e;
    const m = versionMismatchOf(e);
    return m ? protocolVersionError(this.endpoint, 'connect', m, e, tried) : e;
  }
}
