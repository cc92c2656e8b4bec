/**
 * The box office: sells tickets of any tier (hidden ones too) to a buyer
 * at the counter, paid in cash or complimentary. A sale is two steps:
 * `hold` the tickets, then `createBoxOfficeOrder` for the hold. Both carry
 * idempotency keys made for the sale as filled in, so "Sell" again after
 * an error never holds or sells twice; changing the sale gives back the
 * hold made for the old one.
 */
import {
  Alert,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Radio,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState, type FormEvent } from "react";
import { useClient, useQuery } from "urql";
import { ApiError, dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import type { BackstageCreateBoxOfficeOrderMutation as SoldOrder, BoxOfficePayment } from "../../gql/graphql";
import { Link } from "../../app/Shell";
import { EventSelect, useEventChoices } from "../../lib/EventSelect";
import { messageOf, money } from "../../lib/format";
import { pathOf, setQuery, useQueryParam } from "../../routes";
import { useOrg } from "../../session/org";
import {
  BackstageBoxOfficeTiersQuery,
  BackstageCreateBoxOfficeOrderMutation,
  BackstageHoldMutation,
  BackstageReleaseHoldMutation,
} from "./api";
import { saleProblems, saleTotal, seatList, tierLabel, type Sale } from "./boxOffice";

type Sold = SoldOrder["createBoxOfficeOrder"];

interface Attempt {
  key: string;
  holdId: string;
  orderId: string;
  held: boolean;
}

const EMPTY: Sale = { tier: "", quantity: 1, seats: "", payment: "CASH", name: "", email: "" };

function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.network) return "The gateway did not answer. Press Sell again: nothing is sold twice.";
    return e.code ? `${e.message} (${e.code})` : e.message;
  }
  return messageOf(e);
}

