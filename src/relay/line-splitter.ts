/**
 * Newline-delimited messages (the MCP stdio framing) out of a byte stream, byte for byte: each line is
 * handed over with its `\n`; a partial line waits for the rest; what is left at the end is flushed as is.
 * Bounded: a line longer than `maxBytes` is handed over in pieces (it passes, unparsed).
 */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly onLine: (line: Buffer) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      this.parts.push(chunk.subarray(start, nl + 1));
      this.emit();
      start = nl + 1;
    }
    if (start < chunk.length) {
      this.parts.push(chunk.subarray(start));
      this.size += chunk.length - start;
      if (this.size > this.maxBytes) this.emit();
    }
  }

  /** Hands over what is left (a last line without `\n`). */
  flush(): void {
    if (this.parts.length > 0) this.emit();
  }

  private emit(): void {
    const line = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.onLine(line);
  }
}
