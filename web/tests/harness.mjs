// The browser tests' runner: Debian's Chromium through playwright-core, a screenshot and axe at
// every step, one line per test (`ok - name` / `not ok - name: reason`) and, last, the summary
// `N passed, M failed` that `make test` counts. Also the GraphQL and mailpit calls tests make.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";
import { chromium } from "playwright-core";
import { loginCodeOf, messagesTo, seriousViolations, shotName, skippedLine, until, withTimeout } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const TEST_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS ?? 120_000);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Checks `fn` every `everyMs` for `forMs` and throws as soon as it returns something falsy (or
 * throws): for what must not happen, such as a count growing after an action that must not add
 * to it. `until` in helpers.mjs waits for what must happen.
 */
export async function stays(what, fn, forMs, everyMs = 250) {
  const end = Date.now() + forMs;
  for (;;) {
    let ok = false;
    let why = "";
    try {
      ok = Boolean(await fn());
    } catch (e) {
      why = ` (${e.message})`;
    }
    if (!ok) throw new Error(`${what}: no longer so${why}`);
    if (Date.now() >= end) return;
    await sleep(Math.min(everyMs, end - Date.now()));
  }
}

/**
 * A runner over `fx` (the fixture: `screenshots`, `mailpitUrl`, `gatewayOrigin`). Tests run one
 * after another; `finish()` closes the browsers, prints the summary and exits.
 */
export function createRunner(fx) {
  mkdirSync(fx.screenshots, { recursive: true });
  const results = [];
  const browsers = [];
  let skipped = 0;
  let shots = 0;

  async function launch() {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
    browsers.push(browser);
    return browser;
  }

  async function newPage(browser, options = {}) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: "en-GB", ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    if (process.env.DEBUG) {
      page.on("console", (m) => console.error(`[console ${m.type()}] ${m.text()}`));
      page.on("pageerror", (e) => console.error(`[pageerror] ${e.message}`));
      page.on("requestfailed", (r) => console.error(`[requestfailed] ${r.url()} ${r.failure()?.errorText}`));
    }
    return { context, page };
  }

  /** axe over `context` (an axe context, null for the whole document) of `frame`; violations kept for the test's end. */
  async function axe(t, frame, context, where) {
    if (!(await frame.evaluate(() => "axe" in window))) await frame.addScriptTag({ path: AXE });
    const result = await frame.evaluate(
      ([ctx]) => window.axe.run(ctx ?? document, { resultTypes: ["violations"], iframes: false }),
      [context],
    );
    t.violations.push(...seriousViolations(result, where));
    if (process.env.DEBUG)
      for (const v of result?.violations ?? [])
        for (const n of v.nodes.slice(0, 3)) console.error(`[axe ${where}] ${v.id} ${n.target}: ${n.failureSummary}`);
  }

  /** A full-page screenshot of `page`, numbered in the run's order and named after the test and `name`. */
  async function screenshot(t, page, name) {
    await page.screenshot({ path: join(fx.screenshots, shotName(++shots, `${t.name}-${name}`)), fullPage: true });
  }

  /** One step of a test: a full-page screenshot and axe over `frame` (the page's by default). */
  async function step(t, page, name, frame = page.mainFrame()) {
    await screenshot(t, page, name);
    await axe(t, frame, null, name);
  }

  async function test(name, fn, { timeoutMs = TEST_TIMEOUT_MS } = {}) {
    const t = { name, violations: [] };
    const cleanups = [];
    let error = null;
    try {
      await withTimeout(
        fn(t, (c) => cleanups.push(c)),
        timeoutMs,
        name,
      );
      if (t.violations.length) throw new Error(`axe: ${t.violations.join("; ")}`);
    } catch (e) {
      error = e;
      if (process.env.DEBUG) console.error(e);
    }
    for (const c of cleanups.reverse()) await Promise.race([c().catch(() => undefined), sleep(10_000)]);
    results.push(!error);
    console.log(error ? `not ok - ${name}: ${String(error.message ?? error).split("\n")[0]}` : `ok - ${name}`);
    return !error;
  }

  /** A test that could not run: counted neither passed nor failed, and said why. */
  function skip(name, reason) {
    skipped++;
    console.log(skippedLine(name, reason));
  }

  /** A failure outside any test (the setup): counted as one failed test. */
  function broke(e) {
    console.log(`not ok - setup: ${String(e.message ?? e).split("\n")[0]}`);
    results.push(false);
  }

  async function finish() {
    await Promise.race([Promise.allSettled(browsers.map((b) => b.close())), sleep(10_000)]);
    const passed = results.filter(Boolean).length;
    const failed = results.length - passed;
    if (skipped) console.log(`# ${skipped} skipped`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 ? 1 : 0);
  }

  /** A GraphQL operation against the gateway (as `token`'s login when given); its data, or throws its first error. */
  async function graphql(query, variables = {}, token = null) {
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(new URL("/graphql", fx.gatewayOrigin), {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = await res.json();
    if (body.errors?.length)
      throw new Error(`GraphQL: ${body.errors[0].message} (${body.errors[0].extensions?.code ?? "no code"})`);
    return body.data;
  }

  async function mailpit(path) {
    const res = await fetch(new URL(path, fx.mailpitUrl));
    if (!res.ok) throw new Error(`mailpit ${path}: HTTP ${res.status}`);
    return res.json();
  }

  async function mailTo(email) {
    return messagesTo(await mailpit("/api/v1/messages?limit=200"), email);
  }

  /** The ids of the mails `email` has now (to tell a new one later). */
  async function mailIds(email) {
    return new Set((await mailTo(email)).map((m) => m.ID));
  }

  /** The login code of the first mail to `email` not in `before`. */
  async function loginCode(email, before) {
    const msg = await until(
      "the login code e-mail",
      async () => (await mailTo(email)).find((m) => !before.has(m.ID)),
      30_000,
    );
    const full = await mailpit(`/api/v1/message/${msg.ID}`);
    const code = loginCodeOf(full.Text) ?? loginCodeOf(full.HTML);
    if (!code) throw new Error("no 6-digit code in the login e-mail");
    before.add(msg.ID);
    return code;
  }

  /** Signs `email` in through the API (code by mail); its access token. */
  async function apiLogin(email) {
    const before = await mailIds(email);
    await graphql(
      `
        mutation ($e: String!) {
          requestLoginCode(email: $e) {
            channel
          }
        }
      `,
      { e: email },
    );
    const code = await loginCode(email, before);
    const { login } = await graphql(
      `
        mutation ($e: String!, $c: String!) {
          login(email: $e, code: $c) {
            accessToken
          }
        }
      `,
      { e: email, c: code },
    );
    return login.accessToken;
  }

  return {
    launch,
    newPage,
    axe,
    screenshot,
    step,
    test,
    skip,
    broke,
    finish,
    graphql,
    mailpit,
    mailTo,
    mailIds,
    loginCode,
    apiLogin,
  };
}
