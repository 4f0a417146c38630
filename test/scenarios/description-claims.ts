/**
 * What a shipped scenario's description claims its run shows — the breaker opening, outlier ejection, a
 * replica marked unhealthy, calls failing over — checked against the journal's counts. A mention of a
 * mechanism is a claim unless it is negated or conditional (such a word inside it or among the three
 * words around it: "no breaker thrash", "health never flags it", "before its breaker would open").
 * Returns the claims the run did not bear out.
 */
import type { Journal } from '../../src/chaos/index.js';

interface Mechanism {
  /** A phrase that says the mechanism acts. */
  mention: RegExp;
  /** What the run shows of it. */
  count: (j: Journal) => number;
  what: string;
}

export const MECHANISMS: Record<string, Mechanism> = {
  breaker: {
    mention:
      /\bbreakers?\b[^.;]{0,60}?\b(opens?|opened|trips?|tripped|takes?|took)\b|\b(opens?|trips?) (the|its) breakers?\b/i,
    count: (j) => j.summary.breakerOpenings,
    what: 'breaker openings',
  },
  ejection: {
    mention: /\b(eject(s|ed|ion)?|outlier ejection)\b/i,
    count: (j) => j.summary.ejections,
    what: 'ejections',
  },
  health: {
    mention:
      /\bunhealthy\b|\bhealth( checks?| probes?)?\b[^.;]{0,40}?\b(marks?|detects?|flags?|notices?|takes?)\b/i,
    count: (j) => j.summary.healthTransitions,
    what: 'health transitions',
  },
  failover: {
    mention: /\bfail(s|ed)? over\b|\bfailover\b|\bretried on\b|\btraffic (moves|shifts|goes) to\b/i,
    count: (j) => j.summary.retries,
    what: 'retries on another replica',
  },
};

/** Words that make a mention no claim: negations and conditionals ("before its breaker would open"). */
const NEGATION = /\b(no|not|never|without|nor|neither|would|could|might)\b|n't\b/i;

/** Whether a mention is negated: such a word inside it, among the three words before it, or the three after it in its clause. */
function negated(text: string, at: number, length: number): boolean {
  const before = text.slice(0, at).split(/\s+/).filter(Boolean).slice(-3).join(' ');
  const rest = text.slice(at + length);
  const clauseEnd = rest.search(/[,:;.]/);
  const after = (clauseEnd < 0 ? rest : rest.slice(0, clauseEnd))
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .join(' ');
  return NEGATION.test(`${before} ${text.slice(at, at + length)} ${after}`);
}

/** Positive claims of `description`, by mechanism (each sentence looked at on its own). */
export function claimsOf(description: string): string[] {
  const found = new Set<string>();
  for (const sentence of description.split(/(?<=[.;!?])\s+/)) {
    for (const [name, m] of Object.entries(MECHANISMS)) {
      for (const hit of sentence.matchAll(new RegExp(m.mention.source, 'gi'))) {
        if (!negated(sentence, hit.index ?? 0, hit[0].length)) found.add(name);
      }
    }
  }
  return [...found].sort();
}

/** Claims the journal does not bear out, as readable lines. */
export function unbackedClaims(journal: Journal): string[] {
  const out: string[] = [];
  for (const name of claimsOf(journal.scenario.description ?? '')) {
    const m = MECHANISMS[name] as Mechanism;
    if (m.count(journal) === 0) out.push(`the description claims ${name}, but the run shows 0 ${m.what}`);
  }
  return out;
}
