import { useState } from "react";
import { currentAfter, firstPage, pageNumber, pagesFor, pagesReducer, type PageAction } from "./cursor";

/** Next/Previous paging state for the list of `key` (its filters): back to page 1 when they change. */
export function usePages(key: string) {
  const [state, setState] = useState(() => firstPage(key));
  const pages = pagesFor(state, key);
  const dispatch = (action: PageAction) => setState((s) => pagesReducer(pagesFor(s, key), action));
  return { after: currentAfter(pages), page: pageNumber(pages), dispatch };
}
