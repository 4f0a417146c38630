/**
 * Turns zod issues into findings with readable messages: unknown keys point at the key (with a "did you
 * mean" hint from the JSON Schema), missing keys say which key, values are quoted.
 */
import type { z } from 'zod';
import { allowedKeysAt } from './json-schema.js';
import { closest } from './known-invariants.js';
import type { Finding } from './problem.js';
import { describe } from './scalars.js';
import type { PathSegment } from './yaml-locate.js';

type Issue = z.core.$ZodIssue & { input?: unknown };

const strip = (m: string): string => m.replace(/^Invalid (input|option): /, '');

/** Findings for one issue; `root` (the document's value) sharpens unknown-key hints. */
export function describeIssue(issue: Issue, root?: unknown): Finding[] {
  const path = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol');
  switch (issue.code) {
    case 'invalid_union': {
      // the branch the input came closest to (its problems lie deepest) says what is wrong with it
      const branches = (issue as { errors?: Issue[][] }).errors ?? [];
      const depth = (b: Issue[]) => Math.max(-1, ...b.map((i) => i.path.length));
      const best = branches.reduce<Issue[] | undefined>(
        (a, b) => (a === undefined || depth(b) > depth(a) ? b : a),
        undefined,
      );
      if (best === undefined || depth(best) <= 0) return [{ path, message: issue.message }];
      return best.flatMap((i) => describeIssue({ ...i, path: [...issue.path, ...i.path] } as Issue, root));
    }
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(path, root).filter((k) => !issue.keys.includes(k));
      return issue.keys.map((key) => {
        const hint = closest(key, allowed);
        const list =
          allowed.length > 0 && allowed.length <= 12 ? ` (expected one of: ${allowed.join(', ')})` : '';
        return {
          path: [...path, key],
          at: 'key' as const,
          message: `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : list}`,
        };
      });
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      return [
        {
          path,
          at: 'key',
          message: `invalid name "${key}": use a letter, then letters, digits, "_" or "-"`,
        },
      ];
    }
    case 'invalid_type': {
      if (issue.input === undefined && /received undefined$/.test(issue.message)) {
        const last = path[path.length - 1];
        return [{ path, message: `missing required key "${String(last)}"` }];
      }
      if (!issue.message.startsWith('Invalid input: expected')) return [{ path, message: issue.message }];
      return [{ path, message: `expected ${issue.expected}, got ${describe(issue.input)}` }];
    }
    case 'invalid_value':
      if (issue.message.startsWith('Invalid')) {
        const values = issue.values.map((v) => String(v)).join(', ');
        return [{ path, message: `${describe(issue.input)} is not one of: ${values}` }];
      }
      return [{ path, message: issue.message }];
    case 'too_small':
    case 'too_big':
      return [{ path, message: `${strip(issue.message)}, got ${describe(issue.input)}` }];
    default:
      return [{ path, message: issue.message }];
  }
}
