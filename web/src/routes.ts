/**
 * The portal's addresses, below the build's base (/portal/):
 * `<ns>/<event>` the event page, `<ns>/<event>/orders` the buyer's orders,
 * `<ns>/<event>/orders/<orderId>` one order. The query (`?embed=1`,
 * `?lang=`) is kept on every navigation.
 */
import { useSyncExternalStore } from "react";

export type Route =
  | { name: "event"; slug: string }
  | { name: "orders"; slug: string }
  | { name: "order"; slug: string; orderId: string }
  | { name: "notFound" };

export const BASE: string = import.meta.env.BASE_URL;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseRoute(pathname: string, base: string = BASE): Route {
  if (!pathname.startsWith(base)) return { name: "notFound" };
  const parts = pathname
    .slice(base.length)
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return "";
      }
    });
  const [ns, ev, orders, orderId, ...rest] = parts;
  if (!ns || !ev || !NAME.test(ns) || !NAME.test(ev) || rest.length) return { name: "notFound" };
  const slug = `${ns}/${ev}`;
  if (orders === undefined) return { name: "event", slug };
  if (orders !== "orders") return { name: "notFound" };
  if (orderId === undefined) return { name: "orders", slug };
  return { name: "order", slug, orderId };
}

export function pathOf(route: Exclude<Route, { name: "notFound" }>, base: string = BASE): string {
  const slug = route.slug.split("/").map(encodeURIComponent).join("/");
  switch (route.name) {
    case "event":
      return `${base}${slug}`;
    case "orders":
      return `${base}${slug}/orders`;
    case "order":
      return `${base}${slug}/orders/${encodeURIComponent(route.orderId)}`;
  }
}

const listeners = new Set<() => void>();

function notify() {
  listeners.forEach((l) => l());
}

if (typeof window !== "undefined") window.addEventListener("popstate", notify);

/** Goes to `path` inside the portal, keeping the query (embed mode, language). */
export function navigate(path: string, { replace = false }: { replace?: boolean } = {}) {
  const url = `${path}${window.location.search}`;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  notify();
  window.scrollTo?.(0, 0);
}

function currentPath() {
  return window.location.pathname;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The route of the current address; re-renders on navigation. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, currentPath, currentPath);
  return parseRoute(path);
}
