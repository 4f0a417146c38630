/** SseFields: the `id:` and `retry:` of an SSE body however its chunks are cut; data lines only scanned. */
import { describe, expect, it } from 'vitest';
import { SseFields } from '../../../../src/manager/connection/sse-resume.js';

const enc = new TextEncoder();

function scanIn(text: string, cuts: number[]): SseFields {
  const f = new SseFields();
  const bytes = enc.encode(text);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    f.scan(bytes.subarray(at, c));
    at = c;
  }
  return f;
}

describe('SseFields', () => {
  const body =
    'id: abc_1\nretry: 500\ndata: \n\nevent: message\ndata: {"id":"x"}\n\nid:abc_2\r\ndata: {}\n\n';

  it('reads the last id and the retry, whatever the chunk boundaries', () => {
    for (let cut = 0; cut <= body.length; cut++) {
      const f = scanIn(body, [cut]);
      expect([f.lastId, f.retryMs], `cut at ${cut}`).toEqual(['abc_2', 500]);
    }
    const f = scanIn(
      body,
      Array.from({ length: body.length }, (_, i) => i),
    );
    expect([f.lastId, f.retryMs]).toEqual(['abc_2', 500]);
  });

  it('ignores data lines that look like fields, an unreadable retry, and an id with NUL', () => {
    const f = scanIn('data: id: evil\ndata: retry: 1\nretry: soon\nid: a\u0000b\n\n', []);
    expect([f.lastId, f.retryMs]).toEqual([undefined, undefined]);
  });

  it('an empty id resets it; an id too long to keep (never held whole) leaves the stream unresumable', () => {
    expect(scanIn('id: a\n\nid:\n\n', []).lastId).toBeUndefined();
    expect(scanIn(`id: a\n\nid: ${'x'.repeat(10_000)}\n\n`, [100, 5000]).lastId).toBeUndefined();
  });

  it('a resumed stream starts from where it resumed', () => {
    const f = new SseFields({ lastEventId: 'e_7', retryMs: 200 });
    f.scan(enc.encode('data: {}\n\n'));
    expect([f.lastId, f.retryMs]).toEqual(['e_7', 200]);
  });
});
