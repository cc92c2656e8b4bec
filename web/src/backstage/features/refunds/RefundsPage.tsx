/**
 * Refunds: each event's refund figures (`refundStats`), what was refunded
 * of the orders placed each week (`salesSeries`), and the refund of a
 * whole cancelled event (`refundEvent`): first a dry run that says what it
 * would do, then, once confirmed, the refund itself.
 */
import { Button, Group, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useClient, useQuery } from "urql";
import { ApiError, dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import { FiguresRow, FiguresTable, spanning, type FiguresColumn } from "../../components/FiguresTable";
import { ConfirmModal } from "../../lib/ConfirmModal";
import { EventSelect, useEventChoices, type EventChoice } from "../../lib/EventSelect";
import { dateTime, messageOf, money } from "../../lib/format";
import { setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import { BackstageRefundEventMutation, BackstageRefundSeriesQuery, BackstageRefundStatsQuery } from "./api";
import { lastWeeks, reportSentence, viewOfStats, type Report } from "./refunds";

const WEEKS = 12;
const BY_EVENT_COLUMNS: FiguresColumn[] = [
  { label: "Event" },
  { label: "Refunds", numeric: true },
  { label: "Tickets", numeric: true },
  { label: "Amount", numeric: true },
];
const OVER_TIME_COLUMNS: FiguresColumn[] = [
  { label: "Week from" },
  { label: "Orders", numeric: true },
  { label: "Paid", numeric: true },
  { label: "Refunded", numeric: true },
];

function problemText(e: unknown): string {
  if (e instanceof ApiError) return e.code ? `${e.message} (${e.code})` : e.message;
  return messageOf(e);
}

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

function EventStats({ slug }: { slug: string }) {
  const [{ data, fetching, error }] = useQuery({
    query: BackstageRefundStatsQuery,
    variables: { event: slug },
    requestPolicy: "cache-and-network",
  });
  if (error && !data) return <Problem title="Refund figures not loaded">{error.message}</Problem>;
  if (!data) return fetching ? <Loading label="Loading the refund figures…" /> : null;
  const v = viewOfStats(data.refundStats);
  return (
    <section aria-labelledby="stats-title" data-testid="refund-stats">
      <Title order={3} id="stats-title" mb="xs">
        Refunded so far
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        <Figure label="Tickets refunded" value={v.count} testId="refund-count" />
        <Figure label="Money back to buyers" value={v.amount} testId="refund-amount" />
        <Figure label="Of which fees" value={v.fees} testId="refund-fees" />
        <Figure label="Orders refunded in full" value={v.fullyRefunded} testId="refund-orders" />
      </SimpleGrid>
      <Text size="sm" c="dimmed" mt="xs">
        {v.refunds} completed. Refunds still pending at Stripe are not counted yet.
      </Text>
    </section>
  );
}

function EventRow({ ns, event }: { ns: string; event: EventChoice }) {
  const [{ data, error }] = useQuery({ query: BackstageRefundStatsQuery, variables: { event: `${ns}/${event.name}` } });
  const s = data?.refundStats;
  return (
    <FiguresRow
      data-testid="refund-event-row"
      data-event={event.name}
      cells={[
        `${event.title}${event.state === "CANCELLED" ? " (cancelled)" : ""}`,
        ...(s
          ? [s.refunds, s.tickets, money(s.amountMinor, s.currency)]
          : [spanning(3, error ? `Not loaded: ${error.message}` : "Loading…")]),
      ]}
    />
  );
}

function OverTime({ ns, event }: { ns: string; event: string | null }) {
  const [range] = useState(() => lastWeeks(new Date(), WEEKS));
  const [{ data, fetching, error }] = useQuery({
    query: BackstageRefundSeriesQuery,
    variables: { ns, event, from: range.from, to: range.to, bucket: "WEEK" },
  });
  return (
    <section aria-labelledby="over-time-title">
      <Title order={3} id="over-time-title" mb="xs">
        Over time
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        What has been refunded of the orders placed each week (the last {WEEKS} weeks, UTC).
      </Text>
      {error && <Problem title="Series not loaded">{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading…" />}
      {data && data.salesSeries.length === 0 && <Text>No orders in these weeks.</Text>}
      {data?.salesSeries.map((series) => (
        <FiguresTable
          key={series.currency}
          columns={OVER_TIME_COLUMNS}
          caption={`In ${series.currency}`}
          testId="refunds-over-time"
        >
          {series.buckets.map((b) => (
            <FiguresRow
              key={b.start}
              cells={[
                dateTime(b.start, "UTC").replace(/, 00:00$/, ""),
                b.orders,
                money(b.grossMinor, series.currency),
                money(b.refundedMinor, series.currency),
              ]}
            />
          ))}
          <FiguresRow
            total
            cells={[
              "Total",
              series.total.orders,
              money(series.total.grossMinor, series.currency),
              money(series.total.refundedMinor, series.currency),
            ]}
          />
        </FiguresTable>
      ))}
    </section>
  );
}

function RefundWholeEvent({ event, slug, onDone }: { event: EventChoice; slug: string; onDone: () => void }) {
  const client = useClient();
  const [preview, setPreview] = useState<Report | null>(null);
  const [done, setDone] = useState<Report | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const cancelled = event.state === "CANCELLED";
  const run = async (dryRun: boolean) => {
    setBusy(true);
    setProblem(null);
    try {
      const r = dataOf(
        await client.mutation(BackstageRefundEventMutation, { event: slug, dryRun }).toPromise(),
      ).refundEvent;
      if (dryRun) setPreview(r);
      else {
        setPreview(null);
        setDone(r);
        onDone();
      }
    } catch (e) {
      setProblem(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="whole-event-title">
      <Title order={3} id="whole-event-title" mb="xs">
        Refund the whole event
      </Title>
      <Text mb="sm">
        {cancelled
          ? "Every completed order of this cancelled event is refunded in full, fees included. First see what it would refund."
          : "Only a cancelled event can be refunded as a whole: cancel the event first (Events), or refund orders one by one."}
      </Text>
      <Group>
        <Button
          color="red"
          variant="outline"
          disabled={!cancelled}
          loading={busy && !preview}
          onClick={() => void run(true)}
          data-testid="refund-event-preview"
        >
          Preview the refund
        </Button>
      </Group>
      {problem && !preview && <Problem title="Not done">{problem}</Problem>}
      {done && (
        <Paper withBorder p="md" mt="sm" role="status" data-testid="refund-event-report">
          <Text>{reportSentence(done)}</Text>
          {done.failedOrders.length > 0 && <Text size="sm">Not refunded yet: {done.failedOrders.join(", ")}</Text>}
        </Paper>
      )}
      <ConfirmModal
        opened={preview !== null}
        title={`Refund ${event.title}?`}
        confirmLabel="Confirm refund"
        onConfirm={() => void run(false)}
        onClose={() => setPreview(null)}
        busy={busy}
        problem={problem}
      >
        <Text data-testid="refund-event-dry-run">{preview ? reportSentence(preview) : ""}</Text>
        <Text size="sm">
          The buyers get their money back and an e-mail; their tickets stop working. This cannot be undone.
        </Text>
      </ConfirmModal>
    </section>
  );
}

export default function RefundsPage() {
  const org = useOrg();
  const { events, fetching, error } = useEventChoices();
  const chosen = useQueryParam("event") ?? "";
  const event = events.find((e) => e.name === chosen);
  const [round, setRound] = useState(0);
  return (
    <Stack gap="lg">
      <Title order={2}>Refunds</Title>
      {error && <Problem title="Events not loaded">{error}</Problem>}
      <EventSelect
        events={events}
        value={chosen}
        onChange={(name) => setQuery({ event: name })}
        allLabel="All events"
      />
      {event ? (
        <>
          <EventStats key={`${event.name}-${round}`} slug={`${org.namespace}/${event.name}`} />
          <RefundWholeEvent
            key={event.name}
            event={event}
            slug={`${org.namespace}/${event.name}`}
            onDone={() => setRound((r) => r + 1)}
          />
        </>
      ) : (
        <section aria-labelledby="per-event-title">
          <Title order={3} id="per-event-title" mb="xs">
            By event
          </Title>
          {fetching && events.length === 0 && <Loading label="Loading the events…" />}
          {!fetching && events.length === 0 && <Text>No events yet.</Text>}
          {events.length > 0 && (
            <FiguresTable columns={BY_EVENT_COLUMNS} testId="refunds-by-event">
              {events.map((e) => (
                <EventRow key={e.name} ns={org.namespace} event={e} />
              ))}
            </FiguresTable>
          )}
          <Text size="sm" c="dimmed" mt="xs">
            Choose an event for its figures and to refund a cancelled one as a whole.
          </Text>
        </section>
      )}
      <OverTime key={chosen} ns={org.namespace} event={event ? event.name : null} />
    </Stack>
  );
}
