/**
 * Previous/Next through a Relay connection, the position kept in the
 * query string (`?after=` or `?before=`, one at a time) so a reload or a
 * shared link shows the same page. Forward pages are `first: n, after`,
 * backward ones `last: n, before`: the gateway's cursors are keys, so
 * neither direction skips or repeats an item.
 */
import { Button, Group } from "@mantine/core";
import { setQuery, useQueryParam } from "../routes";

export interface PageArgs {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

/** The connection arguments of the page the query string points at. */
export function pageArgs(after: string | null, before: string | null, size: number): PageArgs {
  if (before) return { last: size, before };
  if (after) return { first: size, after };
  return { first: size };
}

export function usePageArgs(size: number): PageArgs {
  return pageArgs(useQueryParam("after"), useQueryParam("before"), size);
}

export interface PageInfoLike {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

export function Pager({ pageInfo, label }: { pageInfo: PageInfoLike; label: string }) {
  const { hasPreviousPage, hasNextPage, startCursor, endCursor } = pageInfo;
  if (!hasPreviousPage && !hasNextPage) return null;
  return (
    <Group component="nav" aria-label={label} gap="sm" mt="md">
      <Button
        variant="default"
        disabled={!hasPreviousPage || !startCursor}
        onClick={() => setQuery({ before: startCursor ?? null, after: null })}
      >
        Previous
      </Button>
      <Button
        variant="default"
        disabled={!hasNextPage || !endCursor}
        onClick={() => setQuery({ after: endCursor ?? null, before: null })}
      >
        Next
      </Button>
    </Group>
  );
}
