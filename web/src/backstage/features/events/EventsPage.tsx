/**
 * The organization's events, oldest first, a page at a time (Previous and
 * Next follow the connection's cursors). The API has no search or state
 * argument, so both filter the page shown; while one is set the page is
 * the largest the API gives (100), and the page says so.
 */
import { Badge, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useQuery } from "urql";
import type { EventState } from "../../gql/graphql";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import { LinkButton } from "../../components/LinkButton";
import { Pager, usePageArgs } from "../../components/Pager";
import { pathOf, setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import { EventsListQuery } from "./api";
import { filterEvents, phaseLabel, soldOf, STATE_COLORS, STATE_LABELS } from "./labels";
import { formatTime } from "./time";

const STATES: EventState[] = ["DRAFT", "PUBLISHED", "CANCELLED"];

function stateParam(v: string | null): EventState | null {
  const up = v?.toUpperCase();
  return STATES.find((s) => s === up) ?? null;
}

/** Refetched when a mutation returns one (the document cache cannot know of a first one otherwise); one object, as urql compares it. */
const LIST_CONTEXT = { additionalTypenames: ["PromoterEvent"] };

export default function EventsPage() {
  const org = useOrg();
  const q = useQueryParam("q") ?? "";
  const state = stateParam(useQueryParam("state"));
  const filtering = q.trim() !== "" || state !== null;
  const args = usePageArgs(filtering ? 100 : 25);
  const [{ data, error, fetching }] = useQuery({
    query: EventsListQuery,
    variables: { ns: org.namespace, ...args },
    context: LIST_CONTEXT,
  });
  const connection = data?.organization.events;
  const rows = connection ? filterEvents(connection.nodes, q, state) : [];
  const newEvent = pathOf({ name: "newEvent", ns: org.namespace });
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Events</Title>
        <LinkButton to={newEvent} testId="new-event">
          New event
        </LinkButton>
      </Group>
      <Group align="flex-end" gap="md" role="search" aria-label="Find events">
        <TextInput
          label="Search"
          description="Title or name"
          type="search"
          value={q}
          onChange={(e) => setQuery({ q: e.currentTarget.value })}
          data-testid="events-search"
        />
        <NativeSelect
          label="State"
          value={state ?? ""}
          onChange={(e) => setQuery({ state: e.currentTarget.value ? e.currentTarget.value.toLowerCase() : null })}
          data={[{ value: "", label: "Any state" }, ...STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))]}
          data-testid="events-state"
        />
      </Group>
      {error && <Problem title="The events could not be loaded">{error.message}</Problem>}
      {!connection && fetching && <Loading label="Loading events…" />}
      {connection && (
        <>
          {filtering && (
            <Text size="sm">
              Showing the events of this page ({connection.nodes.length}) that match; use Next for more.
            </Text>
          )}
          {rows.length === 0 ? (
            <Text data-testid="events-empty">
              {connection.nodes.length === 0 ? (
                <>
                  No events yet. <Link to={newEvent}>Create the first one</Link>.
                </>
              ) : (
                "No event on this page matches."
              )}
            </Text>
          ) : (
            <Table striped highlightOnHover data-testid="events-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Event</Table.Th>
                  <Table.Th scope="col">First day</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">Phase</Table.Th>
                  <Table.Th scope="col">Sold / capacity</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((e) => (
                  <Table.Tr key={e.id} data-testid={`event-row-${e.name}`}>
                    <Table.Td>
                      <Link to={pathOf({ name: "event", ns: org.namespace, event: e.name })}>{e.title}</Link>
                      <Text size="xs">{e.name}</Text>
                    </Table.Td>
                    <Table.Td>{formatTime(e.days[0]?.startsAt)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLORS[e.state]} variant="light">
                        {STATE_LABELS[e.state]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{phaseLabel(e.status.phase)}</Table.Td>
                    <Table.Td>{soldOf(e.status.sold, e.status.capacity)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Pager pageInfo={connection.pageInfo} label="Pages of events" />
        </>
      )}
    </Stack>
  );
}
