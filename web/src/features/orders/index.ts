/** Orders: the confirmation, the buyer's orders (both loaded when shown) and an order's live state. */
import { lazy } from "react";

export { useOrderStatus, type OrderStatus } from "./useOrderStatus";

export const ConfirmationPage = lazy(() => import("./ConfirmationPage").then((m) => ({ default: m.ConfirmationPage })));
export const MyOrdersPage = lazy(() => import("./MyOrdersPage").then((m) => ({ default: m.MyOrdersPage })));
