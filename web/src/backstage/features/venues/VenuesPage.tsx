/** The organization's venues, oldest first, a page at a time. */
import { Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import { LinkButton } from "../../components/LinkButton";
import { Pager, usePageArgs } from "../../components/Pager";
import { pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { VenuesListQuery } from "./api";

/** Refetched when a mutation returns one (the document cache cannot know of a first one otherwise); one object, as urql compares it. */
const LIST_CONTEXT = { additionalTypenames: ["PromoterVenue"] };

export default function VenuesPage() {
  const org = useOrg();
  const args = usePageArgs(25);
  const [{ data, error, fetching }] = useQuery({
    query: VenuesListQuery,
    variables: { ns: org.namespace, ...args },
    context: LIST_CONTEXT,
  });
  const connection = data?.organization.venues;
  const newVenue = pathOf({ name: "newVenue", ns: org.namespace });
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Venues</Title>
        <LinkButton to={newVenue} testId="new-venue">
          New venue
        </LinkButton>
      </Group>
      {error && <Problem title="The venues could not be loaded">{error.message}</Problem>}
      {!connection && fetching && <Loading label="Loading venues…" />}
      {connection &&
        (connection.nodes.length === 0 ? (
          <Text data-testid="venues-empty">
            No venues yet. <Link to={newVenue}>Add the first one</Link>: every event takes place at one.
          </Text>
        ) : (
          <Table striped highlightOnHover data-testid="venues-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Venue</Table.Th>
                <Table.Th scope="col">City</Table.Th>
                <Table.Th scope="col">Time zone</Table.Th>
                <Table.Th scope="col">Capacity</Table.Th>
                <Table.Th scope="col">Sections</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connection.nodes.map((v) => (
                <Table.Tr key={v.name} data-testid={`venue-row-${v.name}`}>
                  <Table.Td>
                    <Link to={pathOf({ name: "venue", ns: org.namespace, venue: v.name })}>{v.displayName}</Link>
                    <Text size="xs">{v.name}</Text>
                  </Table.Td>
                  <Table.Td>
                    {v.address.city}, {v.address.country}
                  </Table.Td>
                  <Table.Td>{v.timezone}</Table.Td>
                  <Table.Td>{v.capacity}</Table.Td>
                  <Table.Td>{v.sections.length ? v.sections.map((s) => s.name).join(", ") : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ))}
      {connection && <Pager pageInfo={connection.pageInfo} label="Pages of venues" />}
    </Stack>
  );
}
