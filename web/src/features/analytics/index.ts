/**
 * Analytics after consent: the organization's Google Analytics 4 and/or
 * Segment tags, loaded only once the buyer allows them (per organization),
 * with page views and completed purchases.
 */
export { PortalAnalytics } from "./PortalAnalytics";
export { expectPurchase, reportPurchase } from "./tracker";
export type { PurchasedOrder } from "./tags";
