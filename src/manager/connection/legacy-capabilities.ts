/**
 * Checking `ManagerOptions.legacyCapabilities` before anything connects: each capability stands on its
 * own (`{elicitation: {}}` alone is fine), a name the 2025 client capabilities do not have is a typo, and
 * whatever the SDK itself refuses when a client declares them and the relay installs its handlers is a
 * configuration error naming the field — never a connect failure on every endpoint, counted by breakers.
 */
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { ChaosError, errorMessage } from '../../core/errors.js';
import { ServerRequestRelay } from './server-request-relay.js';

/** The client capabilities of the 2025-11-25 schema. */
export const LEGACY_CLIENT_CAPABILITIES = [
  'sampling',
  'elicitation',
  'roots',
  'experimental',
  'tasks',
] as const;

/** Throws ChaosError INVALID_CONFIG naming `legacyCapabilities.<name>` unless `caps` is usable. */
export function checkLegacyCapabilities(caps: unknown): void {
  const field = 'legacyCapabilities';
  if (caps === undefined) return;
  if (caps === null || typeof caps !== 'object' || Array.isArray(caps))
    throw new ChaosError(
      'INVALID_CONFIG',
      `${field}: expected an object of capabilities, got ${typeof caps}`,
    );
  const problems: string[] = [];
  for (const [name, value] of Object.entries(caps)) {
    if (!(LEGACY_CLIENT_CAPABILITIES as readonly string[]).includes(name))
      problems.push(
        `${field}.${name}: not a client capability (known: ${LEGACY_CLIENT_CAPABILITIES.join(', ')})`,
      );
    else if (value === null || typeof value !== 'object' || Array.isArray(value))
      problems.push(`${field}.${name}: expected an object (e.g. {}), got ${JSON.stringify(value)}`);
  }
  if (problems.length === 0) {
    try {
      const client = new LegacyClient({ name: 'check', version: '0' }, { capabilities: caps as never });
      new ServerRequestRelay().install(client, 'check', caps as Record<string, unknown>);
    } catch (e) {
      problems.push(`${field}: the MCP SDK refuses it: ${errorMessage(e)}`);
    }
  }
  if (problems.length > 0)
    throw new ChaosError('INVALID_CONFIG', `invalid ${field}:\n  ${problems.join('\n  ')}`, {
      details: { problems },
    });
}
