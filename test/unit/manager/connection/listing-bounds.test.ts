import { describe, expect, it } from 'vitest';
import {
  listingProblem,
  MAX_LIST_PAGES,
  MAX_LISTED_TOOLS,
} from '../../../../src/manager/connection/listing-bounds.js';

describe('listing bounds', () => {
  it('lets a listing go on while under every bound, and ends it cleanly without a cursor', () => {
    expect(listingProblem(new Set(), 'p1', 10)).toBeUndefined();
    expect(listingProblem(new Set(['p1']), undefined, 20)).toBeUndefined();
  });

  it('refuses a repeated cursor, too many pages and too many tools, saying which', () => {
    expect(listingProblem(new Set(['a', 'b']), 'a', 3)).toMatch(/repeats the cursor "a"/);
    const seen = new Set(Array.from({ length: MAX_LIST_PAGES - 1 }, (_, i) => `p${i}`));
    expect(listingProblem(seen, 'next', 5)).toMatch(`more than ${MAX_LIST_PAGES} pages`);
    expect(listingProblem(new Set(), undefined, MAX_LISTED_TOOLS + 1)).toMatch(
      `more than ${MAX_LISTED_TOOLS} tools`,
    );
  });
});
