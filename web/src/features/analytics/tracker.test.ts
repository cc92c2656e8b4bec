import { describe, expect, it } from "vitest";
import { gtagScript, segmentScript, toDecimal, type AnalyticsHost, type PurchasedOrder, type TagGlobals } from "./tags";
import { analyticsFor, browserHost, consentKey, expectPurchase, reportPurchase, Tracker } from "./tracker";

const GA = "G-SELLOUT123";
const SEGMENT = "abcDEF0123456789";
const BOTH = { googleAnalyticsId: GA, segmentWriteKey: SEGMENT };

/** A page that records what the tags do: scripts added, globals written, storage. */
function fakeHost(storage = new Map<string, string>()) {
  const scripts: string[] = [];
  const host = {
    globals: {} as TagGlobals,
    addScript: (src: string) => void scripts.push(src),
    storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) },
    url: () => "https://tickets.example.com/portal/acme/show",
    thirdPartyFrame: false,
  } satisfies AnalyticsHost;
  return { host, scripts, storage };
}

/** What gtag() pushed, as arrays. */
const gtagCalls = (host: AnalyticsHost) =>
  (host.globals.dataLayer ?? []).map((a) => Array.from(a as ArrayLike<unknown>));
/** What the Segment snippet queued (before analytics.js loads). */
const segmentCalls = (host: AnalyticsHost) => Array.from((host.globals.analytics ?? []) as unknown as unknown[][]);

const order: PurchasedOrder = {
  id: "o-1",
  totalMinor: 6250,
  currency: "GBP",
  lines: [
    { tier: "ga", description: "General admission", quantity: 2, unitPriceMinor: 2500 },
    { tier: "parking", description: "Parking", quantity: 1, unitPriceMinor: 1000 },
  ],
};

describe("analytics before consent", () => {
  it("loads, sends and stores nothing, and asks", () => {
    const { host, scripts, storage } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.page();
    tracker.configure(BOTH);
    tracker.page();
    tracker.purchase(order);
    expect(tracker.needsConsent()).toBe(true);
    expect(scripts).toEqual([]);
    expect(host.globals).toEqual({});
    expect(storage.size).toBe(0);
  });

  it("does not ask when the organization has no tags (or none of the right form)", () => {
    const { host, scripts } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.configure(null);
    expect(tracker.needsConsent()).toBe(false);
    tracker.configure({ googleAnalyticsId: 'UA-1234-1"><script>', segmentWriteKey: "../../evil" });
    expect(tracker.needsConsent()).toBe(false);
    tracker.decide("granted");
    expect(scripts).toEqual([]);
  });
});

describe("No thanks", () => {
  it("loads nothing, now or later, and is kept per organization", () => {
    const { host, scripts, storage } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.configure(BOTH);
    tracker.page();
    tracker.decide("denied");
    tracker.page();
    tracker.purchase(order);
    expect(tracker.needsConsent()).toBe(false);
    expect(scripts).toEqual([]);
    expect(host.globals).toEqual({});
    expect(storage.get(consentKey("acme"))).toBe("denied");
    expect(new Tracker("other-org", host).choice()).toBeNull();
  });
});

