/**
 * What the operator reports of an event, fetched again every few seconds
 * (network-only, so it is never a cached answer): phase, the Ready
 * condition, whether the latest change has been seen, and the counts.
 */
import { Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useEffect } from "react";
import { useQuery } from "urql";
import { useOrg } from "../../session/org";
import { EventStatusQuery } from "./api";
import { phaseLabel } from "./labels";

export const STATUS_INTERVAL_MS = 3000;

type WorkerSet = { ready: number; desired: number; minReplicas: number; maxReplicas: number } | null | undefined;

/** "2 of 3 ready (scales 1 to 10)", or that the operator has not reported them yet. */
export function workersLine(w: WorkerSet): string {
  if (!w) return "not reported yet";
  const range =
    w.minReplicas === w.maxReplicas ? `always ${w.maxReplicas}` : `scales ${w.minReplicas} to ${w.maxReplicas}`;
  return `${w.ready} of ${w.desired} ready (${range})`;
}

function Count({ label, value, testId }: { label: string; value: number | null | undefined; testId: string }) {
  return (
    <div>
      <Text size="sm">{label}</Text>
      <Text fw={700} size="lg" data-testid={testId}>
        {value ?? "—"}
      </Text>
    </div>
  );
}

export function EventStatus({ event }: { event: string }) {
  const org = useOrg();
  const [{ data, error }, reexecute] = useQuery({
    query: EventStatusQuery,
    variables: { ns: org.namespace, name: event },
    requestPolicy: "network-only",
  });
  useEffect(() => {
    const id = window.setInterval(() => reexecute({ requestPolicy: "network-only" }), STATUS_INTERVAL_MS);
    return () => window.clearInterval(id);
  }, [reexecute]);
  const e = data?.organization.event;
  const s = e?.status;
  const ready = s?.ready;
  const isReady = ready?.status === "True";
  return (
    <Paper withBorder p="md" data-testid="event-status" aria-labelledby="event-status-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="event-status-heading">
          Live status
        </Title>
        {!s ? (
          <Text role="status">
            {error ? `The status could not be loaded: ${error.message}` : "Loading the status…"}
          </Text>
        ) : (
          <>
            <Group gap="sm" role="status" aria-live="polite">
              <Text>
                Phase:{" "}
                <Text span fw={700} data-testid="event-phase" data-phase={s.phase ?? ""}>
                  {phaseLabel(s.phase)}
                </Text>
              </Text>
              <Badge
                color={isReady ? "green" : ready ? "orange" : "gray"}
                variant="light"
                data-testid="event-ready"
                data-ready={ready?.status ?? "Unknown"}
              >
                {isReady ? "Ready" : ready ? `Not ready: ${ready.reason}` : "Not ready yet"}
              </Badge>
              <Text size="sm" data-testid="event-up-to-date">
                {s.upToDate ? "Your latest change is applied." : "Applying your latest change…"}
              </Text>
            </Group>
            {ready && !isReady && ready.message && (
              <Text size="sm" data-testid="event-ready-message">
                {ready.message}
              </Text>
            )}
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Count label="Capacity" value={s.capacity} testId="event-capacity" />
              <Count label="Sold" value={s.sold} testId="event-sold" />
              <Count label="In carts" value={s.held} testId="event-held" />
              <Count label="Available" value={s.available} testId="event-available" />
            </SimpleGrid>
            <Text size="sm">
              Checkout workers: <span data-testid="event-checkout-workers">{workersLine(s.checkoutWorkers)}</span>
              {" · "}Scan workers: <span data-testid="event-scan-workers">{workersLine(s.scanWorkers)}</span>
            </Text>
          </>
        )}
      </Stack>
    </Paper>
  );
}
