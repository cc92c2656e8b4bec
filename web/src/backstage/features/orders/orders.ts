/** The orders pages' pure parts: states in words, the list's query, what can be refunded. */
import type { BackstageOrderQuery, OrderState } from "../../gql/graphql";
import { money, plural } from "../../lib/format";

export const PAGE_SIZE = 20;
/** How often the first page asks for new orders (ms). */
export const LIVE_MS = 3000;

export const STATE_LABELS: Record<OrderState, string> = {
  AWAITING_PAYMENT: "Awaiting payment",
  PAID: "Paid",
  COMPLETED: "Completed",
  PAYMENT_FAILED: "Payment failed",
  REFUND_NEEDED: "Refund needed",
  REFUNDED: "Refunded",
  CANCELLED: "Cancelled",
};

export const STATE_COLORS: Record<OrderState, string> = {
  AWAITING_PAYMENT: "yellow",
  PAID: "blue",
  COMPLETED: "green",
  PAYMENT_FAILED: "red",
  REFUND_NEEDED: "orange",
  REFUNDED: "gray",
  CANCELLED: "gray",
};

export function isOrderState(s: string | null | undefined): s is OrderState {
  return s != null && Object.hasOwn(STATE_LABELS, s);
}

export interface OrderFilters {
  /** The event's name, "" for all. */
  event: string;
  search: string;
  state: OrderState | "";
}

/** The `orders` variables for the filters and page. */
export function ordersVariables(ns: string, f: OrderFilters, after: string | null, first = PAGE_SIZE) {
  const search = f.search.trim();
  return {
    organization: f.event ? null : ns,
    event: f.event ? `${ns}/${f.event}` : null,
    first,
    after,
    search: search === "" ? null : search,
    states: f.state ? [f.state] : null,
  };
}

export type FullOrder = BackstageOrderQuery["order"];
export type OrderTicket = FullOrder["tickets"][number];

/** Whether a ticket can be refunded now: its order completed and it not refunded yet. */
export function ticketRefundable(order: Pick<FullOrder, "state">, t: Pick<OrderTicket, "refunded">): boolean {
  return order.state === "COMPLETED" && !t.refunded;
}

/** Whether the whole order can be refunded: completed with something not refunded yet. */
export function orderRefundable(order: Pick<FullOrder, "state" | "tickets" | "totalMinor" | "refundedMinor">): boolean {
  if (order.state !== "COMPLETED") return false;
  return order.tickets.some((t) => !t.refunded) || order.refundedMinor < order.totalMinor;
}

/** "Refunded €10.00 (1 ticket), fees too; done." */
export function refundSummary(r: {
  amountMinor: number;
  currency: string;
  state: string;
  feesReturned: boolean;
  ticketIds?: readonly string[];
}): string {
  const tickets = r.ticketIds ? ` (${plural(r.ticketIds.length, "ticket")})` : "";
  const fees = r.feesReturned ? ", fees included" : "";
  const state =
    r.state === "Done"
      ? "done"
      : r.state === "Pending"
        ? "pending: Stripe or the inventory has not finished yet"
        : r.state === "Failed"
          ? "failed"
          : r.state;
  return `${money(r.amountMinor, r.currency)}${tickets}${fees}; ${state}.`;
}

/** The event name in an order's slug (`<ns>/<name>`), null when the event is gone or of another organization. */
export function eventNameOf(slug: string | null | undefined, ns: string): string | null {
  if (!slug) return null;
  const prefix = `${ns}/`;
  return slug.startsWith(prefix) ? slug.slice(prefix.length) : null;
}
