// Browser tests of the scanner app against a running gateway.
//   node mobile/tests/browser.mjs <fixture.json>
// The fixture (written by the e2e harness) names the app, GraphQL and mailpit URLs, the scanner's
// e-mail, the event and gate, tickets (QR text and PNG) and where to put screenshots. Chromium is
// the system's (/usr/bin/chromium); the camera is Chromium's fake device playing a .y4m made
// from ticket 0's QR PNG. Prints `ok - name` / `not ok - name: reason` per test and, last,
// `N passed, M failed`; exits non-zero when any failed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { PNG } from "pngjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TEST_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS ?? 60_000);

const fixturePath = process.argv[2];
if (!fixturePath) {
  console.error("usage: node mobile/tests/browser.mjs <fixture.json>");
  console.log("0 passed, 1 failed");
  process.exit(2);
}
const fx = JSON.parse(readFileSync(fixturePath, "utf8"));
mkdirSync(fx.screenshots, { recursive: true });
const work = mkdtempSync(join(tmpdir(), "sellout-scanner-"));

// ---------- helpers ----------

/** A ticket's id from its QR text (base45, bytes 18..34). */
function ticketIdOf(code) {
  const A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const out = [];
  for (let i = 0; i < code.length; i += 3) {
    const [c, d, e] = [A.indexOf(code[i]), A.indexOf(code[i + 1]), i + 2 < code.length ? A.indexOf(code[i + 2]) : -1];
    if (i + 2 < code.length) {
      const n = c + d * 45 + e * 2025;
      out.push(n >> 8, n & 255);
    } else out.push(c + d * 45);
  }
  const h = Buffer.from(out.slice(18, 34)).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A 10-frame 4:2:0 .y4m of a PNG, scaled up (nearest) onto a white square of `size` pixels. */
function y4mOf(pngPath, outPath, size = 720) {
  const png = PNG.sync.read(readFileSync(pngPath));
  const inner = Math.round(size * 0.8);
  const off = Math.round((size - inner) / 2);
  const y = Buffer.alloc(size * size, 255);
  for (let py = 0; py < inner; py++) {
    const sy = Math.min(png.height - 1, Math.floor((py * png.height) / inner));
    for (let px = 0; px < inner; px++) {
      const sx = Math.min(png.width - 1, Math.floor((px * png.width) / inner));
      const i = (sy * png.width + sx) * 4;
      const a = png.data[i + 3] / 255;
      const lum = 0.299 * png.data[i] + 0.587 * png.data[i + 1] + 0.114 * png.data[i + 2];
      y[(py + off) * size + px + off] = Math.round(lum * a + 255 * (1 - a));
    }
  }
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  const parts = [Buffer.from(`YUV4MPEG2 W${size} H${size} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let f = 0; f < 10; f++) parts.push(Buffer.from("FRAME\n"), y, chroma);
  writeFileSync(outPath, Buffer.concat(parts));
  return outPath;
}

async function launch(video) {
  const args = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
  ];
  if (video) args.push(`--use-file-for-fake-video-capture=${video}`);
  return chromium.launch({ executablePath: CHROMIUM, args });
}

function appUrl() {
  const app = new URL(fx.appUrl);
  if (fx.graphqlUrl && new URL(fx.graphqlUrl).origin !== app.origin) app.searchParams.set("api", fx.graphqlUrl);
  return app.href;
}

const tid = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, timeoutMs = 20_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ""}`);
}

async function mailpit(path) {
  const res = await fetch(new URL(path, fx.mailpitUrl));
  if (!res.ok) throw new Error(`mailpit ${path}: HTTP ${res.status}`);
  return res.json();
}

async function messagesTo(email) {
  const list = await mailpit("/api/v1/messages?limit=200");
  return (list.messages ?? []).filter((m) =>
    (m.To ?? []).some((t) => (t.Address ?? "").toLowerCase() === email.toLowerCase()),
  );
}

async function newDevice(browser) {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  if (process.env.DEBUG) {
    page.on("console", (m) => console.error(`[console ${m.type()}] ${m.text()}`));
    page.on("pageerror", (e) => console.error(`[pageerror] ${e.message}`));
    page.on("requestfailed", (r) => console.error(`[requestfailed] ${r.url()} ${r.failure()?.errorText}`));
  }
  return { context, page };
}

async function signIn(page) {
  await page.goto(appUrl());
  const before = new Set((await messagesTo(fx.scannerEmail)).map((m) => m.ID));
  await page.fill(tid("email"), fx.scannerEmail);
  await page.click(tid("email-submit"));
  await page.waitForSelector(tid("code"));
  const msg = await until("the login code e-mail", async () =>
    (await messagesTo(fx.scannerEmail)).find((m) => !before.has(m.ID)),
  );
  const full = await mailpit(`/api/v1/message/${msg.ID}`);
  const code = /\b(\d{6})\b/.exec(full.Text ?? "")?.[1];
  if (!code) throw new Error("no 6-digit code in the e-mail");
  await page.fill(tid("code"), code);
  await page.click(tid("code-submit"));
  await page.waitForSelector(tid("scan-day"));
}

async function pickPlace(page) {
  await page
    .locator(`${tid("scan-day")}[data-event="${fx.event}"]`)
    .first()
    .click();
  await page.waitForSelector(`${tid("gate-select")}, ${tid("gate-input")}`);
  if (await page.locator(tid("gate-select")).count()) {
    const options = await page
      .locator(`${tid("gate-select")} option`)
      .evaluateAll((os) => os.map((o) => ({ value: o.value, label: o.textContent })));
    const o = options.find((x) => x.value === fx.gate || x.label === fx.gate) ?? options[0];
    await page.selectOption(tid("gate-select"), o.value);
  } else {
    await page.fill(tid("gate-input"), fx.gate);
  }
  await page.click(tid("start-scanning"));
  await page.waitForSelector(tid("status-online"));
}

async function outcome(page) {
  await page.waitForSelector(tid("result-outcome"));
  return (await page.textContent(tid("result-outcome")))?.trim();
}

async function dismiss(page) {
  if (await page.locator(tid("result-dismiss")).count()) await page.click(tid("result-dismiss"));
  await page.waitForSelector(tid("result-outcome"), { state: "detached" });
}

async function manualScan(page, code) {
  await page.fill(tid("manual-code"), code);
  await page.click(tid("manual-submit"));
  return outcome(page);
}

async function text(page, id) {
  return (await page.textContent(tid(id)))?.trim();
}

async function setOffline(device, offline) {
  await device.context.setOffline(offline);
  const want = offline ? "Offline" : "Online";
  if (!offline) await device.page.evaluate(() => window.dispatchEvent(new Event("online")));
  await until(`status ${want}`, async () => (await text(device.page, "status-online")) === want);
}

/** Serious or critical axe violations on the page now. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0]?.target?.join(" ")}`);
}

function expectEq(actual, expected, what) {
  if (actual !== expected)
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

// ---------- the runner ----------

const results = [];
const needs = new Map();

async function test(name, fn, { timeoutMs = TEST_TIMEOUT_MS, after = [] } = {}) {
  const missing = after.filter((a) => !needs.get(a));
  let error = null;
  if (missing.length) error = new Error(`skipped: needs "${missing.join('", "')}"`);
  else {
    let timer;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
    }
  }
  needs.set(name, !error);
  results.push(!error);
  const reason = error ? String(error.message ?? error).split("\n")[0] : "";
  console.log(error ? `not ok - ${name}: ${reason}` : `ok - ${name}`);
}

const browsers = [];
const axe = {};
let A;
let B;

try {
  if (!Array.isArray(fx.tickets) || fx.tickets.length < 3) throw new Error("the fixture needs at least 3 tickets");
  const [t0, t1, t2] = fx.tickets;

  await test("sign in with the code read from mailpit", async () => {
    const browser = await launch(y4mOf(t0.qrPng, join(work, "ticket-0.y4m")));
    browsers.push(browser);
    A = await newDevice(browser);
    await signIn(A.page);
    await pickPlace(A.page);
  });

  await test(
    "camera scan of ticket 0 is ADMITTED",
    async () => {
      expectEq(await outcome(A.page), "ADMITTED", "outcome");
      axe.admitted = await axeViolations(A.page);
      await A.page.screenshot({ path: join(fx.screenshots, "admitted.png"), fullPage: true });
      await dismiss(A.page);
    },
    { after: ["sign in with the code read from mailpit"] },
  );

  await test(
    "ticket 0 again is ALREADY_ADMITTED",
    async () => {
      expectEq(await manualScan(A.page, t0.code), "ALREADY_ADMITTED", "outcome");
      axe.alreadyAdmitted = await axeViolations(A.page);
      await A.page.screenshot({ path: join(fx.screenshots, "already-admitted.png"), fullPage: true });
      await dismiss(A.page);
    },
    { after: ["camera scan of ticket 0 is ADMITTED"] },
  );

  await test(
    "offline, ticket 1 is ADMITTED on the device and queued",
    async () => {
      await setOffline(A, true);
      expectEq(await manualScan(A.page, t1.code), "ADMITTED", "outcome");
      await dismiss(A.page);
      await until("queue length 1", async () => (await text(A.page, "queue-length")) === "1", 5_000);
    },
    { after: ["sign in with the code read from mailpit"] },
  );

  await test(
    "back online, the queue is synced",
    async () => {
      await setOffline(A, false);
      await until("queue length 0", async () => (await text(A.page, "queue-length")) === "0");
      const last = await text(A.page, "last-sync");
      if (!last || last === "Never") throw new Error(`last sync not set (${JSON.stringify(last)})`);
      // the admission synced: the gateway now says ticket 1 was admitted
      expectEq(await manualScan(A.page, t1.code), "ALREADY_ADMITTED", "ticket 1 after sync");
      await dismiss(A.page);
    },
    { after: ["offline, ticket 1 is ADMITTED on the device and queued"] },
  );

  await test(
    "ticket 2 admitted offline on two devices: a conflict shown on both",
    async () => {
      const browser = await launch(null);
      browsers.push(browser);
      B = await newDevice(browser);
      await signIn(B.page);
      await pickPlace(B.page);
      const id = ticketIdOf(t2.code);
      await setOffline(A, true);
      await setOffline(B, true);
      expectEq(await manualScan(A.page, t2.code), "ADMITTED", "device A offline");
      await dismiss(A.page);
      expectEq(await manualScan(B.page, t2.code), "ADMITTED", "device B offline");
      await dismiss(B.page);
      await setOffline(A, false);
      await until("device A synced", async () => (await text(A.page, "queue-length")) === "0");
      await setOffline(B, false);
      await until("device B synced", async () => (await text(B.page, "queue-length")) === "0");
      const shown = (device) => async () =>
        (await device.page.locator(tid("conflict-item")).allTextContents()).some((t) => t.includes(id));
      await until("the conflict on device B (the later sync)", shown(B), 30_000);
      await until("the conflict on device A (whose admission stands)", shown(A), 30_000);
      axe.conflict = [...(await axeViolations(B.page)), ...(await axeViolations(A.page))];
      await B.page.locator(tid("conflicts")).scrollIntoViewIfNeeded();
      await B.page.screenshot({ path: join(fx.screenshots, "conflict.png"), fullPage: true });
    },
    { timeoutMs: Math.max(TEST_TIMEOUT_MS, 120_000), after: ["back online, the queue is synced"] },
  );

  const axeTest = (name, key, after) =>
    test(
      name,
      async () => {
        const v = axe[key];
        if (!v) throw new Error("the screen was not reached");
        if (v.length) throw new Error(v.join("; "));
      },
      { after: [after] },
    );
  await axeTest(
    "axe: no serious or critical violation on the ADMITTED screen",
    "admitted",
    "camera scan of ticket 0 is ADMITTED",
  );
  await axeTest(
    "axe: no serious or critical violation on the ALREADY_ADMITTED screen",
    "alreadyAdmitted",
    "ticket 0 again is ALREADY_ADMITTED",
  );
  await axeTest(
    "axe: no serious or critical violation on the conflict view",
    "conflict",
    "ticket 2 admitted offline on two devices: a conflict shown on both",
  );
} catch (e) {
  console.log(`not ok - setup: ${String(e.message ?? e).split("\n")[0]}`);
  results.push(false);
} finally {
  await Promise.race([Promise.allSettled(browsers.map((b) => b.close())), sleep(10_000)]);
  rmSync(work, { recursive: true, force: true });
}

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
