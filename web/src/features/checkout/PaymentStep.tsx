import { Button, Paper, Stack, Text, Title } from "@mantine/core";
import { useContext, useEffect, useId, useRef, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useClient, useQuery } from "urql";
import { toApiError } from "../../api/errors";
import { uuid } from "../../api/ids";
import { useQuote } from "../../components/Quote";
import { Loading, Problem } from "../../components/Status";
import { useFormat } from "../../i18n";
import { useOrderStatus } from "../orders";
import { CreateOrderMutation, PayOrderMutation, PortalConfigQuery } from "./api";
import { buyerInput, type BuyerDetails } from "./buyer";
import { HOLD_GONE, type HeldTier } from "./holds";
import { PaymentsContext, type CardField } from "./payment";

export interface OrderDone {
  id: string;
  number: string;
}

export interface PaymentCallbacks {
  onPaying: (busy: boolean) => void;
  onOrderPlaced: () => void;
  onHoldsGone: () => void;
  onPaymentFailed: (reason: string) => void;
  onCompleted: (order: OrderDone) => void;
  /** The session ended (or was refused): sign in again. */
  onSignInAgain: () => void;
}

interface Props extends PaymentCallbacks {
  event: string;
  checkout: string;
  holds: HeldTier[];
  buyer: BuyerDetails;
}

const SIGNED_OUT = new Set(["UNAUTHENTICATED", "TOKEN_EXPIRED", "BAD_TOKEN"]);

/** The decline, with Stripe's reason when it says more than "declined". */
function declined(t: TFunction, reason: string): string {
  const r = reason.trim().replace(/\.$/, "");
  return r && !/^your card (was|has been) declined$/i.test(r)
    ? t("pay.declinedBecause", { reason: r })
    : t("pay.declined");
}

