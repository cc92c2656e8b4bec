// Helpers of web/tests/browser.mjs that need no browser (unit-tested in helpers.test.mjs).

/** The 6-digit login code of an e-mail's text. */
export function loginCodeOf(text) {
  return /\b(\d{6})\b/.exec(text ?? "")?.[1] ?? null;
}

/** Mailpit's messages (its /api/v1/messages answer) sent to `email`. */
export function messagesTo(list, email) {
  const want = email.toLowerCase();
  return (list?.messages ?? []).filter((m) => (m.To ?? []).some((t) => (t.Address ?? "").toLowerCase() === want));
}

/** The portal's address of `path` (`ns/event`, `ns/event/orders`, …) below fixture.portalUrl. */
export function portalUrlOf(portalUrl, path) {
  return new URL(path.replace(/^\/+/, ""), portalUrl.endsWith("/") ? portalUrl : `${portalUrl}/`).href;
}

/** Serious and critical axe violations of an axe.run result, one line each. */
export function seriousViolations(result, where = "") {
  return (result?.violations ?? [])
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${where ? `${where}: ` : ""}${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${[v.nodes[0]?.target ?? []].flat(2).join(" ")}`,
    );
}

/** Runs `fn` until it returns something truthy, or throws after `timeoutMs`. */
export async function until(what, fn, timeoutMs = 20_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ""}`);
}

/** Rejects with a timeout error when `promise` takes longer than `ms`. */
export async function withTimeout(promise, ms, what = "the test") {
  let timer;
  try {
    return await Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The fixture's fields the tests need; throws naming the missing ones. */
export function checkFixture(fx) {
  const need = [
    "gatewayOrigin",
    "portalUrl",
    "hostUrl",
    "foreignUrl",
    "mailpitUrl",
    "event",
    "gaTier",
    "addOnTier",
    "seatedTier",
    "tableTier",
    "buyerEmail",
    "secondBuyerEmail",
    "cards",
    "holdTtlSeconds",
    "screenshots",
  ];
  const missing = need.filter((k) => fx?.[k] === undefined || fx[k] === null || fx[k] === "");
  if (!missing.length && (!fx.cards.ok || !fx.cards.declined)) missing.push("cards.ok", "cards.declined");
  if (missing.length) throw new Error(`the fixture lacks ${missing.join(", ")}`);
  return fx;
}

/** The TAP-style line of a test that did not run: `ok - name # skipped: reason` (counted neither passed nor failed). */
export function skippedLine(name, reason) {
  return `ok - ${name} # skipped: ${reason}`;
}

/** The measurement id a gtag.js address loads (`…/gtag/js?id=G-X` → `G-X`); null for any other address. */
export function gtagIdOf(url) {
  try {
    const u = new URL(url);
    return u.origin === "https://www.googletagmanager.com" && u.pathname === "/gtag/js"
      ? u.searchParams.get("id")
      : null;
  } catch {
    return null;
  }
}

/** A file name for a screenshot: `03-seat-map-b.png`. */
export function shotName(n, name) {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${String(n).padStart(2, "0")}-${slug}.png`;
}

/** Seat (or table) labels out of the buttons' accessible names ("Seat A3, free" → "A3"). */
export function labelOfSeatName(name) {
  return /^(?:Seat|Table) (.+), (?:free|held|sold)$/.exec(name ?? "")?.[1] ?? null;
}
