import type { OrderState } from "../../gql/graphql";

/**
 * An order state as the API writes it: `Order.state` is an OrderState
 * (`PAYMENT_FAILED`), `orderStatus.state` a string (`PaymentFailed`).
 */
export function toOrderState(state: string): OrderState | string {
  return state.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

const RANK: Record<string, number> = {
  AWAITING_PAYMENT: 0,
  PAID: 1,
  COMPLETED: 2,
  PAYMENT_FAILED: 2,
  REFUND_NEEDED: 3,
  REFUNDED: 4,
  CANCELLED: 4,
};

/** The later of two reports of an order's state (orders only move forward). */
export function laterState(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return (RANK[b] ?? -1) > (RANK[a] ?? -1) ? b : a;
}

/** States after which nothing more happens to the order by itself. */
export const SETTLED = new Set(["COMPLETED", "PAYMENT_FAILED", "REFUNDED", "CANCELLED"]);
