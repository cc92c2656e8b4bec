/**
 * Backstage's addresses, below the build's base (/backstage/):
 * `<namespace>/<section>[/<item>…]` for one organization's pages, the base
 * alone for the organization picker. The query string carries a page's
 * filters (`?event=`, `?q=`), so a reload or a shared link shows the same.
 */
import { useSyncExternalStore } from "react";
import type { Role } from "./gql/graphql";

export type OrgRoute =
  | { name: "events"; ns: string }
  | { name: "newEvent"; ns: string }
  | { name: "event"; ns: string; event: string }
  | { name: "venues"; ns: string }
  | { name: "newVenue"; ns: string }
  | { name: "venue"; ns: string; venue: string }
  | { name: "orders"; ns: string }
  | { name: "order"; ns: string; event: string; orderId: string }
  | { name: "boxOffice"; ns: string }
  | { name: "customers"; ns: string }
  | { name: "refunds"; ns: string }
  | { name: "analytics"; ns: string }
  | { name: "door"; ns: string }
  | { name: "team"; ns: string }
  | { name: "publish"; ns: string };

export type Route = { name: "home" } | OrgRoute | { name: "notFound" };

export const BASE: string = import.meta.env.BASE_URL;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The least role each page needs: the API refuses the rest anyway. */
export const MIN_ROLE: Record<OrgRoute["name"], Role> = {
  events: "ADMIN",
  newEvent: "ADMIN",
  event: "ADMIN",
  venues: "ADMIN",
  newVenue: "ADMIN",
  venue: "ADMIN",
  orders: "BOX_OFFICE",
  order: "BOX_OFFICE",
  boxOffice: "BOX_OFFICE",
  customers: "ADMIN",
  refunds: "ADMIN",
  analytics: "ADMIN",
  door: "SCANNER",
  team: "ADMIN",
  publish: "ADMIN",
};

const SECTIONS = {
  events: "events",
  venues: "venues",
  orders: "orders",
  "box-office": "boxOffice",
  customers: "customers",
  refunds: "refunds",
  analytics: "analytics",
  door: "door",
  team: "team",
  publish: "publish",
} as const;

function decode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return "";
  }
}

export function parseRoute(pathname: string, base: string = BASE): Route {
  if (`${pathname}/` === base) return { name: "home" };
  if (!pathname.startsWith(base)) return { name: "notFound" };
  const parts = pathname.slice(base.length).split("/").filter(Boolean).map(decode);
  if (parts.length === 0) return { name: "home" };
  const [ns, section, a, b, ...rest] = parts;
  if (!ns || !NAME.test(ns) || rest.length) return { name: "notFound" };
  if (section === undefined) return { name: "events", ns };
  const page = SECTIONS[section as keyof typeof SECTIONS];
  if (!page) return { name: "notFound" };
  switch (page) {
    case "events":
      if (a === undefined) return { name: "events", ns };
      if (b !== undefined || !NAME.test(a)) return { name: "notFound" };
      return a === "new" ? { name: "newEvent", ns } : { name: "event", ns, event: a };
    case "venues":
      if (a === undefined) return { name: "venues", ns };
      if (b !== undefined || !NAME.test(a)) return { name: "notFound" };
      return a === "new" ? { name: "newVenue", ns } : { name: "venue", ns, venue: a };
    case "orders":
      if (a === undefined) return { name: "orders", ns };
      if (b === undefined || !NAME.test(a)) return { name: "notFound" };
      return { name: "order", ns, event: a, orderId: b };
    default:
      if (a !== undefined) return { name: "notFound" };
      return { name: page, ns };
  }
}

const SECTION_OF: Record<OrgRoute["name"], string> = {
  events: "events",
  newEvent: "events",
  event: "events",
  venues: "venues",
  newVenue: "venues",
  venue: "venues",
  orders: "orders",
  order: "orders",
  boxOffice: "box-office",
  customers: "customers",
  refunds: "refunds",
  analytics: "analytics",
  door: "door",
  team: "team",
  publish: "publish",
};

export function pathOf(route: Exclude<Route, { name: "notFound" }>, base: string = BASE): string {
  if (route.name === "home") return base;
  const e = encodeURIComponent;
  const head = `${base}${e(route.ns)}/${SECTION_OF[route.name]}`;
  switch (route.name) {
    case "newEvent":
    case "newVenue":
      return `${head}/new`;
    case "event":
      return `${head}/${e(route.event)}`;
    case "venue":
      return `${head}/${e(route.venue)}`;
    case "order":
      return `${head}/${e(route.event)}/${e(route.orderId)}`;
    default:
      return head;
  }
}

const listeners = new Set<() => void>();

function notify() {
  listeners.forEach((l) => l());
}

if (typeof window !== "undefined") window.addEventListener("popstate", notify);

/** Goes to `path` (with its own query string, if any) inside Backstage. */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}) {
  if (replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  notify();
  window.scrollTo?.(0, 0);
}

/**
 * Changes the query string only (a page's filters), without a new history
 * entry. A list gives a parameter once per item (`?after=a&after=b`); null,
 * "" or an empty list removes it.
 */
export function setQuery(params: Record<string, string | readonly string[] | null>) {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(params)) {
    url.searchParams.delete(k);
    if (typeof v === "string") {
      if (v !== "") url.searchParams.set(k, v);
    } else if (v) for (const item of v) url.searchParams.append(k, item);
  }
  window.history.replaceState(null, "", `${url.pathname}${url.search}`);
  notify();
}

const currentPath = () => window.location.pathname;
const currentSearch = () => window.location.search;

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The route of the current address; re-renders on navigation. */
export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, currentPath, currentPath));
}

/** One query-string parameter of the current address (a page's filter). */
export function useQueryParam(name: string): string | null {
  const search = useSyncExternalStore(subscribe, currentSearch, currentSearch);
  return new URLSearchParams(search).get(name);
}

/** Every value of a query-string parameter given more than once, in order (none: empty). */
export function useQueryParams(name: string): string[] {
  const search = useSyncExternalStore(subscribe, currentSearch, currentSearch);
  return new URLSearchParams(search).getAll(name);
}
