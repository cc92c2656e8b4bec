/** The box office's pure parts: how tiers are offered and what a sale needs. */
import type { BackstageBoxOfficeTiersQuery, BoxOfficePayment } from "../../gql/graphql";
import { money } from "../../lib/format";

export type BoxTier = NonNullable<BackstageBoxOfficeTiersQuery["organization"]["event"]>["tiers"]["nodes"][number];

export interface Sale {
  tier: string;
  quantity: number;
  /** Seat or table labels, comma separated (seated and table tiers). */
  seats: string;
  payment: BoxOfficePayment;
  name: string;
  email: string;
}

const VISIBILITY: Record<BoxTier["visibility"], string> = {
  PUBLIC: "",
  HIDDEN: " · hidden",
  PROMO_CODE: " · promo code",
};

/** "VIP · €50.00 · hidden · 12 left". */
export function tierLabel(t: BoxTier): string {
  const left = typeof t.status.available === "number" ? ` · ${t.status.available} left` : "";
  const kind = t.kind === "ADD_ON" ? " · add-on" : "";
  return `${t.displayName} · ${money(t.priceMinor, t.currency)}${kind}${VISIBILITY[t.visibility]}${left}`;
}

export function seatList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a sale, by field; empty when it can be sold. */
export function saleProblems(s: Sale, tier: BoxTier | undefined): Partial<Record<keyof Sale, string>> {
  const p: Partial<Record<keyof Sale, string>> = {};
  if (!tier) p.tier = "Choose a tier.";
  const seats = seatList(s.seats);
  if (!Number.isInteger(s.quantity) || s.quantity < 1) p.quantity = "Sell at least one.";
  else if (tier && seats.length === 0 && (s.quantity < tier.perOrder.min || s.quantity > tier.perOrder.max))
    p.quantity = `This tier sells ${tier.perOrder.min} to ${tier.perOrder.max} per order.`;
  if (seats.length > 0 && seats.length !== s.quantity) p.seats = `Name ${s.quantity} seats, or leave this empty.`;
  if (!EMAIL.test(s.email.trim())) p.email = "Enter the buyer's e-mail address: the tickets are sent there.";
  return p;
}

/** The price of a sale before fees (COMP: free). */
export function saleTotal(s: Pick<Sale, "quantity" | "payment">, tier: BoxTier | undefined): string | null {
  if (!tier) return null;
  if (s.payment === "COMP") return `${money(0, tier.currency)} (complimentary)`;
  return money(tier.priceMinor * Math.max(0, s.quantity), tier.currency);
}
