/**
 * The sign-in: the login (e-mail address) and its tokens. The portal keeps
 * a buyer's in sessionStorage, so a reload of the tab stays signed in and
 * closing it signs out; Backstage (built with VITE_APP=backstage) keeps a
 * promoter's in localStorage under a key of its own, so every tab of the
 * back office shares one sign-in and the portal's never mixes with it.
 * Listeners hear of every change (sign in, refresh, sign out), from other
 * tabs too for Backstage.
 */

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface Session extends Tokens {
  email: string;
}

const APP: string = import.meta.env.VITE_APP ?? "portal";
const KEY = `sellout.${APP}.session`;
const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return (APP === "backstage" ? globalThis.localStorage : globalThis.sessionStorage) ?? null;
  } catch {
    // storage can be refused (third-party frames with strict settings): memory only then
    return null;
  }
}

function read(): Session | null {
  try {
    const raw = storage()?.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

let current: Session | null = read();
/** Whether storage holds `current`: not when it is refused or a write failed (memory only then). */
let stored = storage() !== null;

// Another tab signed in, refreshed or signed out (localStorage only).
if (typeof window !== "undefined")
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = read();
    listeners.forEach((l) => l());
  });

function write(next: Session | null) {
  current = next;
  try {
    if (next) storage()?.setItem(KEY, JSON.stringify(next));
    else storage()?.removeItem(KEY);
    stored = storage() !== null;
  } catch {
    // kept in memory only
    stored = false;
  }
  listeners.forEach((l) => l());
}

export function getSession(): Session | null {
  return current;
}

/**
 * The session as storage holds it now, taken as the current one: another
 * tab may have refreshed or ended it before this tab heard (its storage
 * event is a task of its own). The in-memory one when storage does not hold it.
 */
export function reloadSession(): Session | null {
  if (!stored) return current;
  const latest = read();
  if (JSON.stringify(latest) !== JSON.stringify(current)) {
    current = latest;
    listeners.forEach((l) => l());
  }
  return current;
}

/** Longest wait for another tab's refresh before giving up (the caller sees a failed refresh and may retry). */
export const REFRESH_LOCK_WAIT_MS = 30_000;

/**
 * Runs `trade` holding Backstage's refresh lock (Web Locks, per origin), so
 * that one tab at a time trades the refresh token its tabs share: each
 * refresh token works once, and the server ends a session whose token is
 * replayed. The portal keeps a session per tab, so it trades straight
 * away, as does a browser without Web Locks. Waiting for the lock gives up
 * after {@link REFRESH_LOCK_WAIT_MS} (rejecting).
 */
export function underRefreshLock<T>(trade: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks as LockManager | undefined;
  if (!locks || APP !== "backstage") return trade();
  return locks.request(`sellout.${APP}.refresh`, { signal: AbortSignal.timeout(REFRESH_LOCK_WAIT_MS) }, trade);
}

export function startSession(email: string, tokens: Tokens) {
  write({ email: email.trim().toLowerCase(), ...tokens });
}

export function setTokens(tokens: Tokens) {
  if (current) write({ ...current, ...tokens });
}

export function clearSession() {
  write(null);
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether the access token expires within `marginMs` (or already has). */
export function accessTokenDue(session: Session | null, now = Date.now(), marginMs = 30_000): boolean {
  if (!session) return false;
  const at = Date.parse(session.accessTokenExpiresAt);
  return Number.isNaN(at) || at - now < marginMs;
}

/** A value kept in sessionStorage under `key` (JSON), or null. */
export function loadStored<T>(key: string): T | null {
  try {
    const raw = storage()?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function store(key: string, value: unknown) {
  try {
    if (value === null) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // not kept across reloads then
  }
}
