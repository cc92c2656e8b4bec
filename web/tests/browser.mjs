// Browser tests of the purchase portal and embed.js against a running gateway.
//   node web/tests/browser.mjs <fixture.json>
// The fixture (written by the e2e harness, which starts the whole stack) names the gateway, the
// portal, a host page that may frame it (it loads embed.js and has a "Buy tickets" button for
// the event), a foreign page that may not (it frames the portal in <iframe id="portal">), mailpit
// (login codes and ticket mails), the event and its tiers, two buyers' e-mail addresses, an
// accepted and a declined localstripe card number, the event's hold time and where to put
// screenshots, and optionally (`analyticsEvent`) an event whose organization has the Google
// Analytics id G-SELLOUT123. Every step is screenshotted, and axe checks the portal (and embed.js's overlay)
// at every step: a serious or critical violation fails the test. Chromium is the system's
// (/usr/bin/chromium). Prints `ok - name` / `not ok - name: reason` per test (`ok - name #
// skipped: reason` for one the fixture has nothing for, counted neither passed nor failed) and,
// last, `N passed, M failed`; exits non-zero when any failed.
import { readFileSync } from "node:fs";
import process from "node:process";
import { createRunner, sleep, TEST_TIMEOUT_MS } from "./harness.mjs";
import { checkFixture, gtagIdOf, labelOfSeatName, portalUrlOf, until } from "./helpers.mjs";

/** The Google Analytics id of the organization of fixture.analyticsEvent. */
const ANALYTICS_GA_ID = "G-SELLOUT123";
/** The portal's pages are screenshotted at this size. */
const PORTAL_VIEWPORT = { width: 1100, height: 900 };

const fixturePath = process.argv[2];
if (!fixturePath) {
  console.error("usage: node web/tests/browser.mjs <fixture.json>");
  console.log("0 passed, 1 failed");
  process.exit(2);
}

