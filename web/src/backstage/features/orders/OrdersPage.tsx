/**
 * Orders: the organization's (or one event's) orders, newest first, by
 * pages of 20 with Next/Previous. The filters (event, search, state) and
 * the page live in the query string, so a reload stays where it was; a
 * filter's change goes back to the first page. The first page asks again
 * every few seconds, so new orders appear without a reload; later pages
 * stay as they are (their cursors mark fixed places), so paging never
 * repeats or skips an order.
 */
import { Badge, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import type { OrderState } from "../../gql/graphql";
import { Link } from "../../app/Shell";
import { FIRST_PAGE, Pager, useForwardPages } from "../../components/Pager";
import { dedupeBy } from "../../components/paging";
import { EventSelect, useEventChoices } from "../../lib/EventSelect";
import { ExportButton } from "../../lib/ExportButton";
import { dateTime, money } from "../../lib/format";
import { pathOf, setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import { atLeast } from "../../session/roles";
import { BackstageOrdersQuery } from "./api";
import {
  eventNameOf,
  isOrderState,
  LIVE_MS,
  ordersVariables,
  STATE_COLORS,
  STATE_LABELS,
  type OrderFilters,
} from "./orders";

/** Sets a filter, back on the first page when it changes (the same filter again stays on the page). */
function setFilter(params: Record<string, string>) {
  const now = new URLSearchParams(window.location.search);
  const changed = Object.entries(params).some(([k, v]) => (now.get(k) ?? "") !== v);
  if (changed) setQuery({ ...params, ...FIRST_PAGE });
}

function SearchBox({ value }: { value: string }) {
  const [text, setText] = useState(value);
  const push = useDebouncedCallback((q: string) => setFilter({ q: q.trim() }), 300);
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setFilter({ q: text.trim() });
      }}
    >
      <TextInput
        label="Search"
        description="Order number, or the start of the buyer's e-mail or name"
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          push(e.currentTarget.value);
        }}
        data-testid="order-search"
        type="search"
      />
    </form>
  );
}

export default function OrdersPage() {
  const org = useOrg();
  const { events } = useEventChoices();
  const stateParam = useQueryParam("state");
  const filters: OrderFilters = {
    event: useQueryParam("event") ?? "",
    search: useQueryParam("q") ?? "",
    state: isOrderState(stateParam) ? stateParam : "",
  };
  const pages = useForwardPages();
  const variables = ordersVariables(org.namespace, filters, pages.after);
  const [{ data, fetching, error, operation }, reexecute] = useQuery({
    query: BackstageOrdersQuery,
    variables,
    requestPolicy: "cache-and-network",
  });
  // The answer shown is for other filters or another page (the new one is on its way): no paging from it.
  const stale = JSON.stringify(operation?.variables) !== JSON.stringify(variables);
  const live = pages.page === 1;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => reexecute({ requestPolicy: "network-only" }), LIVE_MS);
    return () => clearInterval(timer);
  }, [live, reexecute]);

  const orders = dedupeBy(data?.orders.nodes ?? [], (o) => o.id);
  const titleOf = new Map(events.map((e) => [e.name, e.title]));
  return (
    <Stack gap="md">
      <Title order={2}>Orders</Title>
      <Group align="flex-end" gap="md" wrap="wrap">
        <EventSelect
          events={events}
          value={filters.event}
          onChange={(event) => setFilter({ event })}
          allLabel="All events"
        />
        <SearchBox value={filters.search} />
        <NativeSelect
          label="State"
          value={filters.state}
          onChange={(e) => setFilter({ state: e.currentTarget.value })}
          data={[
            { value: "", label: "Every state" },
            ...(Object.keys(STATE_LABELS) as OrderState[]).map((s) => ({ value: s, label: STATE_LABELS[s] })),
          ]}
          data-testid="order-state-filter"
        />
        {atLeast(org.role, "ADMIN") && <ExportButton ns={org.namespace} event={filters.event || null} kind="ORDERS" />}
      </Group>
      <Text size="sm" c="dimmed" aria-live="polite">
        {live ? "New orders appear here as they come in." : "Go back to page 1 for the newest orders."}
      </Text>
      {error && <Problem title="Orders not loaded">{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading orders…" />}
      {data && orders.length === 0 && (
        <Text data-testid="orders-empty">
          {filters.search || filters.state || filters.event ? "No orders match these filters." : "No orders yet."}
        </Text>
      )}
      {orders.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover data-testid="orders-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Order</Table.Th>
                <Table.Th scope="col">Buyer</Table.Th>
                <Table.Th scope="col">Event</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col" ta="right">
                  Total
                </Table.Th>
                <Table.Th scope="col">Placed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.map((o) => {
                const eventName = eventNameOf(o.event, org.namespace);
                return (
                  <Table.Tr key={o.id} data-testid="order-row" data-order-id={o.id}>
                    <Table.Td>
                      {eventName ? (
                        <Link to={pathOf({ name: "order", ns: org.namespace, event: eventName, orderId: o.id })}>
                          <span data-testid="order-number">{o.number}</span>
                        </Link>
                      ) : (
                        <span data-testid="order-number">{o.number}</span>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{o.buyer.name || "—"}</Text>
                      <Text size="xs" c="dimmed">
                        {o.buyer.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{eventName ? (titleOf.get(eventName) ?? eventName) : "Event removed"}</Table.Td>
                    <Table.Td>
                      <Badge color={STATE_COLORS[o.state]} variant="light" data-testid="order-state">
                        {STATE_LABELS[o.state]}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" data-testid="order-total">
                      {money(o.totalMinor, o.currency)}
                      {o.refundedMinor > 0 && (
                        <Text size="xs" c="dimmed">
                          {money(o.refundedMinor, o.currency)} refunded
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{dateTime(o.placedAtMs)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager label="Orders pages" pages={pages} pageInfo={stale ? undefined : data?.orders.pageInfo} />
    </Stack>
  );
}