function SaleForm({ eventName }: { eventName: string }) {
  const org = useOrg();
  const client = useClient();
  const slug = `${org.namespace}/${eventName}`;
  const [{ data, fetching, error }] = useQuery({
    query: BackstageBoxOfficeTiersQuery,
    variables: { ns: org.namespace, name: eventName },
    requestPolicy: "cache-and-network",
  });
  const [sale, setSale] = useState<Sale>(EMPTY);
  const [shown, setShown] = useState<Partial<Record<keyof Sale, string>>>({});
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [sold, setSold] = useState<Sold | null>(null);

  const event = data?.organization.event;
  const tiers = event?.tiers.nodes ?? [];
  const tier = tiers.find((t) => t.name === (sale.tier || tiers[0]?.name));
  const effective: Sale = { ...sale, tier: tier?.name ?? "" };
  const set = <K extends keyof Sale>(k: K, v: Sale[K]) => setSale((s) => ({ ...s, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = saleProblems(effective, tier);
    setShown(problems);
    if (Object.keys(problems).length > 0 || !tier) return;
    const key = JSON.stringify(effective);
    let a = attempt;
    if (!a || a.key !== key) {
      if (a?.held) void client.mutation(BackstageReleaseHoldMutation, { event: slug, holdId: a.holdId }).toPromise();
      a = { key, holdId: crypto.randomUUID(), orderId: crypto.randomUUID(), held: false };
    }
    setAttempt(a);
    setBusy(true);
    setProblem(null);
    const seats = seatList(effective.seats);
    try {
      const held = dataOf(
        await client
          .mutation(BackstageHoldMutation, {
            event: slug,
            tier: tier.name,
            quantity: effective.quantity,
            seats: seats.length > 0 ? seats : null,
            holdId: a.holdId,
          })
          .toPromise(),
      ).hold;
      if (!held) throw new Error("The tickets could not be held.");
      a = { ...a, held: true };
      setAttempt(a);
      const order = dataOf(
        await client
          .mutation(BackstageCreateBoxOfficeOrderMutation, {
            event: slug,
            holds: [{ holdId: held.id, tier: held.tier, quantity: held.quantity, seats: held.seats }],
            buyer: { name: effective.name.trim() || null, email: effective.email.trim() },
            payment: effective.payment,
            orderId: a.orderId,
          })
          .toPromise(),
      ).createBoxOfficeOrder;
      setSold(order);
      setAttempt(null);
      setSale({ ...EMPTY, tier: effective.tier, payment: effective.payment });
    } catch (err) {
      setProblem(problemText(err));
    } finally {
      setBusy(false);
    }
  };

  if (error && !data) return <Problem title="Tiers not loaded">{error.message}</Problem>;
  if (!data) return fetching ? <Loading label="Loading the tiers…" /> : null;
  if (!event) return <Problem title="No such event">{eventName} is not an event of this organization.</Problem>;
  const total = saleTotal(effective, tier);
  return (
    <Stack gap="md">
      {sold && (
        <Alert color="green" variant="light" role="status" title="Sold" data-testid="box-office-sold">
          <Text>
            Order{" "}
            <Link to={pathOf({ name: "order", ns: org.namespace, event: eventName, orderId: sold.id })}>
              {sold.number}
            </Link>{" "}
            for {sold.buyer.email}: {money(sold.totalMinor, sold.currency)}, {sold.tickets.length} ticket
            {sold.tickets.length === 1 ? "" : "s"}. The tickets are e-mailed to the buyer.
          </Text>
        </Alert>
      )}
      {event.state === "CANCELLED" && (
        <Problem title="Cancelled event">This event is cancelled: nothing can be sold.</Problem>
      )}
      {tiers.length === 0 ? (
        <Text>This event has no tiers yet.</Text>
      ) : (
        <Paper withBorder p="md" maw={560}>
          <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="sale-title">
            <Stack gap="sm">
              <Title order={3} id="sale-title" size="h4">
                New sale
              </Title>
              <NativeSelect
                label="Tier"
                description="Hidden tiers can be sold here."
                value={effective.tier}
                onChange={(e) => set("tier", e.currentTarget.value)}
                data={tiers.map((t) => ({ value: t.name, label: tierLabel(t) }))}
                error={shown.tier}
                data-testid="box-office-tier"
              />
              <NumberInput
                label="Quantity"
                min={1}
                max={tier?.perOrder.max}
                value={effective.quantity}
                onChange={(v) => set("quantity", typeof v === "number" ? v : Number(v) || 0)}
                error={shown.quantity}
                allowDecimal={false}
                data-testid="box-office-quantity"
              />
              <TextInput
                label="Seats or tables (seated tiers only)"
                description="Their labels from the seat map, separated by commas; leave empty otherwise."
                value={effective.seats}
                onChange={(e) => set("seats", e.currentTarget.value)}
                error={shown.seats}
              />
              <Radio.Group
                label="Payment"
                value={effective.payment}
                onChange={(v) => set("payment", v as BoxOfficePayment)}
              >
                <Group gap="lg" mt={4}>
                  <Radio value="CASH" label="Paid at the counter (cash)" data-testid="payment-cash" />
                  <Radio value="COMP" label="Complimentary (free)" data-testid="payment-comp" />
                </Group>
              </Radio.Group>
              <TextInput
                label="Buyer's name"
                value={effective.name}
                onChange={(e) => set("name", e.currentTarget.value)}
                autoComplete="off"
                data-testid="buyer-name"
              />
              <TextInput
                label="Buyer's e-mail address"
                description="The tickets are sent here."
                type="email"
                required
                value={effective.email}
                onChange={(e) => set("email", e.currentTarget.value)}
                error={shown.email}
                autoComplete="off"
                data-testid="buyer-email"
              />
              {total && (
                <Text fw={600} data-testid="box-office-total">
                  To pay: {total}
                  {effective.payment === "CASH" ? " (taxes as the event sets them)" : ""}
                </Text>
              )}
              {problem && <Problem title="Not sold">{problem}</Problem>}
              <Group>
                <Button type="submit" loading={busy} data-testid="box-office-sell">
                  Sell tickets
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}

export default function BoxOfficePage() {
  const { events, error } = useEventChoices();
  const eventName = useQueryParam("event") ?? "";
  return (
    <Stack gap="md">
      <Title order={2}>Box office</Title>
      {error && <Problem title="Events not loaded">{error}</Problem>}
      <EventSelect
        events={events}
        value={eventName}
        onChange={(event) => setQuery({ event })}
        testId="box-office-event"
      />
      {eventName ? (
        <SaleForm key={eventName} eventName={eventName} />
      ) : (
        <Text>Choose the event to sell tickets of.</Text>
      )}
    </Stack>
  );
}
