/**
 * The last lines of a child's output worth reading in an error message: blank lines and stack frames
 * (`    at …`) are dropped — a Node crash ends in a dozen frames, a brace and a version line, which would
 * push its one useful line ("Error: Cannot find module '…'") out of any short tail — each line is cut to
 * 300 characters, and at most `maxLines` are kept.
 */
const STACK_FRAME = /^\s+at\s/;
const MAX_LINE_CHARS = 300;

export function outputTail(text: string, maxLines = 8): string[] {
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !STACK_FRAME.test(l))
    .map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l.trimEnd()));
  return lines.slice(-maxLines);
}
