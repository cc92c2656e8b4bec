/**
 * The one urql client of the portal: queries and mutations over HTTP POST
 * to same-origin /graphql, subscriptions over graphql-ws at /graphql/ws
 * (protocol graphql-transport-ws). A signed-in buyer's access token goes
 * as `Authorization: Bearer …` on HTTP and in the socket's
 * `connection_init` payload; it is refreshed before it runs out, and once
 * more when the gateway answers TOKEN_EXPIRED.
 */
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { RefreshMutation } from "./documents";
import { errorCode, TRANSIENT_CODES } from "./errors";
import {
  accessTokenDue,
  clearSession,
  getSession,
  reloadSession,
  setTokens,
  subscribeSession,
  underRefreshLock,
} from "./session";

export const graphqlUrl: string = new URL(`${import.meta.env.VITE_GRAPHQL_URL ?? "/graphql"}`, globalThis.location.href)
  .href;
export const wsUrl: string = `${graphqlUrl.replace(/^http/, "ws").replace(/\/$/, "")}/ws`;

/** Without the session: for `refresh` itself. */
const bare = new Client({ url: graphqlUrl, exchanges: [fetchExchange], preferGetMethod: false });

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh token for new tokens (one trade at a time, across
 * Backstage's tabs too: they share one session). False when it could not
 * be done; a refused refresh token ends the session.
 */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const started = getSession();
    if (!started) return false;
    const startedDue = accessTokenDue(started);
    return underRefreshLock(async () => {
      // Another tab may have traded the token while this one waited for the lock.
      const latest = reloadSession();
      if (!latest) return false;
      if (latest.refreshToken !== started.refreshToken || (startedDue && !accessTokenDue(latest))) return true;
      return trade(latest.refreshToken);
    }).catch(() => false); // the lock was not had in time: a failed refresh, tried again later
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Longest a refresh may take before it counts as failed (and may be tried again). */
export const REFRESH_TIMEOUT_MS = 15_000;

/** One `refresh` mutation: true when it gave new tokens. */
async function trade(refreshToken: string): Promise<boolean> {
  // Bounded: the lock is held meanwhile, and every tab waits on it.
  const result = await bare
    .mutation(RefreshMutation, { refreshToken }, { fetchOptions: { signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS) } })
    .toPromise();
  if (result.data) {
    setTokens(result.data.refresh);
    return true;
  }
  const code = errorCode(result.error);
  if (code !== undefined && !TRANSIENT_CODES.has(code)) clearSession();
  return false;
}

/** fetch with the session's token, refreshed when due or refused as expired. */
export async function authFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  if (accessTokenDue(getSession())) await refreshTokens();
  const send = () => {
    const headers = new Headers(init.headers);
    const token = getSession()?.accessToken;
    if (token) headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const res = await send();
  if (!getSession()) return res;
  const text = await res.clone().text();
  if (text.includes('"TOKEN_EXPIRED"') && (await refreshTokens())) return send();
  return res;
}

let ws: WsClient | null = null;

function live(): WsClient {
  ws ??= createWsClient({
    url: wsUrl,
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const ms = retries === 0 ? 100 : Math.min(15_000, 500 * 2 ** Math.min(retries, 5));
      await new Promise((r) => setTimeout(r, ms));
    },
    connectionParams: async () => {
      if (accessTokenDue(getSession())) await refreshTokens();
      const token = getSession()?.accessToken;
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
  });
  return ws;
}

// The socket speaks as the session it was opened with: a new sign-in or
// token reopens it (its subscriptions carry on over the new socket).
let socketToken = getSession()?.accessToken ?? null;
subscribeSession(() => {
  const token = getSession()?.accessToken ?? null;
  if (token !== socketToken) {
    socketToken = token;
    ws?.terminate();
  }
});

export const client = new Client({
  url: graphqlUrl,
  preferGetMethod: false,
  fetch: authFetch,
  requestPolicy: "cache-and-network",
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription(request) {
        const input = { ...request, query: request.query ?? "" };
        return {
          subscribe(sink) {
            const unsubscribe = live().subscribe(input, sink);
            return { unsubscribe };
          },
        };
      },
    }),
  ],
});
