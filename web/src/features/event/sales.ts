/** Whether a tier can be bought now, from what the API said and what happened since. */
import type { SalesState } from "../../gql/graphql";

/** What a tier's row shows: the API's sales states, and CLOSED for a tier a hold found off sale. */
export type TierSales = SalesState | "CLOSED";

export interface TierSalesInput {
  /** As the event query answered it. */
  salesState: SalesState;
  salesStartAt: string;
  salesEndAt: string | null | undefined;
  /** Tickets left as the event query answered it. */
  available: number | null;
}

/**
 * A tier's sales state now (`now`, ms): a window the API saw closed opens
 * once `salesStartAt` passes, an open one ends at `salesEndAt`; a live
 * figure of 0 left is sold out, and a live figure above 0 undoes a
 * SOLD_OUT the query saw (tickets released). `live` is undefined while no
 * live figure is known. A tier a hold found off sale (NOT_ON_SALE) is
 * CLOSED.
 */
export function salesOf(tier: TierSalesInput, now: number, live?: number | null, closed = false): TierSales {
  if (closed) return "CLOSED";
  const ends = tier.salesEndAt ? Date.parse(tier.salesEndAt) : NaN;
  if (tier.salesState === "SALES_ENDED" || ends <= now) return "SALES_ENDED";
  if (tier.salesState === "NOT_YET_ON_SALE" && !(Date.parse(tier.salesStartAt) <= now)) return "NOT_YET_ON_SALE";
  const left = live === undefined ? tier.available : live;
  if (left === 0) return "SOLD_OUT";
  if (tier.salesState === "SOLD_OUT" && (live === undefined || live === null)) return "SOLD_OUT";
  return "ON_SALE";
}

/** The earliest of `moments` (RFC 3339) still to come after `now`, in ms; null when none. */
export function nextMoment(moments: readonly (string | null | undefined)[], now: number): number | null {
  let next: number | null = null;
  for (const m of moments) {
    const at = m ? Date.parse(m) : NaN;
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}
