import { Alert, Button, Group, Stack, Text, Title } from "@mantine/core";
import { Suspense, useCallback, useEffect, useRef, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useClient, useQuery } from "urql";
import { errorCode } from "../../api/errors";
import { Quote } from "../../components/Quote";
import { FocusNotice, Loading, Problem } from "../../components/Status";
import { announceCompleted } from "../../embed/frame";
import { eventZone, useFormat, type EventZone } from "../../i18n";
import { navigate, pathOf } from "../../routes";
import { expectPurchase } from "../analytics";
import {
  CheckoutPanel,
  earliestExpiry,
  ensureCheckout,
  forgetCheckout,
  HoldCountdown,
  HoldError,
  placeHolds,
  releaseHolds,
  type CheckoutSession,
  type HeldTier,
} from "../checkout";
import { EventPageQuery } from "./api";
import { salesOf, type TierSales } from "./sales";
import {
  EMPTY,
  linesOf,
  setQuantity,
  toggleSeat,
  wantedOf,
  type Selection,
  type TierInfo,
  type TierView,
} from "./selection";
import { TierRow } from "./TierRow";
import { useAvailability } from "./useAvailability";
import { useNow } from "./useNow";
import type { EventPageQuery as EventPageData } from "../../gql/graphql";

type EventData = NonNullable<EventPageData["event"]>;

type Stage =
  | { kind: "pick" }
  | { kind: "holding" }
  | { kind: "checkout"; session: CheckoutSession; holds: HeldTier[]; placed: boolean };

interface Notice {
  text: string;
  tone: "info" | "error";
}

/** The event page of `slug` (`<namespace>/<event>`). */
export function EventPage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [{ data, error }] = useQuery({ query: EventPageQuery, variables: { slug } });
  const live = useAvailability(slug);
  const event = data?.event;
  useEffect(() => {
    if (event) document.title = `${event.title} · ${t("common.appName")}`;
  }, [event, t]);

  if (!data && error) {
    const code = errorCode(error);
    if (code === "UNKNOWN_EVENT" || code === "BAD_SLUG") return <Problem>{t("event.notFound")}</Problem>;
    return (
      <Problem>
        {code ? t("common.error", { message: error.graphQLErrors[0]?.message }) : t("common.networkError")}
      </Problem>
    );
  }
  if (!data) return <Loading label={t("common.loading")} />;
  if (!event) return <Problem>{t("event.notFound")}</Problem>;
  return <EventView event={event} live={live} />;
}

function holdProblem(e: unknown, tiers: TierInfo[], t: TFunction): string {
  if (e instanceof HoldError) {
    const tier = tiers.find((x) => x.name === e.tier)?.displayName ?? e.tier;
    if (e.code === undefined) return t("common.networkError");
    if (e.code === "RATE_LIMITED") return t("common.rateLimited");
    const known = [
      "NOT_ENOUGH",
      "SEAT_TAKEN",
      "NOT_ON_SALE",
      "HOLD_LIMIT",
      "QUANTITY_TOO_LARGE",
      "QUANTITY_TOO_SMALL",
      "TIER_NOT_AVAILABLE",
      "UNKNOWN_SEAT",
    ];
    return known.includes(e.code)
      ? t(`event.holdErrors.${e.code}`, { tier })
      : t("event.holdErrors.other", { tier, message: e.message });
  }
  return t("common.error", { message: e instanceof Error ? e.message : String(e) });
}

