/**
 * MCP's two eras, as a connection sees them: 2026-07-28 (`modern`: no handshake, no session, `server/discover`)
 * and 2025 (`legacy`: `initialize`, sessions, `ping`). The `protocol` setting chooses: `modern` or `legacy`
 * only, or `auto` — 2026-07-28 where the endpoint speaks it, else 2025, decided again when the endpoint
 * says it no longer speaks the era in use. What tells the eras apart lives here.
 */
import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { ChaosError, truncateText } from '../../core/errors.js';
import type { PROTOCOL_MODES } from '../settings-kinds.js';
import { classifyError, httpStatusOf } from './classify-error.js';

export type ProtocolMode = (typeof PROTOCOL_MODES)[number];
export type ProtocolEra = 'modern' | 'legacy';

/** The revision each era speaks. */
export const ERA_VERSIONS: Readonly<Record<ProtocolEra, string>> = Object.freeze({
  modern: '2026-07-28',
  legacy: '2025-11-25',
});

/** JSON-RPC error code of "unsupported protocol version" (2026-07-28). */
export const UNSUPPORTED_VERSION_CODE = -32022;

export interface VersionMismatch {
  /** The versions the server says it supports (empty when it did not say). */
  supported: string[];
  /** What the server said, cut to 1 KiB. */
  said: string;
}

/**
 * Whether `e` says the server does not speak the version we used: a `-32022` answer (the body of an
 * HTTP 400 to a 2025 `initialize` sent to a modern-only server, or a JSON-RPC error), or the v2 client's
 * "the server did not offer 2026-07-28" verdict for a legacy server. Read along the `cause` chain.
 */
export function versionMismatchOf(e: unknown): VersionMismatch | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 6; depth++) {
    if (isNotModernVerdict(cur)) {
      return {
        supported: supportedOf((cur as { data?: unknown }).data),
        said: truncateText((cur as Error).message),
      };
    }
    const code = (cur as { code?: unknown }).code;
    if (code === UNSUPPORTED_VERSION_CODE) {
      return {
        supported: supportedOf((cur as { data?: unknown }).data),
        said: truncateText(String((cur as Error).message)),
      };
    }
    const msg = cur instanceof Error ? cur.message : '';
    if (msg.includes(String(UNSUPPORTED_VERSION_CODE))) {
      return { supported: supportedInText(msg), said: truncateText(msg) };
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A PROTOCOL_VERSION error (class `protocol`): the endpoint and we share no protocol version. */
export function protocolVersionError(
  endpoint: string,
  op: string,
  mismatch: VersionMismatch,
  cause?: unknown,
  tried?: ProtocolEra | 'auto',
): ChaosError {
  const offers = mismatch.supported.length ? mismatch.supported.join(', ') : 'not said';
  const speaks =
    tried === undefined
      ? ''
      : tried === 'auto'
        ? 'we speak 2026-07-28 and 2025-11-25, '
        : `we speak ${ERA_VERSIONS[tried]} (protocol: ${tried}), `;
  return new ChaosError(
    'PROTOCOL_VERSION',
    `${endpoint}: ${op}: no common protocol version: ${speaks}the server supports ${offers}`,
    {
      cause,
      details: { failureClass: 'protocol', endpoint, op, supported: mismatch.supported, said: mismatch.said },
    },
  );
}

/** The HTTP status of `e` when it is a v2 SdkHttpError. */
export function sdkHttpStatusOf(e: unknown): number | undefined {
  return e instanceof SdkHttpError && typeof e.status === 'number' ? e.status : undefined;
}

function supportedOf(data: unknown): string[] {
  const s = (data as { supported?: unknown; supportedVersions?: unknown } | undefined) ?? {};
  const list = Array.isArray(s.supported)
    ? s.supported
    : Array.isArray(s.supportedVersions)
      ? s.supportedVersions
      : [];
  return list.filter((v): v is string => typeof v === 'string').slice(0, 16);
}

function supportedInText(text: string): string[] {
  const m = /"supported(?:Versions)?"\s*:\s*\[([^\]]{0,512})\]/.exec(text);
  if (!m?.[1]) return [];
  return [...m[1].matchAll(/"([^"]{1,32})"/g)].map((x) => x[1] as string).slice(0, 16);
}

/**
 * The v2 client's verdict that a server does not speak 2026-07-28 (its pinned probe found no overlap) — not
 * when the probe met a 5xx or 429: that is the server failing, in whatever era.
 */
export function isNotModernVerdict(e: unknown): boolean {
  if (!(e instanceof SdkError) || e.code !== SdkErrorCode.EraNegotiationFailed) return false;
  const status = sdkHttpStatusOf(e);
  if (status !== undefined) return status < 500 && status !== 429;
  // "probe failed: fetch failed": the network, not the server, answered — no verdict
  const cause = (e as { cause?: unknown }).cause;
  if (cause === undefined || httpStatusOf(cause) !== undefined) return true;
  const cls = classifyError(cause);
  return cls !== 'connection' && cls !== 'timeout';
}