// The fixture is checked before the runner is made (it needs fx.screenshots); a bad one is the
// one failed test `setup`.
let fx;
let run;
try {
  fx = checkFixture(JSON.parse(readFileSync(fixturePath, "utf8")));
  run = createRunner(fx);
} catch (e) {
  console.log(`not ok - setup: ${String(e.message ?? e).split("\n")[0]}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const { axe, test, skip, graphql, mailTo } = run;

// ---------- helpers ----------

/** A page of the portal's size (en-GB, as the harness's). */
async function newPage(browser) {
  return run.newPage(browser, { viewport: PORTAL_VIEWPORT });
}

/**
 * One step of a test: a screenshot of the page, and axe over `frame` (the portal's frame or
 * page) and, on the host page, over embed.js's overlay. Violations are kept for the test's end.
 */
async function step(t, page, name, frame = page.mainFrame()) {
  await run.screenshot(t, page, name);
  await axe(t, frame, null, `${name} (${frame === page.mainFrame() ? "page" : "portal frame"})`);
  if (frame !== page.mainFrame() && (await page.locator("[data-sellout-overlay]").count()))
    await axe(t, page.mainFrame(), { include: [["[data-sellout-overlay]"]] }, `${name} (embed.js overlay)`);
}

/** The portal's Frame inside embed.js's overlay on the host page. */
async function overlayFrame(page) {
  const iframe = page.locator('iframe[title="Buy tickets"]');
  await iframe.waitFor();
  const frame = await (await iframe.elementHandle()).contentFrame();
  if (!frame) throw new Error("the overlay's iframe has no frame");
  return frame;
}

let eventTitle = "";
let tierNames = new Map();

function tierName(tier) {
  const name = tierNames.get(tier);
  if (!name) throw new Error(`the event has no public tier ${tier}`);
  return name;
}

async function waitForEventPage(frame) {
  await frame.getByRole("heading", { level: 1, name: eventTitle }).waitFor({ timeout: 30_000 });
}

async function pickQuantity(frame, tier, n) {
  await frame.getByLabel(`Number of tickets: ${tierName(tier)}`).selectOption(String(n));
}

async function cont(frame) {
  await frame.getByRole("button", { name: "Continue", exact: true }).click();
  await frame.getByRole("timer").waitFor({ timeout: 30_000 });
}

/** Buyer details, then the login code from mailpit: leaves the portal at the payment step. */
async function detailsAndSignIn(frame, email, name) {
  const before = await run.mailIds(email);
  await frame.getByLabel("E-mail address").fill(email);
  await frame.getByLabel("Full name").fill(name);
  await frame.getByRole("button", { name: "Continue", exact: true }).click();
  const codeField = frame.getByLabel("Code from the e-mail");
  await codeField.waitFor();
  const code = await run.loginCode(email, before); // adds the login mail's id to `before`
  await codeField.fill(code);
  await frame.getByRole("button", { name: "Sign in", exact: true }).click();
  await frame.locator('input[placeholder="number"]').waitFor({ timeout: 30_000 });
  return before;
}

/** localstripe's card element: number, MM, YY, CVC, postal code. */
async function fillCard(frame, number) {
  await frame.locator('input[placeholder="number"]').fill(number);
  await frame.locator('input[placeholder="exp_month"]').fill("12");
  await frame.locator('input[placeholder="exp_year"]').fill("34");
  await frame.locator('input[placeholder="cvc"]').fill("123");
  await frame.locator('input[placeholder="postal_code"]').fill("10115");
}

async function pay(frame) {
  await frame.getByRole("button", { name: /^Pay / }).click();
}

async function cancelHolds(frame) {
  const cancel = frame.getByRole("button", { name: "Cancel and release the tickets" });
  if (await cancel.count()) {
    await cancel.click();
    await frame.getByText("Your tickets were released.").waitFor();
  }
}

/** The free seats (or tables) of a tier's picker, by label. */
async function freeLabels(frame, kind) {
  const names = await frame
    .getByRole("button", { name: new RegExp(`^${kind} .+, free$`) })
    .evaluateAll((bs) => bs.filter((b) => !b.disabled).map((b) => b.getAttribute("aria-label")));
  return names.map(labelOfSeatName).filter(Boolean);
}

try {
  const { event } = await graphql(
    `
      query ($slug: String!) {
        event(slug: $slug) {
          title
          tiers {
            name
            displayName
          }
        }
      }
    `,
    {
      slug: fx.event,
    },
  );
  if (!event) throw new Error(`no event ${fx.event}`);
  eventTitle = event.title;
  tierNames = new Map(event.tiers.map((t) => [t.name, t.displayName]));
  const browser = await run.launch();
  const eventUrl = portalUrlOf(fx.portalUrl, fx.event);

  await test("embedded on the host page: 2 GA and 1 add-on bought and paid, tickets shown and e-mailed", async (t, later) => {
    const { context, page } = await newPage(browser);
    later(() => context.close());
    const completed = [];
    await page.exposeFunction("__selloutCompleted", (detail) => completed.push(detail));
    await page.addInitScript(() =>
      window.addEventListener("sellout:completed", (e) => window.__selloutCompleted(e.detail)),
    );
    await page.goto(fx.hostUrl);
    await page.waitForFunction(() => typeof window.Sellout?.open === "function");
    await page.getByRole("button", { name: "Buy tickets" }).click();
    const frame = await overlayFrame(page);
    await waitForEventPage(frame);
    await step(t, page, "overlay open", frame);
    await pickQuantity(frame, fx.gaTier, 2);
    await pickQuantity(frame, fx.addOnTier, 1);
    await frame.getByTestId("quote-total").waitFor();
    await step(t, page, "picked", frame);
    await cont(frame);
    await step(t, page, "held", frame);
    const seen = await detailsAndSignIn(frame, fx.buyerEmail, "Erika Mustermann");
    await fillCard(frame, fx.cards.ok);
    await step(t, page, "card", frame);
    await pay(frame);
    await frame.getByRole("heading", { level: 1, name: /^Thank you!/ }).waitFor({ timeout: 60_000 });
    await frame.getByTestId("tickets").waitFor({ timeout: 60_000 });
    await frame.getByTestId("tickets-sent").waitFor();
    const tickets = await frame.getByTestId("tickets").locator("li").count();
    if (tickets < 3) throw new Error(`expected at least 3 tickets (2 GA, 1 add-on), saw ${tickets}`);
    const sentTo = await frame.getByTestId("tickets-sent").textContent();
    if (!sentTo?.toLowerCase().includes(fx.buyerEmail.toLowerCase()))
      throw new Error(`"tickets sent to" names ${JSON.stringify(sentTo)}`);
    const number = (await frame.getByTestId("order-number").textContent())?.trim();
    await step(t, page, "confirmation", frame);
    const done = await until("sellout:completed on the host page", () => completed[0], 10_000);
    if (done.event !== fx.event || !done.orderId || done.number !== number)
      throw new Error(`sellout:completed said ${JSON.stringify(done)} (order ${number})`);
    await until(
      "the ticket e-mail in mailpit",
      async () => (await mailTo(fx.buyerEmail)).find((m) => !seen.has(m.ID)),
      60_000,
    );
    // the portal's close button closes the overlay
    await frame.getByRole("button", { name: "Close" }).click();
    await page.locator("[data-sellout-overlay]").waitFor({ state: "detached" });
  });

  await test("seat map: seats and a table held by one buyer turn HELD live for another", async (t, later) => {
    const A = await newPage(browser);
    const B = await newPage(browser);
    later(() => B.context.close());
    later(() => A.context.close());
    later(() => cancelHolds(A.page.mainFrame()));
    await A.page.goto(eventUrl);
    await B.page.goto(eventUrl);
    await waitForEventPage(A.page.mainFrame());
    await waitForEventPage(B.page.mainFrame());
    await A.page
      .getByRole("button", { name: /^Seat .+, free$/ })
      .first()
      .waitFor();
    await A.page
      .getByRole("button", { name: /^Table .+, free$/ })
      .first()
      .waitFor();
    const seats = (await freeLabels(A.page, "Seat")).slice(0, 2);
    const tables = (await freeLabels(A.page, "Table")).slice(0, 1);
    if (seats.length < 2 || tables.length < 1)
      throw new Error(`not enough free seats (${seats}) or tables (${tables})`);
    await until("B's seat map", async () => (await freeLabels(B.page, "Seat")).includes(seats[0]));
    await step(t, B.page, "b before");
    for (const s of seats) await A.page.getByRole("button", { name: `Seat ${s}, free` }).click();
    await A.page.getByRole("button", { name: `Table ${tables[0]}, free` }).click();
    for (const s of seats)
      if ((await A.page.getByRole("button", { name: `Seat ${s}, free` }).getAttribute("aria-pressed")) !== "true")
        throw new Error(`seat ${s} is not shown as picked`);
    await step(t, A.page, "a picked");
    await cont(A.page.mainFrame());
    await step(t, A.page, "a held");
    for (const [kind, label] of [...seats.map((s) => ["Seat", s]), ["Table", tables[0]]]) {
      const button = B.page.getByRole("button", { name: `${kind} ${label}, held` });
      await button.waitFor({ timeout: 15_000 });
      if (!(await button.isDisabled())) throw new Error(`${kind} ${label} is held but can still be picked`);
    }
    await step(t, B.page, "b sees held");
  });

  await test("a declined card says so at the card field, the hold still counts down, and another card pays", async (t, later) => {
    const { context, page } = await newPage(browser);
    later(() => context.close());
    later(() => cancelHolds(page.mainFrame()));
    const frame = page.mainFrame();
    await page.goto(eventUrl);
    await waitForEventPage(frame);
    await pickQuantity(frame, fx.gaTier, 1);
    await cont(frame);
    await detailsAndSignIn(frame, fx.secondBuyerEmail, "Max Mustermann");
    await fillCard(frame, fx.cards.declined);
    await pay(frame);
    const alert = frame.getByTestId("card-error");
    await alert.waitFor({ timeout: 30_000 });
    if ((await alert.getAttribute("role")) !== "alert") throw new Error("the decline message is not role=alert");
    const text = (await alert.textContent()) ?? "";
    if (!/declined/i.test(text)) throw new Error(`the card message says ${JSON.stringify(text)}`);
    if (!(await frame.getByRole("timer").isVisible())) throw new Error("the hold countdown is gone");
    if (!(await frame.getByRole("button", { name: /^Pay / }).isEnabled())) throw new Error("cannot try another card");
    await step(t, page, "declined");
    // another card pays the same order (payOrder)
    await fillCard(frame, fx.cards.ok);
    await pay(frame);
    await frame.getByRole("heading", { level: 1, name: /^Thank you!/ }).waitFor({ timeout: 60_000 });
    await frame.getByTestId("tickets").waitFor({ timeout: 60_000 });
    await step(t, page, "paid with another card");
  });

  await test(
    "a hold that runs out: the page says so and that the tickets were released",
    async (t, later) => {
      const { context, page } = await newPage(browser);
      later(() => context.close());
      const frame = page.mainFrame();
      await page.goto(eventUrl);
      await waitForEventPage(frame);
      await pickQuantity(frame, fx.gaTier, 1);
      await cont(frame);
      await step(t, page, "held");
      const notice = frame.getByTestId("event-notice");
      await notice.waitFor({ timeout: (fx.holdTtlSeconds + 15) * 1000 });
      const text = (await notice.textContent()) ?? "";
      if (!/hold ran out/i.test(text) || !/released/i.test(text))
        throw new Error(`the page says ${JSON.stringify(text)}`);
      if (await frame.getByRole("timer").count()) throw new Error("the countdown is still shown");
      await frame.getByLabel(`Number of tickets: ${tierName(fx.gaTier)}`).waitFor();
      await step(t, page, "ran out");
    },
    { timeoutMs: Math.max(TEST_TIMEOUT_MS, (fx.holdTtlSeconds + 90) * 1000) },
  );

  await test("framing: a foreign origin gets no portal, the host's origin does", async (t, later) => {
    const { context, page } = await newPage(browser);
    later(() => context.close());
    await page.goto(fx.foreignUrl);
    const iframe = page.locator("iframe#portal");
    await iframe.waitFor();
    await sleep(3_000);
    const frame = await (await iframe.elementHandle()).contentFrame();
    const shown = frame
      ? await frame
          .getByRole("heading", { level: 1, name: eventTitle })
          .count()
          .catch(() => 0)
      : 0;
    await run.screenshot(t, page, "foreign");
    if (shown) throw new Error("the portal loaded inside a page of a foreign origin");
    // the same address framed by a page of the host's origin loads
    await page.goto(fx.hostUrl);
    await page.evaluate((src) => {
      const f = document.createElement("iframe");
      f.id = "portal-check";
      f.title = "tickets";
      f.src = src;
      f.style.cssText = "width: 900px; height: 700px";
      document.body.appendChild(f);
    }, eventUrl);
    const own = await (await page.locator("iframe#portal-check").elementHandle()).contentFrame();
    await waitForEventPage(own);
    await step(t, page, "host origin", own);
  });

  const analyticsTest = "analytics tags load only after consent";
  if (!fx.analyticsEvent) skip(analyticsTest, "no analyticsEvent in the fixture");
  else
    await test(analyticsTest, async (t, later) => {
      const { context, page } = await newPage(browser);
      later(() => context.close());
      // nothing leaves for Google or Segment: the tags' addresses answer an empty script, and are counted
      const tags = [];
      const empty = (route) => {
        tags.push(route.request().url());
        return route.fulfill({ status: 200, contentType: "text/javascript", body: "" });
      };
      await context.route("https://www.googletagmanager.com/**", empty);
      await context.route("https://cdn.segment.com/**", empty);
      const gtag = () => tags.filter((u) => gtagIdOf(u) !== null);
      const frame = page.mainFrame();
      const banner = frame.getByRole("region", { name: "Analytics consent" });

      await page.goto(portalUrlOf(fx.portalUrl, fx.analyticsEvent));
      await frame.getByRole("heading", { level: 1 }).waitFor({ timeout: 30_000 });
      await banner.waitFor({ timeout: 30_000 });
      await sleep(1_000);
      if (tags.length) throw new Error(`requested before consent: ${tags.join(", ")}`);
      await step(t, page, "consent asked");
      await axe(t, frame, { include: [['[data-testid="analytics-consent"]']] }, "consent banner");

      await banner.getByRole("button", { name: "Allow analytics" }).click();
      await banner.waitFor({ state: "detached" });
      await until("the gtag.js request", () => gtag().length > 0, 15_000);
      await sleep(500);
      if (gtag().length !== 1 || gtagIdOf(gtag()[0]) !== ANALYTICS_GA_ID)
        throw new Error(`after "Allow analytics" gtag.js was requested as ${JSON.stringify(gtag())}`);
      await step(t, page, "allowed");

      // the choice is kept: loaded again after a reload, and not asked again
      await page.reload();
      await frame.getByRole("heading", { level: 1 }).waitFor({ timeout: 30_000 });
      await until("gtag.js after the reload", () => gtag().length > 1, 15_000);
      await sleep(500);
      if (await banner.count()) throw new Error("the consent banner asks again after a reload");
      if (gtag().length !== 2) throw new Error(`gtag.js requested ${gtag().length} times for two page loads`);
      await step(t, page, "reloaded");
    });
} catch (e) {
  run.broke(e);
}
await run.finish();
