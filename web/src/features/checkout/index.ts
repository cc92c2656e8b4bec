/**
 * Checkout: holds and their countdown (light, on the event page) and the
 * checkout panel itself (buyer details, sign-in, payment), loaded when the
 * buyer continues.
 */
import { lazy } from "react";

export {
  earliestExpiry,
  ensureCheckout,
  forgetCheckout,
  HOLD_GONE,
  HoldError,
  placeHolds,
  releaseHolds,
  type CheckoutSession,
  type HeldTier,
  type WantedHold,
} from "./holds";
export { HoldCountdown } from "./HoldCountdown";
export { useCountdown } from "./useCountdown";
export type { CheckoutPanelProps } from "./CheckoutPanel";

export const CheckoutPanel = lazy(() => import("./CheckoutPanel").then((m) => ({ default: m.CheckoutPanel })));
