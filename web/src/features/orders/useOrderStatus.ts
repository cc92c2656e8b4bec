import { useEffect } from "react";
import { useQuery, useSubscription } from "urql";
import { OrderStateQuery, OrderStatusSubscription } from "./api";
import { laterState, SETTLED, toOrderState } from "./state";

const POLL_MS = 3000;

export interface OrderStatus {
  state: string | undefined;
  number: string | undefined;
  paymentError: string | null | undefined;
}

/**
 * The state of an order, followed live (`orderStatus`) and, in case the
 * socket drops or its session ends, by asking again every few seconds
 * until the order is settled.
 */
export function useOrderStatus(event: string, orderId: string, pause = false): OrderStatus {
  const [{ data: live }] = useSubscription({ query: OrderStatusSubscription, variables: { event, orderId }, pause });
  const [{ data: asked }, ask] = useQuery({
    query: OrderStateQuery,
    variables: { event, id: orderId },
    pause,
    requestPolicy: "network-only",
  });
  const liveState = live ? toOrderState(live.orderStatus.state) : undefined;
  const state = laterState(asked?.order.state, liveState);
  const settled = state !== undefined && SETTLED.has(state);
  useEffect(() => {
    if (pause || settled) return;
    const timer = setInterval(() => ask({ requestPolicy: "network-only" }), POLL_MS);
    return () => clearInterval(timer);
  }, [pause, settled, ask]);
  const fromLive = state !== undefined && state === liveState;
  return {
    state,
    number: live?.orderStatus.number ?? asked?.order.number,
    paymentError: fromLive ? live?.orderStatus.paymentError : asked?.order.paymentError,
  };
}