/** The card, the pay button, the order, and its state until it completes. */
export function PaymentStep({ event, checkout, holds, buyer, ...on }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useClient();
  const headingId = useId();
  const cardLabelId = useId();
  const loadPayments = useContext(PaymentsContext);
  const [{ data: config, error: configError }] = useQuery({ query: PortalConfigQuery });
  const quote = useQuote(
    event,
    holds.map((h) => ({ tier: h.tier, quantity: h.quantity })),
  ).data?.quote;
  const free = quote?.totalMinor === 0;
  const publishableKey = config?.portalConfig.stripePublishableKey ?? null;
  const jsUrl = config?.portalConfig.stripeJsUrl;
  const cardRef = useRef<HTMLDivElement>(null);
  const card = useRef<CardField | null>(null);
  const [cardState, setCardState] = useState<"loading" | "ready" | "failed">("loading");
  const [cardError, setCardError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [orderId, setOrderId] = useState(() => uuid());
  /** The order was placed and a card declined: the next card pays it (payOrder). */
  const [unpaid, setUnpaid] = useState(false);
  const [placed, setPlaced] = useState<OrderDone | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    if (free !== false || !publishableKey || !jsUrl || !cardRef.current) return;
    const el = cardRef.current;
    let gone = false;
    loadPayments({ publishableKey, jsUrl, locale: f.locale }).then(
      (payments) => {
        if (gone) return;
        card.current = payments.mountCard(el, {
          number: t("pay.cardNumber"),
          expMonth: t("pay.expMonth"),
          expYear: t("pay.expYear"),
          cvc: t("pay.cvc"),
          postalCode: t("pay.postalCode"),
        });
        setCardState("ready");
      },
      () => {
        if (!gone) setCardState("failed");
      },
    );
    return () => {
      gone = true;
      card.current?.destroy();
      card.current = null;
    };
  }, [free, publishableKey, jsUrl, loadPayments, f.locale, t]);

  const pay = async () => {
    setCardError(null);
    setProblem(null);
    setBusy(true);
    on.onPaying(true);
    try {
      let paymentMethod: string | undefined;
      if (!free) {
        if (!card.current) return;
        const pm = await card.current.paymentMethod();
        if (!pm.ok) {
          setCardError(
            pm.reason === "empty"
              ? t("pay.enterCard")
              : pm.reason === "declined"
                ? declined(t, pm.message)
                : t("pay.cardInvalid", { reason: pm.message }),
          );
          return;
        }
        paymentMethod = pm.id;
      }
      const result =
        unpaid && paymentMethod
          ? await client.mutation(PayOrderMutation, { event, orderId, paymentMethod }).toPromise()
          : await client
              .mutation(CreateOrderMutation, {
                event,
                holds: holds.map((h) => ({ holdId: h.holdId, tier: h.tier, quantity: h.quantity, seats: h.seats })),
                buyer: buyerInput(buyer),
                orderId,
                checkout,
                paymentMethod,
              })
              .toPromise();
      if (result.error) {
        const e = toApiError(result.error);
        if (e.code === "PAYMENT_DECLINED") {
          // the order and its holds stay, for another card
          setUnpaid(true);
          setCardError(declined(t, e.message));
        } else if (e.code && HOLD_GONE.has(e.code)) on.onHoldsGone();
        else if (e.code && SIGNED_OUT.has(e.code)) on.onSignInAgain();
        else if (e.code === "ORDER_STATE") on.onPaymentFailed(e.message);
        else if (unpaid && (e.code === "UNKNOWN_ORDER" || e.code === "NOT_FOUND")) {
          setUnpaid(false);
          setProblem(t("pay.unavailable"));
        } else if (e.code === "ORDER_CONFLICT") {
          setOrderId(uuid());
          setProblem(t("pay.unavailable"));
        } else setProblem(e.transient ? t("pay.unavailable") : t("common.error", { message: e.message }));
        return;
      }
      const data = result.data;
      const order = data && ("payOrder" in data ? data.payOrder : "createOrder" in data ? data.createOrder : null);
      if (!order) return;
      const done = { id: String(order.id), number: order.number };
      if (order.requiresAction && order.clientSecret && card.current) {
        // the bank wants the buyer (3-D Secure): Stripe.js asks them
        const confirmed = await card.current.confirm(order.clientSecret);
        if (!confirmed.ok) {
          setUnpaid(true);
          setCardError(
            confirmed.reason === "declined"
              ? declined(t, confirmed.message)
              : t("pay.failed", { reason: confirmed.message }),
          );
          return;
        }
      }
      if (order.state === "COMPLETED") on.onCompleted(done);
      else if (order.state === "PAYMENT_FAILED" || order.state === "CANCELLED")
        on.onPaymentFailed(order.paymentError ?? t(`orders.states.${order.state}`));
      else if (order.state === "AWAITING_PAYMENT" || order.state === "PAID") {
        on.onOrderPlaced();
        setPlaced(done);
      } else setProblem(t("pay.failed", { reason: t(`orders.states.${order.state}`) }));
    } finally {
      setBusy(false);
      on.onPaying(false);
    }
  };

  if (placed) return <Following event={event} order={placed} {...on} />;

  const noCards = config !== undefined && !publishableKey && free === false;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={2} size="h3" id={headingId} ref={headingRef} tabIndex={-1}>
          {t("pay.heading")}
        </Title>
        {configError && <Problem>{t("common.networkError")}</Problem>}
        {noCards && <Problem>{t("pay.noCards")}</Problem>}
        {free === false && publishableKey && (
          <div>
            <Text component="div" fw={600} id={cardLabelId} mb={4}>
              {t("pay.card")}
            </Text>
            <div
              ref={cardRef}
              role="group"
              aria-labelledby={cardLabelId}
              aria-describedby={cardError ? `${cardLabelId}-error` : undefined}
              className="card-field"
              data-testid="card-field"
            />
            {cardState === "loading" && <Text size="sm">{t("pay.loadingCard")}</Text>}
            {cardState === "failed" && <Problem>{t("pay.loadFailed")}</Problem>}
            {cardError && (
              <Text role="alert" id={`${cardLabelId}-error`} c="red.9" fw={600} mt={4} data-testid="card-error">
                {cardError}
              </Text>
            )}
          </div>
        )}
        {problem && <Problem>{problem}</Problem>}
        <div>
          <Button
            size="md"
            onClick={() => void pay()}
            loading={busy}
            disabled={quote === undefined || (!free && cardState !== "ready")}
          >
            {free ? t("pay.getFree") : t("pay.pay", { total: quote ? f.money(quote.totalMinor, quote.currency) : "" })}
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}

/** After the order is placed: its state, until it completes (or the payment fails). */
function Following({
  event,
  order,
  onCompleted,
  onPaymentFailed,
}: { event: string; order: OrderDone } & PaymentCallbacks) {
  const { t } = useTranslation();
  const status = useOrderStatus(event, order.id);
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    if (status.state === "COMPLETED") {
      done.current = true;
      onCompleted({ id: order.id, number: status.number ?? order.number });
    } else if (status.state === "PAYMENT_FAILED") {
      done.current = true;
      onPaymentFailed(status.paymentError ?? "");
    }
  }, [status, order, onCompleted, onPaymentFailed]);
  return <Loading label={t("pay.confirming")} />;
}
