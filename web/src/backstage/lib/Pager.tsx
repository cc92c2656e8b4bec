import { Button, Group, Text } from "@mantine/core";

/** Previous / Next under a list, with the page number. */
export function Pager({
  page,
  hasNext,
  endCursor,
  onNext,
  onPrevious,
  label,
}: {
  page: number;
  hasNext: boolean;
  endCursor: string | null | undefined;
  onNext: (endCursor: string) => void;
  onPrevious: () => void;
  /** What is paged, for the navigation landmark's name, e.g. "Orders pages". */
  label: string;
}) {
  return (
    <nav aria-label={label}>
      <Group gap="sm" mt="sm">
        <Button variant="default" onClick={onPrevious} disabled={page <= 1} data-testid="page-previous">
          Previous
        </Button>
        <Text size="sm" data-testid="page-number">
          Page {page}
        </Text>
        <Button
          variant="default"
          onClick={() => endCursor && onNext(endCursor)}
          disabled={!hasNext || !endCursor}
          data-testid="page-next"
        >
          Next
        </Button>
      </Group>
    </nav>
  );
}
