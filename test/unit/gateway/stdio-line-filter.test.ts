import { describe, expect, it } from 'vitest';
import { stdioLineFilter } from '../../../src/gateway/stdio-line-filter.js';

async function run(chunks: string[]): Promise<{ out: string; bad: number }> {
  let bad = 0;
  const f = stdioLineFilter(() => bad++);
  const parts: Buffer[] = [];
  f.on('data', (d: Buffer) => parts.push(d));
  for (const c of chunks) f.write(c);
  f.end();
  await new Promise((r) => f.on('end', r));
  return { out: Buffer.concat(parts).toString(), bad };
}

describe('stdio line filter', () => {
  it('passes JSON lines through byte for byte, however they are split into chunks', async () => {
    const text = '{"a":1}\n  [1,2]\n\n{"b":\n';
    for (const chunks of [[text], text.split(''), ['{"a"', ':1}\n  [', '1,2]\n\n{"b":\n']]) {
      const { out, bad } = await run(chunks);
      expect(out).toBe('{"a":1}\n  [1,2]\n{"b":\n');
      expect(bad).toBe(0);
    }
  });

  it('drops a line that cannot be JSON-RPC, reporting it once, as soon as its first character shows it', async () => {
    const { out, bad } = await run(['hello', ' world\n{"ok":true}\n', 'x', 'yz\n']);
    expect(out).toBe('{"ok":true}\n');
    expect(bad).toBe(2);
  });
});