describe("Allow analytics", () => {
  it("adds exactly gtag.js and analytics.js, once, and reports the page view", () => {
    const { host, scripts, storage } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.configure(BOTH);
    tracker.page();
    tracker.decide("granted");
    tracker.configure(BOTH);
    tracker.decide("granted");
    new Tracker("acme", host).configure(BOTH);
    expect(scripts).toEqual([
      "https://www.googletagmanager.com/gtag/js?id=G-SELLOUT123",
      "https://cdn.segment.com/analytics.js/v1/abcDEF0123456789/analytics.min.js",
    ]);
    expect(storage.get(consentKey("acme"))).toBe("granted");
    const ga = gtagCalls(host);
    expect(ga[0]?.[0]).toBe("js");
    expect(ga[1]).toEqual(["config", GA, { send_page_view: false }]);
    expect(ga.filter((c) => c[0] === "event")).toEqual([
      ["event", "page_view", { page_location: "https://tickets.example.com/portal/acme/show", send_to: GA }],
    ]);
    expect(segmentCalls(host)).toEqual([["page"]]);
    expect(host.globals.analytics?._writeKey).toBe(SEGMENT);
    expect(tracker.needsConsent()).toBe(false);
  });

  it("loads only the tags the organization has", () => {
    const { host, scripts } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.configure({ googleAnalyticsId: GA, segmentWriteKey: null });
    tracker.decide("granted");
    expect(scripts).toEqual([gtagScript(GA)]);
    expect(host.globals.analytics).toBeUndefined();
  });

  it("sends a completed order as GA's purchase and Segment's Order Completed, amounts in decimals", () => {
    const { host } = fakeHost();
    const tracker = new Tracker("acme", host);
    tracker.configure(BOTH);
    tracker.purchase(order); // waits for the answer
    tracker.decide("granted");
    tracker.purchase(order); // sent already
    const purchases = gtagCalls(host).filter((c) => c[0] === "event" && c[1] === "purchase");
    expect(purchases).toEqual([
      [
        "event",
        "purchase",
        {
          send_to: GA,
          transaction_id: "o-1",
          value: 62.5,
          currency: "GBP",
          items: [
            { item_id: "ga", item_name: "General admission", price: 25, quantity: 2 },
            { item_id: "parking", item_name: "Parking", price: 10, quantity: 1 },
          ],
        },
      ],
    ]);
    // page views are not asked for here: the purchase comes first
    const tracked = segmentCalls(host).filter((c) => c[0] === "track");
    expect(tracked).toHaveLength(1);
    expect(tracked[0]?.[1]).toBe("Order Completed");
    expect(tracked[0]?.[2]).toMatchObject({ order_id: "o-1", total: 62.5, revenue: 62.5, currency: "GBP" });
  });

  it("turns minor units into decimals by the currency's digits", () => {
    expect(toDecimal(1999, "EUR")).toBe(19.99);
    expect(toDecimal(1500, "JPY")).toBe(1500);
    expect(toDecimal(1234, "BHD")).toBe(1.234);
    expect(toDecimal(10, "EUR")).toBe(0.1);
  });

  it("reports only the order this visit's checkout completed, once", () => {
    const { host } = fakeHost(new Map([[consentKey("acme"), "granted"]]));
    analyticsFor("acme", host).configure(BOTH);
    reportPurchase("acme/show", { ...order, id: "o-old" }, host);
    expectPurchase("o-2");
    reportPurchase("acme/show", { ...order, id: "o-2" }, host);
    reportPurchase("acme/show", { ...order, id: "o-2" }, host);
    const ids = gtagCalls(host)
      .filter((c) => c[1] === "purchase")
      .map((c) => (c[2] as { transaction_id: string }).transaction_id);
    expect(ids).toEqual(["o-2"]);
  });

  it("asks cross-site framed pages' cookies to be SameSite=None", () => {
    const { host } = fakeHost();
    const tracker = new Tracker("acme", { ...host, thirdPartyFrame: true });
    tracker.configure(BOTH);
    tracker.decide("granted");
    expect(gtagCalls(host)[1]).toEqual(["config", GA, { send_page_view: false, cookie_flags: "SameSite=None;Secure" }]);
  });
});

describe("the stored choice, on the next visit", () => {
  it("granted: the tags load without asking", () => {
    const stored = new Map([[consentKey("acme"), "granted"]]);
    const { host, scripts } = fakeHost(stored);
    const tracker = new Tracker("acme", host);
    tracker.page();
    expect(scripts).toEqual([]); // the tags are not known yet
    tracker.configure(BOTH);
    expect(tracker.needsConsent()).toBe(false);
    expect(scripts).toEqual([gtagScript(GA), segmentScript(SEGMENT)]);
    expect(gtagCalls(host).filter((c) => c[1] === "page_view")).toHaveLength(1);
  });

  it("denied: nothing loads and nothing is asked", () => {
    const { host, scripts } = fakeHost(new Map([[consentKey("acme"), "denied"]]));
    const tracker = new Tracker("acme", host);
    tracker.configure(BOTH);
    tracker.page();
    expect(tracker.needsConsent()).toBe(false);
    expect(scripts).toEqual([]);
    expect(host.globals).toEqual({});
  });
});

describe("the browser's page", () => {
  it("gets each script once, async, in the head", () => {
    const host = browserHost();
    host.addScript(gtagScript(GA));
    host.addScript(gtagScript(GA));
    const scripts = Array.from(document.head.querySelectorAll("script")).map((s) => [s.src, s.async]);
    expect(scripts).toEqual([[gtagScript(GA), true]]);
    document.head.querySelectorAll("script").forEach((s) => s.remove());
  });
});
