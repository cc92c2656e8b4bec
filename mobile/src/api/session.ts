/**
 * The signed-in session: the staff login and its tokens, kept in
 * localStorage so the app opens signed in, offline too. Listeners hear of
 * every change (sign in, refresh, sign out).
 */
import type { AuthTokens } from "./documents";

export interface Session extends AuthTokens {
  email: string;
}

const KEY = "sellout.session";
const listeners = new Set<() => void>();
let current: Session | null = read();
let endedBecause: string | null = null;

function read(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function write(next: Session | null) {
  current = next;
  if (next) localStorage.setItem(KEY, JSON.stringify(next));
  else localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

export function getSession(): Session | null {
  return current;
}

/** Why the last session ended, when the app ended it (e.g. a refused refresh token). */
export function sessionEndedBecause(): string | null {
  return endedBecause;
}

export function startSession(email: string, tokens: AuthTokens) {
  endedBecause = null;
  write({ email, ...tokens });
}

export function setTokens(tokens: AuthTokens) {
  if (current) write({ ...current, ...tokens });
}

export function clearSession(reason: string | null = null) {
  endedBecause = reason;
  write(null);
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** This device's id: a UUID made once and kept. */
export function deviceId(): string {
  let id = localStorage.getItem("sellout.device");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("sellout.device", id);
  }
  return id;
}
