/**
 * Which component shows each organization page. Pages load lazily, so the
 * sign-in and the shell come first and each section's code (charts, the
 * map, the camera) only when it is opened. Each page module's default
 * export takes the route it was opened with.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import type { OrgRoute } from "../routes";

export type PageProps = { route: OrgRoute };
type Page = LazyExoticComponent<ComponentType<PageProps>>;

/** Route name → page; a route without one is shown as not built yet. */
export const PAGES: Partial<Record<OrgRoute["name"], Page>> = {
  team: lazy(() => import("../features/team/TeamPage")),
  events: lazy(() => import("../features/events/EventsPage")),
  newEvent: lazy(() => import("../features/events/NewEventPage")),
  event: lazy(() => import("../features/events/EventPage")),
  venues: lazy(() => import("../features/venues/VenuesPage")),
  newVenue: lazy(() => import("../features/venues/NewVenuePage")),
  venue: lazy(() => import("../features/venues/VenuePage")),
  publish: lazy(() => import("../features/publish/PublishPage")),
  door: lazy(() => import("../features/door/DoorPage")),
  orders: lazy(() => import("../features/orders/OrdersPage")),
  order: lazy(() => import("../features/orders/OrderPage")),
  boxOffice: lazy(() => import("../features/orders/BoxOfficePage")),
  refunds: lazy(() => import("../features/refunds/RefundsPage")),
  customers: lazy(() => import("../features/customers/CustomersPage")),
  analytics: lazy(() => import("../features/analytics/AnalyticsPage")),
};
