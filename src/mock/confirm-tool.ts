/**
 * `confirm {action}`: a 2026-07-28 multi-round-trip tool, served by the modern mocks only (the 2025 era
 * has no `input_required`). The first call answers `input_required` with an elicitation (`confirm:
 * boolean`) and a `requestState` naming the action; the retry carrying `inputResponses.confirm` and that
 * state answers `confirmed <action>` or `declined <action>`. The state is self-contained, so any replica
 * of the server can finish a call another one started. It is not integrity-protected (a mock is no
 * security boundary): a state that does not decode, or names another action, is a tool error.
 */

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';

export const CONFIRM_TOOL = 'confirm';

const STATE_PREFIX = 'mcp-chaos-confirm:';
const confirmationSchema = z.object({ confirm: z.boolean() });

export const CONFIRM_TOOL_SHAPE = { action: z.string().min(1).max(200) };

export interface ConfirmRound {
  inputResponses?: Record<string, unknown> | undefined;
  requestState: () => unknown;
}

/** One round of `confirm`: the `input_required` answer, or the outcome once the confirmation came. */
export function confirmRound(
  action: string,
  round: ConfirmRound,
): CallToolResult | ReturnType<typeof inputRequired> {
  const state = round.requestState();
  if (state === undefined) {
    return inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({ message: `Confirm ${action}?`, requestedSchema: confirmationSchema }),
      },
      requestState: STATE_PREFIX + Buffer.from(JSON.stringify({ action })).toString('base64url'),
    });
  }
  if (decodeAction(state) !== action)
    return {
      content: [{ type: 'text', text: `requestState does not belong to confirm "${action}"` }],
      isError: true,
    };
  const answer = acceptedContent(round.inputResponses, 'confirm');
  const yes = answer?.confirm === true;
  return { content: [{ type: 'text', text: `${yes ? 'confirmed' : 'declined'} ${action}` }] };
}

function decodeAction(state: unknown): string | undefined {
  if (typeof state !== 'string' || !state.startsWith(STATE_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(state.slice(STATE_PREFIX.length), 'base64url').toString('utf8'));
    return typeof parsed?.action === 'string' ? parsed.action : undefined;
  } catch {
    return undefined;
  }
}
