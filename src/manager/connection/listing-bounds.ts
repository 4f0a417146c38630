/**
 * Bounds on a server's paginated `tools/list`: an upstream the operator does not control must not keep the
 * manager paging forever (an endless or repeating `nextCursor`) nor fill memory with a catalogue no client
 * could use. Past a bound the listing fails as a protocol error naming it — visible, never silently
 * truncated or silently empty.
 */

/** Most pages read of one listing. */
export const MAX_LIST_PAGES = 100;
/** Most tools one server may list. */
export const MAX_LISTED_TOOLS = 10_000;

/** Why a listing must stop, after a page that brought the total to `count` and said `next`; else undefined. */
export function listingProblem(
  seen: ReadonlySet<string>,
  next: string | undefined,
  count: number,
): string | undefined {
  if (count > MAX_LISTED_TOOLS) return `lists more than ${MAX_LISTED_TOOLS} tools: refused`;
  if (next === undefined) return undefined;
  if (seen.has(next))
    return `repeats the cursor ${JSON.stringify(next.slice(0, 40))}: refused (endless pagination)`;
  if (seen.size + 1 >= MAX_LIST_PAGES)
    return `has more than ${MAX_LIST_PAGES} pages: refused (endless pagination?)`;
  return undefined;
}
