/** Subscriptions over graphql-ws (`<api>/ws`), authenticated with the session's access token. */
import { createClient, type Client } from "graphql-ws";
import { wsUrl } from "../config";
import { accessTokenDueForRefresh, refreshTokens } from "./graphql";
import { getSession } from "./session";

let client: Client | null = null;

function live(): Client {
  client ??= createClient({
    url: wsUrl,
    lazy: true,
    retryAttempts: Number.MAX_SAFE_INTEGER,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** Math.min(retries, 5))));
    },
    connectionParams: async () => {
      if (navigator.onLine && accessTokenDueForRefresh()) await refreshTokens();
      const token = getSession()?.accessToken;
      return token ? { Authorization: `Bearer ${token}` } : {};
    },
  });
  return client;
}

/** Subscribes; returns the unsubscribe function. Reconnects by itself. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError?: (e: unknown) => void,
): () => void {
  return live().subscribe<T>(
    { query, variables },
    {
      next: (msg) => {
        if (msg.data) onData(msg.data as T);
      },
      error: (e) => onError?.(e),
      complete: () => undefined,
    },
  );
}

/** Closes the connection (on sign out); the next subscription opens a new one. */
export function closeLive() {
  void client?.dispose();
  client = null;
}
