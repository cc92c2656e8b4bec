/** What the buyer picked on the event page, and what it becomes: quote lines and holds. */
import type { WantedHold } from "../checkout";
import type { SalesState, Seating, TierKindView } from "../../gql/graphql";

export interface TierInfo {
  name: string;
  displayName: string;
  priceMinor: number;
  currency: string;
  perOrderMax: number;
  available: number | null;
}

/** A tier as the event page shows it: `available` the live figure when there is one. */
export interface TierView extends TierInfo {
  kind: TierKindView;
  seating: Seating;
  tableSeats: number | null;
  salesState: SalesState;
  salesStartAt: string;
  salesEndAt: string | null;
}

export interface Selection {
  /** Tickets by tier, for tiers sold by quantity. */
  quantities: Record<string, number>;
  /** Seat (or table) labels by tier, for seated and tables tiers. */
  seats: Record<string, string[]>;
}

export const EMPTY: Selection = { quantities: {}, seats: {} };

/** The most of a tier one order may take now: its per-order maximum, never more than is left. */
export function maxOf(tier: TierInfo): number {
  const left = tier.available ?? tier.perOrderMax;
  return Math.max(0, Math.min(tier.perOrderMax, left));
}

/** Each tier picked, in the event's order, with its quantity (a seated tier: its seats). */
export function wantedOf(tiers: TierInfo[], s: Selection): WantedHold[] {
  const out: WantedHold[] = [];
  for (const t of tiers) {
    const seats = s.seats[t.name] ?? [];
    if (seats.length) out.push({ tier: t.name, displayName: t.displayName, quantity: seats.length, seats });
    else {
      const q = Math.min(s.quantities[t.name] ?? 0, maxOf(t));
      if (q > 0) out.push({ tier: t.name, displayName: t.displayName, quantity: q, seats: [] });
    }
  }
  return out;
}

export function linesOf(wanted: { tier: string; quantity: number }[]): { tier: string; quantity: number }[] {
  return wanted.map((w) => ({ tier: w.tier, quantity: w.quantity }));
}

export function toggleSeat(s: Selection, tier: string, label: string, max: number): Selection {
  const current = s.seats[tier] ?? [];
  const next = current.includes(label)
    ? current.filter((l) => l !== label)
    : current.length < max
      ? [...current, label]
      : current;
  return { ...s, seats: { ...s.seats, [tier]: next } };
}

export function setQuantity(s: Selection, tier: string, quantity: number): Selection {
  return { ...s, quantities: { ...s.quantities, [tier]: Math.max(0, Math.floor(quantity)) } };
}
