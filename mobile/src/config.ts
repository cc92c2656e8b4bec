/**
 * Where the gateway is. The app is served by the gateway at /scanner/ and
 * GraphQL is /graphql on the same origin; `?api=<url>` (kept for the next
 * start, `?api=` with no value forgets it) or VITE_GRAPHQL_URL at build
 * time point it elsewhere. Subscriptions use graphql-ws at `<api>/ws`
 * unless `?ws=` or VITE_GRAPHQL_WS_URL says otherwise.
 */

const API_KEY = "sellout.api";

function resolveApi(): string {
  const params = new URLSearchParams(globalThis.location.search);
  const given = params.get("api");
  if (given === "") localStorage.removeItem(API_KEY);
  else if (given !== null) localStorage.setItem(API_KEY, given);
  const chosen = given || localStorage.getItem(API_KEY) || import.meta.env.VITE_GRAPHQL_URL || "/graphql";
  return new URL(chosen, globalThis.location.href).href;
}

export const apiUrl: string = resolveApi();

export const wsUrl: string = new URL(
  new URLSearchParams(globalThis.location.search).get("ws") ||
    import.meta.env.VITE_GRAPHQL_WS_URL ||
    `${apiUrl.replace(/^http/, "ws").replace(/\/$/, "")}/ws`,
  globalThis.location.href,
).href;
