/**
 * One order, as staff see it: the buyer, what was bought, the tickets
 * (refunded or not), charges and refunds; e-mailing the tickets again
 * (BOX_OFFICE and above) and refunds of one ticket or the whole order
 * (ADMIN and above), each confirmed first. A refund's idempotency key is
 * made when its dialog opens, so confirming again after an error never
 * refunds twice.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useState } from "react";
import { useClient, useQuery } from "urql";
import { ApiError, dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import type { PageProps } from "../../app/pages";
import { FiguresRow, FiguresTable, spanning, type FiguresColumn } from "../../components/FiguresTable";
import { ConfirmModal } from "../../lib/ConfirmModal";
import { ExportButton } from "../../lib/ExportButton";
import { dateTime, messageOf, money, plural } from "../../lib/format";
import { pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { atLeast } from "../../session/roles";
import {
  BackstageOrderQuery,
  BackstageRefundOrderMutation,
  BackstageRefundTicketsMutation,
  BackstageResendTicketsMutation,
} from "./api";
import {
  orderRefundable,
  refundSummary,
  STATE_COLORS,
  STATE_LABELS,
  ticketRefundable,
  type FullOrder,
  type OrderTicket,
} from "./orders";

const LINE_COLUMNS: FiguresColumn[] = [
  { label: "Item" },
  { label: "Quantity", numeric: true },
  { label: "Each", numeric: true },
  { label: "Amount", numeric: true },
];

type Action =
  { kind: "resend" } | { kind: "order"; refundId: string } | { kind: "ticket"; ticket: OrderTicket; refundId: string };

function problemText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.network) return "The gateway did not answer: nothing is known to have changed. Try again.";
    return e.code ? `${e.message} (${e.code})` : e.message;
  }
  return messageOf(e);
}

function Actions({ order, slug, onDone }: { order: FullOrder; slug: string; onDone: (notice: string) => void }) {
  const org = useOrg();
  const client = useClient();
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const admin = atLeast(org.role, "ADMIN");

  const open = (a: Action) => {
    setAction(a);
    setReason("");
    setProblem(null);
  };
  const confirm = async () => {
    if (!action) return;
    setBusy(true);
    setProblem(null);
    try {
      const why = reason.trim() || null;
      if (action.kind === "resend") {
        dataOf(await client.mutation(BackstageResendTicketsMutation, { orderId: order.id }).toPromise());
        onDone(`The tickets are on their way to ${order.buyer.email} (at most one copy every 10 minutes).`);
      } else if (action.kind === "order") {
        const r = dataOf(
          await client
            .mutation(BackstageRefundOrderMutation, {
              event: slug,
              orderId: order.id,
              reason: why,
              refundId: action.refundId,
            })
            .toPromise(),
        ).refundOrder;
        onDone(`Order refunded: ${refundSummary(r)}`);
      } else {
        const r = dataOf(
          await client
            .mutation(BackstageRefundTicketsMutation, {
              event: slug,
              orderId: order.id,
              ticketIds: [action.ticket.id],
              reason: why,
              refundId: action.refundId,
            })
            .toPromise(),
        ).refundTickets;
        onDone(`Ticket ${action.ticket.label} refunded: ${refundSummary(r)}`);
      }
      setAction(null);
    } catch (e) {
      setProblem(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const reasonInput = (
    <TextInput
      label="Reason (optional)"
      description="Kept with the refund and put in the buyer's e-mail."
      value={reason}
      onChange={(e) => setReason(e.currentTarget.value)}
      data-testid="refund-reason"
    />
  );
  const left = order.tickets.filter((t) => !t.refunded).length;
  return (
    <>
      <Group gap="sm">
        {order.state === "COMPLETED" && (
          <Button variant="default" onClick={() => open({ kind: "resend" })} data-testid="resend-tickets">
            Resend tickets
          </Button>
        )}
        {admin && orderRefundable(order) && (
          <Button
            color="red"
            variant="outline"
            onClick={() => open({ kind: "order", refundId: crypto.randomUUID() })}
            data-testid="refund-order"
          >
            Refund order
          </Button>
        )}
      </Group>
      <TicketsTable
        order={order}
        onRefund={admin ? (ticket) => open({ kind: "ticket", ticket, refundId: crypto.randomUUID() }) : null}
      />
      <ConfirmModal
        opened={action?.kind === "resend"}
        title="Resend the tickets?"
        confirmLabel="Send them again"
        color="blue"
        onConfirm={() => void confirm()}
        onClose={() => setAction(null)}
        busy={busy}
        problem={problem}
      >
        {`The tickets of order ${order.number} are e-mailed again to ${order.buyer.email}.`}
      </ConfirmModal>
      <ConfirmModal
        opened={action?.kind === "order"}
        title="Refund the whole order?"
        confirmLabel="Confirm refund"
        onConfirm={() => void confirm()}
        onClose={() => setAction(null)}
        busy={busy}
        problem={problem}
      >
        <Text>
          Everything of order {order.number} not refunded yet ({plural(left, "ticket")}, up to{" "}
          {money(order.totalMinor - order.refundedMinor, order.currency)}, fees included) goes back to the buyer. The
          tickets stop working at every scanner and go back on sale. This cannot be undone.
        </Text>
        {reasonInput}
      </ConfirmModal>
      <ConfirmModal
        opened={action?.kind === "ticket"}
        title="Refund this ticket?"
        confirmLabel="Confirm refund"
        onConfirm={() => void confirm()}
        onClose={() => setAction(null)}
        busy={busy}
        problem={problem}
      >
        <Text>
          {action?.kind === "ticket" ? action.ticket.label : "The ticket"} is refunded: its share of what was paid goes
          back to the buyer (without the fees, unless it is the order&apos;s last ticket), and it stops working at every
          scanner. This cannot be undone.
        </Text>
        {reasonInput}
      </ConfirmModal>
    </>
  );
}

function TicketsTable({ order, onRefund }: { order: FullOrder; onRefund: ((t: OrderTicket) => void) | null }) {
  return (
    <section aria-labelledby="tickets-title">
      <Title order={3} id="tickets-title" mb="xs">
        Tickets
      </Title>
      {order.tickets.length === 0 ? (
        <Text>No tickets issued: they are issued once the order is completed.</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table data-testid="order-tickets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Ticket</Table.Th>
                <Table.Th scope="col">Tier</Table.Th>
                <Table.Th scope="col">Seat</Table.Th>
                <Table.Th scope="col">Admits</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                {onRefund && (
                  <Table.Th scope="col">
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {order.tickets.map((t) => (
                <Table.Tr key={t.id} data-testid="ticket-row" data-ticket-id={t.id}>
                  <Table.Td>{t.label}</Table.Td>
                  <Table.Td>{t.tier}</Table.Td>
                  <Table.Td>{t.seat ?? "—"}</Table.Td>
                  <Table.Td>{t.admissions}</Table.Td>
                  <Table.Td>
                    <Badge color={t.refunded ? "gray" : "green"} variant="light" data-testid="ticket-state">
                      {t.refunded ? "Refunded" : "Valid"}
                    </Badge>
                  </Table.Td>
                  {onRefund && (
                    <Table.Td>
                      {ticketRefundable(order, t) && (
                        <Button
                          size="compact-sm"
                          color="red"
                          variant="subtle"
                          onClick={() => onRefund(t)}
                          data-testid="refund-ticket"
                          data-ticket-id={t.id}
                        >
                          Refund ticket
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="sm" c="dimmed" mt="xs">
        Whether a ticket was checked in is in the check-ins export (CSV) of the event; the order does not carry it.
      </Text>
    </section>
  );
}

export default function OrderPage({ route }: PageProps) {
  const org = useOrg();
  const eventName = route.name === "order" ? route.event : "";
  const orderId = route.name === "order" ? route.orderId : "";
  const slug = `${org.namespace}/${eventName}`;
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: BackstageOrderQuery,
    variables: { event: slug, id: orderId },
  });
  const [notice, setNotice] = useState<string | null>(null);
  const back = <Link to={pathOf({ name: "orders", ns: org.namespace })}>All orders</Link>;
  if (error && !data)
    return (
      <Stack>
        <Title order={2}>Order</Title>
        <Problem title={error.graphQLErrors[0]?.extensions.code === "NOT_FOUND" ? "No such order" : "Order not loaded"}>
          {error.message}
        </Problem>
        {back}
      </Stack>
    );
  if (!data) return fetching ? <Loading label="Loading the order…" /> : null;
  const o = data.order;
  return (
    <Stack gap="lg">
      <div>
        {back}
        <Group gap="sm" mt="xs">
          <Title order={2}>Order {o.number}</Title>
          <Badge color={STATE_COLORS[o.state]} variant="light" size="lg" data-testid="order-state">
            {STATE_LABELS[o.state]}
          </Badge>
        </Group>
        <Text c="dimmed">
          Placed {dateTime(o.placedAtMs)} · {eventName}
        </Text>
      </div>
      {notice && (
        <Alert
          color="green"
          variant="light"
          role="status"
          data-testid="order-notice"
          withCloseButton
          onClose={() => setNotice(null)}
          closeButtonLabel="Dismiss"
        >
          {notice}
        </Alert>
      )}
      {o.paymentError && <Problem title="Payment failed">{o.paymentError}</Problem>}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            Total
          </Text>
          <Text size="xl" fw={700} data-testid="order-total">
            {money(o.totalMinor, o.currency)}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            Refunded
          </Text>
          <Text size="xl" fw={700} data-testid="order-refunded">
            {money(o.refundedMinor, o.currency)}
          </Text>
        </Paper>
        <Paper withBorder p="md" data-testid="order-buyer">
          <Text size="sm" c="dimmed">
            Buyer
          </Text>
          <Text fw={600}>{o.buyer.name || "—"}</Text>
          <Text size="sm">{o.buyer.email}</Text>
          {o.buyer.phone && <Text size="sm">{o.buyer.phone}</Text>}
          {o.customer && (
            <Text size="sm" c="dimmed">
              {plural(o.customer.orders, "order")}, lifetime value{" "}
              {money(o.customer.lifetimeValueMinor, o.customer.currency)}
            </Text>
          )}
        </Paper>
      </SimpleGrid>

      <Actions
        order={o}
        slug={slug}
        onDone={(n) => {
          setNotice(n);
          reexecute({ requestPolicy: "network-only" });
        }}
      />

      <section aria-labelledby="lines-title">
        <Title order={3} id="lines-title" mb="xs">
          What was bought
        </Title>
        <FiguresTable columns={LINE_COLUMNS} testId="order-lines">
          {o.lines.map((l) => (
            <FiguresRow
              key={l.tier}
              cells={[l.description, l.quantity, money(l.unitPriceMinor, o.currency), money(l.amountMinor, o.currency)]}
            />
          ))}
          {o.charges.map((c, i) => (
            <FiguresRow key={`charge-${i}`} cells={[spanning(3, c.label), money(c.amountMinor, o.currency)]} />
          ))}
          <FiguresRow total cells={[spanning(3, "Total"), money(o.totalMinor, o.currency)]} />
        </FiguresTable>
      </section>

      <section aria-labelledby="refunds-title">
        <Title order={3} id="refunds-title" mb="xs">
          Refunds
        </Title>
        {o.refunds.length === 0 ? (
          <Text>None.</Text>
        ) : (
          <Table data-testid="order-refunds">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Amount</Table.Th>
                <Table.Th scope="col">Tickets</Table.Th>
                <Table.Th scope="col">State</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {o.refunds.map((r) => (
                <Table.Tr key={r.id} data-testid="refund-row">
                  <Table.Td>
                    {money(r.amountMinor, r.currency)}
                    {r.feesReturned ? " (fees included)" : ""}
                  </Table.Td>
                  <Table.Td>{r.ticketIds.length}</Table.Td>
                  <Table.Td>{r.state}</Table.Td>
                  <Table.Td>{r.reason || "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      {atLeast(org.role, "ADMIN") && <ExportButton ns={org.namespace} event={eventName} kind="CHECK_INS" />}
    </Stack>
  );
}
