/**
 * Analytics: sales, check-ins and promo-code use of one event or all, by
 * hour, day or week (UTC). The charts come in their own lazily loaded
 * module; the figures they show are also written out as totals and tables.
 */
import { NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { lazy, Suspense, useState } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { FiguresRow, FiguresTable, type FiguresColumn } from "../../components/FiguresTable";
import type { Bucket } from "../../gql/graphql";
import { EventSelect, useEventChoices } from "../../lib/EventSelect";
import { count, money } from "../../lib/format";
import { setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import { BackstageAnalyticsQuery } from "./api";
import { BuyerMap } from "./BuyerMap";
import { BUCKET_LABELS, checkInRows, MAX_DAYS, promoRows, rangeFor, salesRows } from "./analytics";

const SalesChart = lazy(() => import("./Charts").then((m) => ({ default: m.SalesChart })));
const CheckInChart = lazy(() => import("./Charts").then((m) => ({ default: m.CheckInChart })));
const PromoChart = lazy(() => import("./Charts").then((m) => ({ default: m.PromoChart })));

const BUCKETS: Bucket[] = ["HOUR", "DAY", "WEEK"];
const PROMO_COLUMNS: FiguresColumn[] = [
  { label: "Code" },
  { label: "Orders", numeric: true },
  { label: "Tickets", numeric: true },
  { label: "Paid", numeric: true },
];
const RANGES = [2, 7, 14, 30, 90, 365];

function isBucket(s: string | null): s is Bucket {
  return s === "HOUR" || s === "DAY" || s === "WEEK";
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

export default function AnalyticsPage() {
  const org = useOrg();
  const { events, error: eventsError } = useEventChoices();
  const event = useQueryParam("event") ?? "";
  const bucketParam = useQueryParam("bucket");
  const bucket: Bucket = isBucket(bucketParam) ? bucketParam : "DAY";
  const wanted = Number(useQueryParam("days") ?? "30") || 30;
  const [now] = useState(() => Date.now());
  const range = rangeFor(bucket, wanted, now);
  const [{ data, fetching, error }] = useQuery({
    query: BackstageAnalyticsQuery,
    variables: { ns: org.namespace, event: event || null, from: range.from, to: range.to, bucket },
  });
  const sales = data ? salesRows(data.salesSeries, bucket) : [];
  const currencies = data?.salesSeries.map((s) => s.currency) ?? [];
  const checkIns = data ? checkInRows(data.checkInSeries, bucket) : [];
  const promos = data ? promoRows(data.promoUsage) : [];
  const tickets = data?.salesSeries.reduce((n, s) => n + s.total.tickets, 0) ?? 0;
  const orders = data?.salesSeries.reduce((n, s) => n + s.total.orders, 0) ?? 0;

  return (
    <Stack gap="lg">
      <Title order={2}>Analytics</Title>
      {eventsError && <Problem title="Events not loaded">{eventsError}</Problem>}
      <SimpleGrid cols={{ base: 1, sm: 3 }} maw={900}>
        <EventSelect events={events} value={event} onChange={(e) => setQuery({ event: e })} allLabel="All events" />
        <NativeSelect
          label="Group by"
          value={bucket}
          onChange={(e) => setQuery({ bucket: e.currentTarget.value })}
          data={BUCKETS.map((b) => ({ value: b, label: BUCKET_LABELS[b] }))}
          data-testid="analytics-bucket"
        />
        <NativeSelect
          label="Period"
          value={String(range.days)}
          onChange={(e) => setQuery({ days: e.currentTarget.value })}
          data={RANGES.filter((d) => d <= MAX_DAYS[bucket]).map((d) => ({ value: String(d), label: `Last ${d} days` }))}
          data-testid="analytics-range"
        />
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        Times are UTC. {bucket === "HOUR" ? `By hour covers at most ${MAX_DAYS.HOUR} days.` : ""}
      </Text>
      {error && <Problem title="Analytics not loaded">{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading analytics…" />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} data-testid="analytics-totals">
            <Figure label="Orders" value={count(orders)} testId="total-orders" />
            <Figure label="Tickets sold" value={count(tickets)} testId="total-tickets" />
            {data.salesSeries.map((s) => (
              <Figure
                key={s.currency}
                label={`Paid (${s.currency})`}
                value={money(s.total.grossMinor, s.currency)}
                testId="total-gross"
              />
            ))}
            <Figure label="Checked in" value={count(data.checkInSeries.total.checkIns)} testId="total-check-ins" />
          </SimpleGrid>
          <section aria-labelledby="sales-title">
            <Title order={3} id="sales-title" mb="xs">
              Sales
            </Title>
            {sales.length === 0 ? (
              <Text>No sales in this period.</Text>
            ) : (
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <div role="img" aria-label={`Tickets sold and money paid, ${BUCKET_LABELS[bucket].toLowerCase()}`}>
                  <SalesChart rows={sales} currencies={currencies} />
                </div>
              </Suspense>
            )}
          </section>
          <section aria-labelledby="check-ins-title">
            <Title order={3} id="check-ins-title" mb="xs">
              Check-ins
            </Title>
            {checkIns.length === 0 ? (
              <Text>No check-ins in this period.</Text>
            ) : (
              <Suspense fallback={<Loading label="Loading the chart…" />}>
                <div role="img" aria-label={`Check-ins at the door, ${BUCKET_LABELS[bucket].toLowerCase()}`}>
                  <CheckInChart rows={checkIns} />
                </div>
              </Suspense>
            )}
          </section>
          <section aria-labelledby="promo-title">
            <Title order={3} id="promo-title" mb="xs">
              Promo codes
            </Title>
            {data.promoUsage.length === 0 ? (
              <Text>No promo codes used.</Text>
            ) : (
              <>
                <Suspense fallback={<Loading label="Loading the chart…" />}>
                  <div role="img" aria-label="Orders and tickets per promo code">
                    <PromoChart rows={promos} />
                  </div>
                </Suspense>
                <FiguresTable columns={PROMO_COLUMNS} testId="promo-usage" mt="sm">
                  {data.promoUsage.map((u) => (
                    <FiguresRow
                      key={`${u.code} ${u.currency}`}
                      cells={[u.code, u.orders, u.tickets, money(u.grossMinor, u.currency)]}
                    />
                  ))}
                </FiguresTable>
              </>
            )}
          </section>
        </>
      )}
      <BuyerMap event={event} />
    </Stack>
  );
}
