/**
 * Where a paged list is, as the query string keeps it, so a reload or a
 * shared link shows the same page. Two kinds of connection:
 *
 * - Two-way (`first`/`after` and `last`/`before`: events, venues): one
 *   `?after=` or `?before=`, the cursor of the item the page starts after
 *   or ends before.
 * - Forward-only (`first`/`after`: orders, customers): `?after=` once for
 *   every page past the first, in order, each that page's `after` (the
 *   `endCursor` of the page before it, as that page was shown). Next adds
 *   the shown page's `endCursor`, Previous drops the last.
 *
 * The gateway's cursors are keys (a fixed place in the list's order), not
 * offsets, so items arriving while someone pages land before or after a
 * cursor without moving any other across it: no page repeats or skips an
 * item. A first page refreshed live is followed by exactly the items after
 * it as it is now.
 */

export interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** The connection arguments of a two-way list's page the query string points at. */
export function pageArgs(after: string | null, before: string | null, size: number): PageArgs {
  if (before) return { last: size, before };
  if (after) return { first: size, after };
  return { first: size };
}

/** A forward-only list's page, from the `after`s of the pages so far (`trail`). */
export interface TrailPage {
  /** The `after` to ask with (null: the first page). */
  after: string | null;
  /** 1 for the first page. */
  page: number;
}

export function trailPage(trail: readonly string[]): TrailPage {
  return { after: trail[trail.length - 1] ?? null, page: trail.length + 1 };
}

/** The trail of the next page: the shown page's `endCursor` added (none: no next page, unchanged). */
export function trailNext(trail: readonly string[], endCursor: string | null | undefined): readonly string[] {
  return endCursor ? [...trail, endCursor] : trail;
}

/** The trail of the page before (the first page stays the first). */
export function trailPrevious(trail: readonly string[]): readonly string[] {
  return trail.slice(0, -1);
}

/** Items with the same id once, the first seen kept, in order. */
export function dedupeBy<T>(items: readonly T[], id: (item: T) => string): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = id(item);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(item);
  }
  return out;
}
