/**
 * Where buyers come from: orders per area of about 11 km, from the buyers
 * who chose to share it in the portal. A map (MapLibre, loaded on demand)
 * and the same figures as a table.
 */
import { Paper, Stack, Table, Text, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { count } from "../../lib/format";
import { useOrg } from "../../session/org";
import { BackstageBuyerMapQuery } from "./api";

const MapCanvas = lazy(() => import("./MapCanvas"));

export function BuyerMap({ event }: { event: string }) {
  const org = useOrg();
  const [{ data, error, fetching }] = useQuery({
    query: BackstageBuyerMapQuery,
    variables: { ns: org.namespace, event: event || null },
  });
  const areas = data?.buyerMap ?? [];
  return (
    <Paper withBorder p="md" data-testid="buyer-map" data-areas={data ? areas.length : undefined}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          Where buyers come from
        </Title>
        <Text size="sm">
          Orders per area of about 11 km, from the buyers who chose to share roughly where they are when ordering. An
          area shows once 5 different buyers shared it, so that none points at one buyer.
        </Text>
        {error && <Problem>{error.message}</Problem>}
        {fetching && !data && <Loading label="Loading the buyer map…" />}
        {data && areas.length === 0 && (
          <Text data-testid="buyer-map-empty">No area has 5 buyers who shared it yet.</Text>
        )}
        {areas.length > 0 && (
          <>
            <Suspense fallback={<Loading label="Loading the map…" />}>
              <MapCanvas areas={areas} />
            </Suspense>
            <Table aria-label="Orders by area">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Area (centre)</Table.Th>
                  <Table.Th>Buyers</Table.Th>
                  <Table.Th>Orders</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {areas.map((a) => (
                  <Table.Tr key={`${a.latitude},${a.longitude}`} data-testid="buyer-area">
                    <Table.Td>
                      {a.latitude.toFixed(2)}, {a.longitude.toFixed(2)}
                    </Table.Td>
                    <Table.Td data-testid="buyer-area-buyers">{count(a.buyers)}</Table.Td>
                    <Table.Td data-testid="buyer-area-orders">{count(a.orders)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Paper>
  );
}
