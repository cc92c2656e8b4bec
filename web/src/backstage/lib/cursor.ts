/**
 * Next/Previous paging over a GraphQL connection whose cursors mark fixed
 * places (the gateway's orders and customers). The stack holds the `after`
 * of every page up to the current one; Next pushes the current page's
 * `endCursor` (as it is now, so a first page refreshed live is followed
 * by exactly the items after it: no gap, no repeat), Previous pops.
 */

export interface Pages {
  /** What the pages are of (the filters): when it changes, paging starts again. */
  key: string;
  /** `after` of each page so far; the last is the current page's. */
  afters: (string | null)[];
}

export type PageAction =
  { type: "next"; endCursor: string | null | undefined } | { type: "previous" } | { type: "first" };

export function firstPage(key: string): Pages {
  return { key, afters: [null] };
}

export function pagesReducer(state: Pages, action: PageAction): Pages {
  switch (action.type) {
    case "next":
      if (!action.endCursor) return state;
      return { ...state, afters: [...state.afters, action.endCursor] };
    case "previous":
      return state.afters.length > 1 ? { ...state, afters: state.afters.slice(0, -1) } : state;
    case "first":
      return firstPage(state.key);
  }
}

/** The pages for `key`: `state` when it is for the same filters, else the first page again. */
export function pagesFor(state: Pages, key: string): Pages {
  return state.key === key ? state : firstPage(key);
}

export function currentAfter(state: Pages): string | null {
  return state.afters[state.afters.length - 1] ?? null;
}

/** 1 for the first page. */
export function pageNumber(state: Pages): number {
  return state.afters.length;
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
