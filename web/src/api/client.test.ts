/**
 * Refreshing Backstage's session, which its tabs share in localStorage:
 * each tab is a fresh copy of the client and session modules over the same
 * storage, and `fetch` plays the gateway.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Session } from "./session";

const KEY = "sellout.backstage.session";
const HOUR = 3_600_000;

const due: Session = {
  email: "promoter@example.com",
  accessToken: "access-1",
  accessTokenExpiresAt: new Date(Date.now() - 1_000).toISOString(),
  refreshToken: "refresh-1",
  refreshTokenExpiresAt: new Date(Date.now() + HOUR).toISOString(),
};

/** The tokens a refresh gives: the `n`-th pair, valid for an hour. */
const tokens = (n: number) => ({
  accessToken: `access-${n}`,
  accessTokenExpiresAt: new Date(Date.now() + HOUR).toISOString(),
  refreshToken: `refresh-${n}`,
  refreshTokenExpiresAt: new Date(Date.now() + 24 * HOUR).toISOString(),
});

/** One tab of Backstage: its own module instances, over the shared localStorage. */
async function openTab() {
  vi.resetModules();
  const client = await import("./client");
  const session = await import("./session");
  return { refreshTokens: client.refreshTokens, getSession: session.getSession };
}

/** The refresh tokens the gateway was sent, in order; each works once, as on the server. */
let traded: string[] = [];

function gateway() {
  const used = new Set<string>();
  return vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const { variables } = JSON.parse(String(init?.body)) as { variables: { refreshToken: string } };
    traded.push(variables.refreshToken);
    // Slow enough for a second tab to ask meanwhile.
    await new Promise((r) => setTimeout(r, 20));
    const body = used.has(variables.refreshToken)
      ? { errors: [{ message: "refresh token replayed", extensions: { code: "UNAUTHENTICATED" } }] }
      : { data: { refresh: tokens(traded.length + 1) } };
    used.add(variables.refreshToken);
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  });
}

/** Web Locks as the browser has them for one origin: exclusive, granted in the order asked. */
function fakeLocks() {
  const tails = new Map<string, Promise<unknown>>();
  const asked: string[] = [];
  const locks = {
    request<T>(name: string, options: { signal?: AbortSignal }, callback: () => Promise<T>): Promise<T> {
      asked.push(name);
      if (!(options.signal instanceof AbortSignal)) throw new Error("the lock is asked for without a time limit");
      const granted = (tails.get(name) ?? Promise.resolve()).then(() => callback());
      tails.set(
        name,
        granted.catch(() => undefined),
      );
      return granted;
    },
  };
  return { locks, asked };
}

function installLocks(locks: unknown) {
  Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
}

beforeEach(() => {
  vi.stubEnv("VITE_APP", "backstage");
  vi.stubGlobal("fetch", gateway());
  traded = [];
  localStorage.setItem(KEY, JSON.stringify(due));
});

afterEach(() => {
  Reflect.deleteProperty(navigator, "locks");
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("refreshing a session that tabs share", () => {
  it("trades the refresh token once when two tabs refresh at the same time", async () => {
    const { locks, asked } = fakeLocks();
    installLocks(locks);
    const a = await openTab();
    const b = await openTab();

    const [okA, okB] = await Promise.all([a.refreshTokens(), b.refreshTokens()]);

    expect(traded).toEqual(["refresh-1"]);
    expect([okA, okB]).toEqual([true, true]);
    expect(a.getSession()?.refreshToken).toBe("refresh-2");
    expect(b.getSession()?.refreshToken).toBe("refresh-2");
    expect(asked).toEqual(["sellout.backstage.refresh", "sellout.backstage.refresh"]);
  });

  it("takes the session another tab already refreshed instead of trading again", async () => {
    installLocks(fakeLocks().locks);
    const tab = await openTab();
    // Another tab refreshed; this one has not heard yet.
    localStorage.setItem(KEY, JSON.stringify({ ...due, ...tokens(7) }));

    expect(await tab.refreshTokens()).toBe(true);

    expect(traded).toEqual([]);
    expect(tab.getSession()?.accessToken).toBe("access-7");
  });

  it("does not refresh a session another tab has signed out", async () => {
    installLocks(fakeLocks().locks);
    const tab = await openTab();
    localStorage.removeItem(KEY);

    expect(await tab.refreshTokens()).toBe(false);

    expect(traded).toEqual([]);
    expect(tab.getSession()).toBeNull();
  });

  it("still trades without Web Locks (one tab's refreshes at a time)", async () => {
    expect("locks" in navigator).toBe(false);
    const tab = await openTab();

    const [first, second] = await Promise.all([tab.refreshTokens(), tab.refreshTokens()]);

    expect([first, second]).toEqual([true, true]);
    expect(traded).toEqual(["refresh-1"]);
    expect(tab.getSession()?.refreshToken).toBe("refresh-2");
    expect(JSON.parse(localStorage.getItem(KEY) ?? "null")).toMatchObject({ refreshToken: "refresh-2" });
  });
});
