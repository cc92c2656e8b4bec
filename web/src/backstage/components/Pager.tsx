/**
 * Previous/Next under a paged list, the position kept in the query string
 * (`./paging` says how), so a reload or a shared link shows the same page.
 * Every list of Backstage pages with it: two-way connections (`first`/
 * `after`, `last`/`before`) with `usePageArgs` and `pageInfo`; forward-only
 * ones (`first`/`after`) with `useForwardPages` and `pages`. A filter's
 * change goes back to the first page with `FIRST_PAGE` in the same
 * `setQuery`.
 */
import { Button, Group, Text } from "@mantine/core";
import { setQuery, useQueryParam, useQueryParams } from "../routes";
import { pageArgs, trailNext, trailPage, trailPrevious, type PageArgs, type TrailPage } from "./paging";

export type { PageArgs } from "./paging";

/** The query-string change that goes back to the first page (add it to a filter's `setQuery`). */
export const FIRST_PAGE = { after: null, before: null } as const;

/** The connection arguments of the two-way list's page the address points at. */
export function usePageArgs(size: number): PageArgs {
  return pageArgs(useQueryParam("after"), useQueryParam("before"), size);
}

/** A forward-only list's page (its `after` and number) and the way to the next and previous ones. */
export interface ForwardPages extends TrailPage {
  next: (endCursor: string | null | undefined) => void;
  previous: () => void;
}

/** The forward-only list's page the address points at. */
export function useForwardPages(): ForwardPages {
  const trail = useQueryParams("after");
  return {
    ...trailPage(trail),
    next: (endCursor) => setQuery({ after: trailNext(trail, endCursor), before: null }),
    previous: () => setQuery({ after: trailPrevious(trail), before: null }),
  };
}

export interface PageInfoLike {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

type PagerProps = {
  /** What is paged, for the navigation landmark's name, e.g. "Orders pages". */
  label: string;
} & (
  | { pageInfo: PageInfoLike; pages?: undefined }
  | {
      pages: ForwardPages;
      /** The shown page's (undefined while none is, or while another page is on its way: no Next from it). */
      pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
    }
);

export function Pager({ label, ...props }: PagerProps) {
  let previous: (() => void) | null;
  let next: (() => void) | null;
  let page: number | null = null;
  if (props.pages) {
    const { pages, pageInfo } = props;
    page = pages.page;
    previous = pages.page > 1 ? pages.previous : null;
    next = pageInfo?.hasNextPage && pageInfo.endCursor ? () => pages.next(pageInfo.endCursor) : null;
  } else {
    const { hasPreviousPage, hasNextPage, startCursor, endCursor } = props.pageInfo;
    previous = hasPreviousPage && startCursor ? () => setQuery({ before: startCursor, after: null }) : null;
    next = hasNextPage && endCursor ? () => setQuery({ after: endCursor, before: null }) : null;
  }
  if (!previous && !next) return null;
  return (
    <Group component="nav" aria-label={label} gap="sm" mt="md">
      <Button variant="default" disabled={!previous} onClick={() => previous?.()} data-testid="page-previous">
        Previous
      </Button>
      {page !== null && (
        <Text size="sm" data-testid="page-number">
          Page {page}
        </Text>
      )}
      <Button variant="default" disabled={!next} onClick={() => next?.()} data-testid="page-next">
        Next
      </Button>
    </Group>
  );
}
