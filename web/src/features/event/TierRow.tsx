import { Badge, Group, NativeSelect, Paper, Text, Title } from "@mantine/core";
import { Suspense, useId } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { Loading } from "../../components/Status";
import { useFormat, type EventZone } from "../../i18n";
import { SeatPicker } from "../seats";
import { TierSeatMapQuery } from "./api";
import type { TierSales } from "./sales";
import { maxOf, type TierView } from "./selection";

interface Props {
  event: string;
  tier: TierView;
  /** Whether it can be bought now (see salesOf). */
  sales: TierSales;
  /** The event's clock, for when its sales open. */
  zone: EventZone;
  quantity: number;
  seats: string[];
  /** Nothing can be picked right now (the event is not on sale, cancelled, a draft, or a hold is being placed). */
  disabled: boolean;
  onQuantity: (tier: string, quantity: number) => void;
  onToggleSeat: (tier: string, label: string, max: number) => void;
}

/**
 * One tier: its price, whether it is on sale and what is left, and, while
 * it is on sale, a picker: a number for general admission (and add-ons),
 * the seat map for SEATED and TABLE tiers.
 */
export function TierRow({ event, tier, sales, zone, quantity, seats, disabled, onQuantity, onToggleSeat }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const price = f.money(tier.priceMinor, tier.currency);

  let picker = null;
  if (sales === "ON_SALE")
    picker =
      tier.seating === "GENERAL_ADMISSION" ? (
        <NativeSelect
          mt="sm"
          maw={240}
          label={t("event.quantity", { tier: tier.displayName })}
          value={String(Math.min(quantity, maxOf(tier)))}
          disabled={disabled || maxOf(tier) === 0}
          onChange={(e) => onQuantity(tier.name, Number(e.currentTarget.value))}
          data={Array.from({ length: maxOf(tier) + 1 }, (_, i) => String(i))}
        />
      ) : (
        <SeatMapPicker event={event} tier={tier} seats={seats} disabled={disabled} onToggleSeat={onToggleSeat} />
      );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-tier={tier.name}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} size="h4" id={headingId}>
            {tier.displayName}
          </Title>
          <Text className="tier-price">
            {tier.seating === "TABLE" && tier.tableSeats
              ? t("event.pricePerTable", { price, count: tier.tableSeats })
              : t("event.price", { price })}
          </Text>
        </div>
        <div aria-live="polite" data-testid={`sales-${tier.name}`}>
          <SalesBadge tier={tier} sales={sales} zone={zone} />
        </div>
      </Group>
      {picker}
    </Paper>
  );
}

function SalesBadge({ tier, sales, zone }: { tier: TierView; sales: TierSales; zone: EventZone }) {
  const { t } = useTranslation();
  const f = useFormat();
  switch (sales) {
    case "SOLD_OUT":
      return (
        <Badge color="dark" variant="filled" size="lg">
          {t("event.soldOut")}
        </Badge>
      );
    case "SALES_ENDED":
      return (
        <Badge color="dark" variant="outline" size="lg">
          {t("event.tierSalesEnded")}
        </Badge>
      );
    case "CLOSED":
      return <Text size="sm">{t("event.tierNotOnSale")}</Text>;
    case "NOT_YET_ON_SALE":
      return (
        <Text size="sm" fw={600} ta="right">
          {t("event.tierOnSaleFrom", { date: f.eventDateTime(tier.salesStartAt, zone) })}
        </Text>
      );
    case "ON_SALE":
      return tier.available === null ? (
        <Text size="sm">{t("event.availabilityUnknown")}</Text>
      ) : (
        <Text fw={600} data-testid={`available-${tier.name}`}>
          {t("event.left", { count: tier.available })}
        </Text>
      );
  }
}

/** The seat (or table) map of a SEATED or TABLE tier: its first map here, then live in the picker. */
function SeatMapPicker({
  event,
  tier,
  seats,
  disabled,
  onToggleSeat,
}: Pick<Props, "event" | "tier" | "seats" | "disabled" | "onToggleSeat">) {
  const { t } = useTranslation();
  const [{ data, error, fetching }] = useQuery({ query: TierSeatMapQuery, variables: { event, tier: tier.name } });
  const seatMap = data?.seatMap;
  if (!seatMap)
    return fetching || (!data && !error) ? (
      <Loading label={t("seats.loading")} />
    ) : (
      <Text mt="sm" role="status">
        {t("seats.unavailable")}
      </Text>
    );
  return (
    <Suspense fallback={<Loading label={t("seats.loading")} />}>
      <SeatPicker
        event={event}
        tierName={tier.displayName}
        initial={seatMap}
        selected={seats}
        max={tier.perOrderMax}
        disabled={disabled}
        onToggle={(label) => onToggleSeat(tier.name, label, tier.perOrderMax)}
      />
    </Suspense>
  );
}
