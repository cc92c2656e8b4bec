/**
 * Customers: everyone who bought from the organization, by e-mail address
 * then currency, with what they are worth (paid less refunded), by pages
 * kept in the query string (a reload stays on the page).
 */
import { Group, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { Pager, useForwardPages } from "../../components/Pager";
import { dedupeBy } from "../../components/paging";
import { ExportButton } from "../../lib/ExportButton";
import { dateTime, money } from "../../lib/format";
import { useOrg } from "../../session/org";
import { atLeast } from "../../session/roles";
import { BackstageCustomersQuery } from "./api";

const PAGE_SIZE = 25;

export default function CustomersPage() {
  const org = useOrg();
  const pages = useForwardPages();
  const variables = { ns: org.namespace, first: PAGE_SIZE, after: pages.after };
  const [{ data, fetching, error, operation }] = useQuery({
    query: BackstageCustomersQuery,
    variables,
    requestPolicy: "cache-and-network",
  });
  const stale = JSON.stringify(operation?.variables) !== JSON.stringify(variables);
  const customers = dedupeBy(data?.customers.nodes ?? [], (c) => `${c.email} ${c.currency}`);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Customers</Title>
        {atLeast(org.role, "ADMIN") && <ExportButton ns={org.namespace} event={null} kind="CUSTOMERS" />}
      </Group>
      <Text size="sm" c="dimmed">
        Lifetime value is what a customer&apos;s completed orders paid, less what was refunded to them.
      </Text>
      {error && <Problem title="Customers not loaded">{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading customers…" />}
      {data && customers.length === 0 && <Text>No customers yet: they appear with their first completed order.</Text>}
      {customers.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped data-testid="customers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Customer</Table.Th>
                <Table.Th scope="col" ta="right">
                  Orders
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Lifetime value
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  Refunded
                </Table.Th>
                <Table.Th scope="col">First order</Table.Th>
                <Table.Th scope="col">Latest order</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {customers.map((c) => (
                <Table.Tr key={`${c.email} ${c.currency}`} data-testid="customer-row" data-email={c.email}>
                  <Table.Td>
                    <Text size="sm">{c.name || "—"}</Text>
                    <Text size="xs" c="dimmed">
                      {c.email}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{c.orders}</Table.Td>
                  <Table.Td ta="right" data-testid="customer-ltv">
                    {money(c.lifetimeValueMinor, c.currency)}
                  </Table.Td>
                  <Table.Td ta="right">{money(c.refundedMinor, c.currency)}</Table.Td>
                  <Table.Td>{dateTime(c.firstOrderAtMs)}</Table.Td>
                  <Table.Td>{dateTime(c.lastOrderAtMs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager label="Customers pages" pages={pages} pageInfo={stale ? undefined : data?.customers.pageInfo} />
    </Stack>
  );
}