function EventView({ event, live }: { event: EventData; live: Map<string, number | null> | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const client = useClient();
  const zone = eventZone(event.timezone, event.days[0]?.startsAtLocal);
  const [selection, setSelection] = useState<Selection>(EMPTY);
  const [stage, setStage] = useState<Stage>({ kind: "pick" });
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Tiers a hold found outside their sales window (NOT_ON_SALE). */
  const [closedTiers, setClosedTiers] = useState<ReadonlySet<string>>(new Set());
  const paying = useRef(false);
  const expiryDue = useRef(false);
  const now = useNow([
    event.onSaleAt,
    event.offSaleAt,
    ...event.tiers.flatMap((tier) => [tier.salesStartAt, tier.salesEndAt]),
  ]);
  const cancelled = event.state === "Cancelled";
  const draft = event.state === "Draft";
  const salesEnded = !!event.offSaleAt && Date.parse(event.offSaleAt) <= now;
  const onSale = !(Date.parse(event.onSaleAt) > now) && !salesEnded && closedTiers.size < event.tiers.length;

  // admission first, then the add-ons ("Extras"), each in the event's order
  const tiers: { tier: TierView; sales: TierSales }[] = [
    ...event.tiers.filter((tier) => tier.kind !== "ADD_ON"),
    ...event.tiers.filter((tier) => tier.kind === "ADD_ON"),
  ].map((tier) => {
    const figure = live?.has(tier.name) ? (live.get(tier.name) ?? null) : undefined;
    return {
      tier: { ...tier, available: figure === undefined ? tier.available : figure },
      sales: salesOf(tier, now, figure, closedTiers.has(tier.name)),
    };
  });
  const sellable = tiers.filter((x) => x.sales === "ON_SALE").map((x) => x.tier);
  const wanted = wantedOf(sellable, selection);

  const onQuantity = useCallback((tier: string, q: number) => setSelection((s) => setQuantity(s, tier, q)), []);
  const onToggleSeat = useCallback(
    (tier: string, label: string, max: number) => setSelection((s) => toggleSeat(s, tier, label, max)),
    [],
  );

  const proceed = async () => {
    if (!wanted.length) {
      setNotice({ text: t("event.pickSomething"), tone: "error" });
      return;
    }
    setNotice(null);
    setStage({ kind: "holding" });
    try {
      let session = await ensureCheckout(client, event.slug);
      let holds: HeldTier[];
      try {
        holds = await placeHolds(client, event.slug, session.token, wanted);
      } catch (e) {
        // the kept checkout session is no good any more: start another one
        if (!(e instanceof HoldError) || (e.code !== "BAD_TOKEN" && e.code !== "CHECKOUT_REQUIRED")) throw e;
        forgetCheckout(event.slug);
        session = await ensureCheckout(client, event.slug);
        holds = await placeHolds(client, event.slug, session.token, wanted);
      }
      setStage({ kind: "checkout", session, holds, placed: false });
    } catch (e) {
      setStage({ kind: "pick" });
      if (e instanceof HoldError && e.code === "SEAT_TAKEN")
        setSelection((s) => ({ ...s, seats: { ...s.seats, [e.tier]: [] } }));
      if (e instanceof HoldError && e.code === "NOT_ON_SALE") {
        const tier = e.tier;
        setClosedTiers((c) => new Set([...c, tier]));
        setSelection((s) => ({ quantities: { ...s.quantities, [tier]: 0 }, seats: { ...s.seats, [tier]: [] } }));
      }
      setNotice({
        text: holdProblem(
          e,
          tiers.map((x) => x.tier),
          t,
        ),
        tone: "error",
      });
    }
  };

  const backToPicking = (text: string, tone: Notice["tone"]) => {
    paying.current = false;
    expiryDue.current = false;
    setStage({ kind: "pick" });
    setSelection(EMPTY);
    setNotice({ text, tone });
  };

  const holdsGone = () => {
    if (stage.kind === "checkout") void releaseHolds(client, event.slug, stage.session.token, stage.holds);
    backToPicking(t("event.expired"), "error");
  };

  const onExpire = () => {
    if (stage.kind !== "checkout" || stage.placed) return;
    // a payment in flight decides for itself (the gateway says HOLD_ENDED if it came too late)
    if (paying.current) expiryDue.current = true;
    else holdsGone();
  };

  const cancel = async () => {
    if (stage.kind !== "checkout") return;
    await releaseHolds(client, event.slug, stage.session.token, stage.holds);
    backToPicking(t("event.released"), "info");
  };

  if (stage.kind === "checkout") {
    const expires = earliestExpiry(stage.holds);
    return (
      <Stack gap="sm" py="md">
        <EventHeading event={event} zone={zone} />
        {!stage.placed && expires !== null && <HoldCountdown expiresAtMs={expires} onExpire={onExpire} />}
        <ul className="lines" aria-label={t("checkout.held")}>
          {stage.holds.map((h) => (
            <li key={h.holdId}>
              {h.seats.length
                ? t("checkout.heldSeats", { tier: h.displayName, seats: h.seats.join(", ") })
                : t("checkout.heldLine", { quantity: h.quantity, tier: h.displayName })}
            </li>
          ))}
        </ul>
        <Quote event={event.slug} lines={linesOf(stage.holds)} />
        <Suspense fallback={<Loading label={t("common.loading")} />}>
          <CheckoutPanel
            event={{ slug: event.slug, title: event.title, currency: event.currency }}
            checkout={stage.session.token}
            holds={stage.holds}
            onPaying={(busy) => {
              paying.current = busy;
              if (!busy && expiryDue.current && Date.now() >= (expires ?? 0)) holdsGone();
            }}
            onOrderPlaced={() => setStage((s) => (s.kind === "checkout" ? { ...s, placed: true } : s))}
            onHoldsGone={holdsGone}
            onPaymentFailed={(reason) => backToPicking(t("event.paymentFailed", { reason }), "error")}
            onCompleted={(order) => {
              expectPurchase(order.id);
              announceCompleted(event.slug, order.id, order.number);
              navigate(pathOf({ name: "order", slug: event.slug, orderId: order.id }));
            }}
          />
        </Suspense>
        {!stage.placed && (
          <Group>
            <Button variant="outline" color="dark" onClick={() => void cancel()}>
              {t("checkout.cancel")}
            </Button>
          </Group>
        )}
      </Stack>
    );
  }

  const disabled = !onSale || cancelled || draft || stage.kind === "holding";
  const admission = tiers.filter((x) => x.tier.kind !== "ADD_ON");
  const extras = tiers.filter((x) => x.tier.kind === "ADD_ON");
  const row = ({ tier, sales }: { tier: TierView; sales: TierSales }) => (
    <TierRow
      key={tier.name}
      event={event.slug}
      tier={tier}
      sales={sales}
      zone={zone}
      quantity={selection.quantities[tier.name] ?? 0}
      seats={selection.seats[tier.name] ?? []}
      disabled={disabled}
      onQuantity={onQuantity}
      onToggleSeat={onToggleSeat}
    />
  );
  return (
    <Stack gap="sm" py="md">
      <EventHeading event={event} zone={zone} now={now} />
      {cancelled && <Problem>{t("event.cancelled")}</Problem>}
      {!cancelled && draft && (
        <Alert
          color="yellow"
          variant="outline"
          role="status"
          classNames={{ message: "alert-text" }}
          data-testid="draft"
        >
          {t("event.draft")}
        </Alert>
      )}
      {!cancelled && !draft && !onSale && (
        <Text fw={700} role="status" data-testid="not-on-sale">
          {salesEnded
            ? t("event.salesEnded")
            : closedTiers.size
              ? t("event.notOnSale")
              : t("event.notOnSaleYet", { date: f.eventDateTime(event.onSaleAt, zone) })}
        </Text>
      )}
      {notice && (
        <FocusNotice key={notice.text} tone={notice.tone} testId="event-notice">
          {notice.text}
        </FocusNotice>
      )}
      <Title order={2} size="h3">
        {t("event.tickets")}
      </Title>
      {admission.map(row)}
      {extras.length > 0 && (
        <Title order={2} size="h3">
          {t("event.extras")}
        </Title>
      )}
      {extras.map(row)}
      <Quote event={event.slug} lines={linesOf(wanted)} />
      <Group>
        <Button size="md" onClick={() => void proceed()} loading={stage.kind === "holding"} disabled={disabled}>
          {t("event.continue")}
        </Button>
        {stage.kind === "holding" && <Text role="status">{t("event.holding")}</Text>}
      </Group>
    </Stack>
  );
}

/** Title, venue and days; on the page itself (given `now`) also when sales end, and the description. */
function EventHeading({ event, zone, now }: { event: EventData; zone: EventZone; now?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const days = event.days.map((d) => {
    const when = f.eventDay(d, zone);
    const line = t("event.day", { ...when, zone: zone.label });
    return { day: d.day, text: event.days.length > 1 ? t("event.dayOf", { day: d.day, when: line }) : line };
  });
  const full = now !== undefined;
  const endsLater = full && !!event.offSaleAt && Date.parse(event.offSaleAt) > now;
  return (
    <>
      <header>
        <Title order={1} size="h2">
          {event.title}
        </Title>
        {event.venue && (
          <Text size="lg">{t("event.venue", { venue: event.venue.displayName, city: event.venue.city })}</Text>
        )}
        {days.length > 0 && (
          <ul className="days" aria-label={t("event.dates")} data-testid="event-days">
            {days.map((d) => (
              <li key={d.day}>{d.text}</li>
            ))}
          </ul>
        )}
        {endsLater && event.offSaleAt && (
          <Text data-testid="sales-end">{t("event.salesEnd", { date: f.eventDateTime(event.offSaleAt, zone) })}</Text>
        )}
      </header>
      {full && event.description && <Description text={event.description} />}
    </>
  );
}

/** The organizer's description as plain text: paragraphs at blank lines, line breaks kept, no markup. */
function Description({ text }: { text: string }) {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return (
    <div className="description" data-testid="event-description">
      {paragraphs.map((p, i) => (
        <Text key={i} component="p">
          {p}
        </Text>
      ))}
    </div>
  );
}
