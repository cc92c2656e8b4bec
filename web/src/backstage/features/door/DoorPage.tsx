/**
 * The door: pick one of the events the caller may scan now (`scanDays`),
 * scan tickets with the camera or by typing the code (`scan`, one
 * `scanId` per scan, resent unchanged on a network failure so a retry
 * never admits twice), the answer big and plain, and "scanned in" cards
 * kept live by the `checkInCounts` subscription.
 */
import "./door.css";
import { NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { QrScanner } from "@sellout/scanner";
import { useState } from "react";
import { useClient, useQuery, useSubscription } from "urql";
import { ApiError, dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import { count, messageOf, nameOfSlug } from "../../lib/format";
import { setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import {
  BackstageCheckInCountsSubscription,
  BackstageDoorSetupQuery,
  BackstageDoorTotalsQuery,
  BackstageScanDaysQuery,
  BackstageScanMutation,
} from "./api";
import {
  cardsOf,
  dayOf,
  deviceId,
  viewOfAnswer,
  type Card,
  type DayCounts,
  type ScanAnswer,
  type Totals,
} from "./scan";

const DEFAULT_GATE = "Main entrance";
const RETRIES = 2;

type Result = { code: string; answer: ScanAnswer } | { code: string; problem: string };

function ResultPanel({ result }: { result: Result | null }) {
  if (!result) return <Text c="dimmed">Scan a ticket: the answer shows here.</Text>;
  if ("problem" in result)
    return (
      <Paper
        p="lg"
        radius="md"
        className="door-result"
        data-tone="refused"
        data-testid="scan-result"
        data-outcome="ERROR"
      >
        <div className="door-result__headline" data-testid="scan-headline">
          Not checked
        </div>
        <Text size="lg" mt="xs" data-testid="scan-reason">
          {result.problem} Scan the ticket again; do not let them in until it is admitted.
        </Text>
      </Paper>
    );
  const v = viewOfAnswer(result.answer);
  const symbol = v.tone === "admitted" ? "✓" : v.tone === "already" ? "!" : "✕";
  return (
    <Paper
      p="lg"
      radius="md"
      className="door-result"
      data-tone={v.tone}
      data-testid="scan-result"
      data-outcome={result.answer.outcome}
    >
      <div className="door-result__headline" data-testid="scan-headline">
        <span aria-hidden="true">{symbol} </span>
        {v.headline}
      </div>
      <Text size="lg" fw={600} mt="xs" data-testid="scan-reason">
        {v.reason}
      </Text>
      {v.details.map((d) => (
        <Text key={d}>{d}</Text>
      ))}
    </Paper>
  );
}

function CountCard({ card }: { card: Card }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="scanned-in" data-kind={card.kind} data-name={card.key}>
      <Text size="sm" fw={500}>
        {card.label}
      </Text>
      <Text className="door-count">
        <span data-testid="scanned-in-count">{count(card.checkedIn)}</span>
        {card.total !== null && (
          <Text span size="lg" fw={500} data-testid="scanned-in-total">
            {" "}
            of {count(card.total)}
          </Text>
        )}
      </Text>
    </Paper>
  );
}

function ScannedIn({ slug, day, gates }: { slug: string; day: number | null; gates: Totals["gates"] }) {
  const org = useOrg();
  const [{ data: live, error }] = useSubscription(
    { query: BackstageCheckInCountsSubscription, variables: { event: slug } },
    (_prev: DayCounts[] | undefined, next) => next.checkInCounts.days,
  );
  const [{ data: totalsData }] = useQuery({
    query: BackstageDoorTotalsQuery,
    variables: { ns: org.namespace, name: nameOfSlug(slug) },
  });
  const event = totalsData?.organization.event;
  const admission = (event?.tiers.nodes ?? []).filter((t) => t.kind === "ADMISSION");
  const soldKnown = admission.length > 0 && admission.every((t) => typeof t.status.sold === "number");
  const totals: Totals = {
    sold: soldKnown ? admission.reduce((s, t) => s + (t.status.sold ?? 0), 0) : (event?.status.sold ?? null),
    tiers: admission.map((t) => ({ name: t.name, displayName: t.displayName, sold: t.status.sold ?? null })),
    gates,
  };
  const cards = cardsOf(dayOf(live ?? [], day), totals);
  return (
    <section aria-labelledby="scanned-in-title">
      <Title order={3} id="scanned-in-title" mb="sm">
        Scanned in{day ? `, day ${day}` : ""}
      </Title>
      {error && (
        <Problem title="Live counts unavailable">{error.message} The figures below may be out of date.</Problem>
      )}
      {!live && !error && <Loading label="Loading the counts…" />}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        {cards.map((c) => (
          <CountCard key={c.key} card={c} />
        ))}
      </SimpleGrid>
    </section>
  );
}

function Scanning({ slug, day }: { slug: string; day: number | null }) {
  const client = useClient();
  const [device] = useState(deviceId);
  const [{ data: setup, error: setupError }] = useQuery({ query: BackstageDoorSetupQuery, variables: { slug } });
  const gates = setup?.scannerKit.gates ?? [];
  const [gateChoice, setGateChoice] = useState<string | null>(null);
  const gate = (gateChoice ?? gates[0]?.name ?? DEFAULT_GATE).trim() || DEFAULT_GATE;
  const [result, setResult] = useState<Result | null>(null);
  const [busy, setBusy] = useState(false);

  const onCode = async (code: string) => {
    const scanId = crypto.randomUUID();
    setBusy(true);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const data = dataOf(
            await client.mutation(BackstageScanMutation, { event: slug, code, gate, device, scanId }).toPromise(),
          );
          setResult({ code, answer: data.scan });
          return;
        } catch (e) {
          if (e instanceof ApiError && e.transient && attempt < RETRIES) {
            await new Promise((r) => setTimeout(r, 400 * (attempt + 1)));
            continue;
          }
          const why = e instanceof ApiError && e.network ? "The gateway did not answer." : messageOf(e);
          setResult({ code, problem: why });
          return;
        }
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      <section aria-labelledby="scan-title">
        <Title order={3} id="scan-title" mb="sm">
          Scan tickets
        </Title>
        {setupError && <Problem title="Gates not loaded">{setupError.message}</Problem>}
        {gates.length > 0 ? (
          <NativeSelect
            label="Gate"
            value={gate}
            onChange={(e) => setGateChoice(e.currentTarget.value)}
            data={gates.map((g) => ({ value: g.name, label: g.displayName }))}
            data-testid="door-gate"
            maw={360}
            mb="sm"
          />
        ) : (
          <TextInput
            label="Gate"
            description="This event names no gates: any name will do."
            value={gateChoice ?? DEFAULT_GATE}
            onChange={(e) => setGateChoice(e.currentTarget.value)}
            data-testid="door-gate"
            maw={360}
            mb="sm"
          />
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
          <div>
            <QrScanner onCode={(text) => void onCode(text)} paused={busy} />
          </div>
          <div aria-live="polite" aria-atomic="true">
            {busy ? <Loading label="Checking the ticket…" /> : <ResultPanel result={result} />}
          </div>
        </SimpleGrid>
      </section>
      <ScannedIn
        slug={slug}
        day={day}
        gates={gates.map((g) => ({ name: g.name, displayName: g.displayName, tiers: g.tiers }))}
      />
    </Stack>
  );
}

export default function DoorPage() {
  const org = useOrg();
  const chosen = useQueryParam("event") ?? "";
  const [{ data, fetching, error }] = useQuery({ query: BackstageScanDaysQuery, requestPolicy: "cache-and-network" });
  const days = (data?.scanDays ?? []).filter((d) => d.event.startsWith(`${org.namespace}/`));
  const events: { name: string; slug: string; label: string; day: number }[] = [];
  for (const d of days) {
    const name = nameOfSlug(d.event);
    if (!events.some((e) => e.name === name))
      events.push({ name, slug: d.event, label: `${d.title} (${d.venue})`, day: d.day });
  }
  const only = events.length === 1 ? events[0] : undefined;
  const current = events.find((e) => e.name === chosen) ?? (chosen === "" ? only : undefined);
  return (
    <Stack gap="lg">
      <Title order={2}>Door</Title>
      {error && <Problem title="Events not loaded">{error.message}</Problem>}
      {fetching && !data && <Loading label="Loading the events you can scan…" />}
      {data && events.length === 0 && (
        <Text>
          Nothing to scan now. An event day can be scanned from 12 hours before its doors open until 6 hours after it
          ends, by SCANNER and above.
        </Text>
      )}
      {events.length > 0 && (
        <NativeSelect
          label="Event"
          description="The events whose doors you can scan now."
          value={current?.name ?? ""}
          onChange={(e) => setQuery({ event: e.currentTarget.value })}
          data={[
            ...(current ? [] : [{ value: "", label: "Choose an event" }]),
            ...events.map((e) => ({ value: e.name, label: e.label })),
          ]}
          data-testid="door-event"
          maw={480}
        />
      )}
      {chosen !== "" && data && !current && (
        <Problem title="Not open for scanning">
          {chosen} is not among the events you can scan now. Pick one above.
        </Problem>
      )}
      {current && <Scanning key={current.slug} slug={current.slug} day={current.day} />}
    </Stack>
  );
}
