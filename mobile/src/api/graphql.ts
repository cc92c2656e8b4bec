/** The one way the app talks to the gateway: GraphQL over HTTP POST, with the session's token. */
import { apiUrl } from "../config";
import { REFRESH, type AuthTokens } from "./documents";
import { clearSession, getSession, setTokens } from "./session";

/** The gateway could not be reached (or answered with something that is not GraphQL). */
export class NetworkError extends Error {
  override name = "NetworkError";
}

/** The gateway answered with a GraphQL error; `code` is its `extensions.code`. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Codes after which the request is worth making again later, offline-style. */
export const TRANSIENT_CODES = new Set(["UNAVAILABLE", "RATE_LIMITED", "TIMEOUT"]);

export function isTransient(e: unknown): boolean {
  return e instanceof NetworkError || (e instanceof ApiError && e.code !== undefined && TRANSIENT_CODES.has(e.code));
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface Options {
  /** Send the session's access token (default true). */
  auth?: boolean;
  timeoutMs?: number;
}

const AUTH_CODES = new Set(["UNAUTHENTICATED", "TOKEN_EXPIRED"]);
const REFRESH_EARLY_MS = 60_000;

async function post<T>(query: string, variables: Record<string, unknown>, token: string | null, timeoutMs: number) {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(apiUrl, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : "network error");
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new NetworkError(`HTTP ${res.status}`);
  }
  const err = body.errors?.[0];
  if (err) throw new ApiError(err.message, err.extensions?.code as string | undefined, err.extensions ?? {});
  if (body.data == null) throw new NetworkError(`HTTP ${res.status} without data`);
  return body.data;
}

let refreshing: Promise<boolean> | null = null;

/**
 * Trades the refresh token for new tokens (once at a time). False when it
 * could not be done now (offline); a refused refresh token ends the session.
 */
export function refreshTokens(): Promise<boolean> {
  refreshing ??= (async () => {
    const session = getSession();
    if (!session) return false;
    try {
      const data = await post<{ refresh: AuthTokens }>(REFRESH, { refreshToken: session.refreshToken }, null, 10_000);
      setTokens(data.refresh);
      return true;
    } catch (e) {
      if (e instanceof ApiError && !isTransient(e)) clearSession("Your session has ended. Please sign in again.");
      return false;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Whether the access token expires within a minute. */
export function accessTokenDueForRefresh(): boolean {
  const s = getSession();
  return !!s && Date.parse(s.accessTokenExpiresAt) - Date.now() < REFRESH_EARLY_MS;
}

/** Runs a GraphQL operation; throws NetworkError or ApiError. */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: Options = {},
): Promise<T> {
  const { auth = true, timeoutMs = 10_000 } = options;
  if (!auth) return post<T>(query, variables, null, timeoutMs);
  if (accessTokenDueForRefresh()) await refreshTokens();
  try {
    return await post<T>(query, variables, getSession()?.accessToken ?? null, timeoutMs);
  } catch (e) {
    if (e instanceof ApiError && e.code !== undefined && AUTH_CODES.has(e.code) && (await refreshTokens()))
      return post<T>(query, variables, getSession()?.accessToken ?? null, timeoutMs);
    throw e;
  }
}
