import { Anchor, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { errorCode } from "../../api/errors";
import { useSession } from "../../api/useSession";
import { Loading, Problem } from "../../components/Status";
import { announceCompleted } from "../../embed/frame";
import { useFormat } from "../../i18n";
import { navigate, pathOf } from "../../routes";
import { reportPurchase } from "../analytics";
import { SignIn } from "../auth";
import { OrderQuery } from "./api";
import { useOrderStatus } from "./useOrderStatus";

/** One order of the signed-in buyer: number, lines, total, and its tickets once issued. */
export function ConfirmationPage({ slug, orderId }: { slug: string; orderId: string }) {
  const { t } = useTranslation();
  const session = useSession();
  if (!session) return <SignIn intro={t("auth.signInToSee")} />;
  return <Confirmation key={session.email} slug={slug} orderId={orderId} />;
}

function Confirmation({ slug, orderId }: { slug: string; orderId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [{ data, error }, refetch] = useQuery({
    query: OrderQuery,
    variables: { event: slug, id: orderId },
    requestPolicy: "network-only",
  });
  const order = data?.order;
  const known = order?.state;
  const status = useOrderStatus(slug, orderId, known === "COMPLETED" || known === undefined);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // a new state (the tickets issued): load the order again
  useEffect(() => {
    if (status.state && known && status.state !== known) refetch({ requestPolicy: "network-only" });
  }, [status.state, known, refetch]);

  useEffect(() => {
    if (order?.state !== "COMPLETED") return;
    announceCompleted(order.event ?? slug, String(order.id), order.number);
    reportPurchase(slug, { ...order, id: String(order.id) });
  }, [order, slug]);

  useEffect(() => {
    if (order) {
      document.title = `${t("orders.order", { number: order.number })} · ${t("common.appName")}`;
      headingRef.current?.focus();
    }
  }, [order?.number, t]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!data && error) {
    const code = errorCode(error);
    return (
      <Problem>
        {code === "NOT_FOUND" || code === "UNKNOWN_ORDER" ? t("orders.notFound") : t("common.networkError")}
      </Problem>
    );
  }
  if (!order) return <Loading label={t("common.loading")} />;
  const completed = order.state === "COMPLETED";
  const eventPath = pathOf({ name: "event", slug });
  const ordersPath = pathOf({ name: "orders", slug });

  return (
    <Stack gap="sm" py="md">
      <Title order={1} size="h2" ref={headingRef} tabIndex={-1}>
        {completed ? t("orders.thanks", { number: order.number }) : t("orders.order", { number: order.number })}
      </Title>
      <dl className="facts">
        <dt>{t("orders.number")}</dt>
        <dd data-testid="order-number">{order.number}</dd>
        <dt>{t("orders.status")}</dt>
        <dd aria-live="polite">{t(`orders.states.${order.state}`, { defaultValue: order.state })}</dd>
      </dl>
      <Text>{t("orders.placed", { date: f.dateTime(order.placedAtMs) })}</Text>
      <Paper withBorder p="md">
        <ul className="lines">
          {order.lines.map((l) => (
            <li key={l.tier}>
              <span>{t("quote.line", { quantity: l.quantity, description: l.description })}</span>
              <span className="money">{f.money(l.amountMinor, order.currency)}</span>
            </li>
          ))}
          {order.charges.map((c, i) => (
            <li key={`${c.label}-${i}`}>
              <span>{c.label}</span>
              <span className="money">{f.money(c.amountMinor, order.currency)}</span>
            </li>
          ))}
          <li className="total">
            <span>{t("quote.total")}</span>
            <span className="money" data-testid="order-total">
              {f.money(order.totalMinor, order.currency)}
            </span>
          </li>
        </ul>
      </Paper>
      <section aria-labelledby="tickets-heading">
        <Title order={2} size="h3" id="tickets-heading" mb="xs">
          {t("orders.tickets")}
        </Title>
        {order.tickets.length ? (
          <ul className="tickets" data-testid="tickets">
            {order.tickets.map((ticket) => (
              <li key={ticket.id}>
                <Text fw={600}>{ticket.label}</Text>
                {ticket.seat && <Text>{t("orders.seat", { seat: ticket.seat })}</Text>}
                {ticket.admissions > 1 && <Text size="sm">{t("orders.admits", { count: ticket.admissions })}</Text>}
                {ticket.refunded && <Text size="sm">{t("orders.refunded")}</Text>}
              </li>
            ))}
          </ul>
        ) : (
          <Loading label={order.state === "PAYMENT_FAILED" ? t("orders.states.PAYMENT_FAILED") : t("orders.issuing")} />
        )}
        {completed && (
          <Text fw={600} mt="sm" data-testid="tickets-sent">
            {t("orders.sentTo", { email: order.buyer.email })}
          </Text>
        )}
        {order.paymentError && <Problem>{t("pay.failed", { reason: order.paymentError })}</Problem>}
      </section>
      <Group>
        <Anchor
          href={eventPath}
          onClick={(e) => {
            e.preventDefault();
            navigate(eventPath);
          }}
        >
          {t("orders.backToEvent")}
        </Anchor>
        <Anchor
          href={ordersPath}
          onClick={(e) => {
            e.preventDefault();
            navigate(ordersPath);
          }}
        >
          {t("orders.mine")}
        </Anchor>
      </Group>
    </Stack>
  );
}
