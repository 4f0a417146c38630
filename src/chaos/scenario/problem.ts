/** Problems found in a scenario file, each with a YAML position and a path. */
import type { PathSegment } from './yaml-locate.js';

export interface Problem {
  /** The file as given to the loader. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** e.g. `faults[1].target`; '' for the whole document. */
  path: string;
  message: string;
}

/** A problem before it is located in the source. */
export interface Finding {
  path: PathSegment[];
  message: string;
  /** Point at the key itself rather than its value (unknown keys, unknown invariant names). */
  at?: 'value' | 'key';
  /** Warnings do not make a file invalid (default error). */
  severity?: 'error' | 'warning';
}

/** `file:line:column: path: message` (path omitted when empty). */
export function formatProblem(p: Problem, severity: 'error' | 'warning' = 'error'): string {
  const where = `${p.file}:${p.line}:${p.column}`;
  const what = severity === 'warning' ? `warning: ${p.message}` : p.message;
  return p.path === '' ? `${where}: ${what}` : `${where}: ${p.path}: ${what}`;
}
