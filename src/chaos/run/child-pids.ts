/**
 * Finding a child process of this process by its argv, for process faults on stdio servers that the
 * manager spawned (the manager owns those children; the runner only signals them). Linux `/proc` only;
 * elsewhere it finds nothing and the fault reports an infrastructure error.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

function sameArgv(cmdline: string[], argv: readonly string[]): boolean {
  if (cmdline.length !== argv.length || argv.length === 0) return false;
  if (basename(cmdline[0] as string) !== basename(argv[0] as string)) return false;
  for (let i = 1; i < argv.length; i++) if (cmdline[i] !== argv[i]) return false;
  return true;
}

/** Live children of `parentPid` (default this process) whose argv equals `argv` (argv[0] by basename). */
export function findChildPids(argv: readonly string[], parentPid = process.pid): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ... — comm may contain spaces and parentheses: split after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) !== parentPid || rest[0] === 'Z') continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (cmdline[cmdline.length - 1] === '') cmdline.pop();
      if (sameArgv(cmdline, argv)) out.push(Number(name));
    } catch {
      // the process went away while we looked
    }
  }
  return out.sort((a, b) => a - b);
}
