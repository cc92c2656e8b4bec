/**
 * Google Analytics 4 (gtag.js) and Segment (analytics.js): their standard
 * snippets, and the page views and purchases the portal reports to them.
 * Nothing here runs before the buyer consents (see tracker.ts).
 */
import { currencyDigits } from "../../i18n/format";

/** An organization's tags, as `event.analytics` names them. */
export interface AnalyticsTags {
  googleAnalyticsId?: string | null;
  segmentWriteKey?: string | null;
}

type Call = (...args: unknown[]) => unknown;

/** analytics.js, or the snippet's queue standing in for it until it loads. */
export interface SegmentAnalytics {
  initialize?: unknown;
  initialized?: boolean;
  invoked?: boolean;
  page: Call;
  track: Call;
  [method: string]: unknown;
}

/** The page's globals the tags read and write. */
export interface TagGlobals {
  dataLayer?: unknown[];
  gtag?: Call;
  analytics?: SegmentAnalytics;
}

/** Where the tags go: the browser's page (browserHost), or a stand-in in tests. */
export interface AnalyticsHost {
  globals: TagGlobals;
  /** Adds `<script async src>` to the page (once per address). */
  addScript(src: string): void;
  /** Where the buyer's choice is kept (localStorage); null when there is none. */
  storage: Pick<Storage, "getItem" | "setItem"> | null;
  /** The page's address now, for page views. */
  url(): string;
  /** The portal is framed by a promoter's page over HTTPS: its cookies must be SameSite=None to stay. */
  thirdPartyFrame: boolean;
}

/** What a completed order reports. */
export interface PurchasedOrder {
  id: string;
  totalMinor: number;
  currency: string;
  lines: { tier: string; description: string; quantity: number; unitPriceMinor: number }[];
}

const GA_ID = /^G-[A-Z0-9]{4,20}$/;
const SEGMENT_KEY = /^[A-Za-z0-9]{8,64}$/;

/** The tags worth loading: ids of the right form only (they go into script addresses). */
export function validTags(tags: AnalyticsTags | null | undefined): { ga: string | null; segment: string | null } {
  const ga = tags?.googleAnalyticsId?.trim() ?? "";
  const segment = tags?.segmentWriteKey?.trim() ?? "";
  return { ga: GA_ID.test(ga) ? ga : null, segment: SEGMENT_KEY.test(segment) ? segment : null };
}

export const gtagScript = (id: string) => `https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(id)}`;
export const segmentScript = (key: string) =>
  `https://cdn.segment.com/analytics.js/v1/${encodeURIComponent(key)}/analytics.min.js`;

/** Minor units as the decimal amount analytics want: 1999 EUR → 19.99, 1500 JPY → 1500. */
export function toDecimal(minor: number, currency: string): number {
  const digits = currencyDigits(currency);
  return Number((minor / 10 ** digits).toFixed(digits));
}

const configured = new WeakMap<TagGlobals, Set<string>>();

/** gtag.js's snippet: the dataLayer, `gtag()`, the script, and `config` without an automatic page view. */
export function loadGoogleAnalytics(host: AnalyticsHost, id: string) {
  const g = host.globals;
  const done = configured.get(g) ?? new Set<string>();
  configured.set(g, done);
  if (done.has(id)) return;
  done.add(id);
  const dataLayer = (g.dataLayer ??= []);
  // gtag.js reads the Arguments object itself, not an array
  g.gtag ??= function gtag() {
    // eslint-disable-next-line prefer-rest-params
    dataLayer.push(arguments);
  };
  host.addScript(gtagScript(id));
  g.gtag("js", new Date());
  g.gtag("config", id, {
    send_page_view: false,
    ...(host.thirdPartyFrame ? { cookie_flags: "SameSite=None;Secure" } : {}),
  });
}

const SEGMENT_METHODS = [
  "trackSubmit",
  "trackClick",
  "trackLink",
  "trackForm",
  "pageview",
  "identify",
  "reset",
  "group",
  "track",
  "ready",
  "alias",
  "debug",
  "page",
  "screen",
  "once",
  "off",
  "on",
  "addSourceMiddleware",
  "addIntegrationMiddleware",
  "setAnonymousId",
  "addDestinationMiddleware",
  "register",
];

/** analytics.js's snippet: a queue of calls that the library replays once loaded, then the script. */
export function loadSegment(host: AnalyticsHost, key: string) {
  const g = host.globals;
  if (g.analytics?.initialize || g.analytics?.invoked) return;
  const queue = [] as unknown as SegmentAnalytics & unknown[];
  queue.invoked = true;
  queue.methods = SEGMENT_METHODS;
  const factory =
    (method: string): Call =>
    (...args) => {
      const live = g.analytics;
      if (live && live !== queue && live.initialized) return (live[method] as Call)(...args);
      queue.push([method, ...args]);
      return queue;
    };
  queue.factory = factory;
  for (const m of SEGMENT_METHODS) queue[m] = factory(m);
  queue.load = (writeKey: string, options?: unknown) => {
    host.addScript(segmentScript(writeKey));
    queue._loadOptions = options;
  };
  queue._writeKey = key;
  queue.SNIPPET_VERSION = "5.2.0";
  g.analytics = queue;
  (queue.load as Call)(key);
}

/** A page view: GA's `page_view` event (config sends none by itself), Segment's `page()`. */
export function sendPageView(host: AnalyticsHost, tags: { ga: string | null; segment: string | null }) {
  const g = host.globals;
  if (tags.ga) g.gtag?.("event", "page_view", { page_location: host.url(), send_to: tags.ga });
  if (tags.segment) g.analytics?.page();
}

/** A completed order: GA's `purchase`, Segment's `Order Completed`, amounts as decimals. */
export function sendPurchase(
  host: AnalyticsHost,
  tags: { ga: string | null; segment: string | null },
  order: PurchasedOrder,
) {
  const g = host.globals;
  const value = toDecimal(order.totalMinor, order.currency);
  if (tags.ga)
    g.gtag?.("event", "purchase", {
      send_to: tags.ga,
      transaction_id: order.id,
      value,
      currency: order.currency,
      items: order.lines.map((l) => ({
        item_id: l.tier,
        item_name: l.description,
        price: toDecimal(l.unitPriceMinor, order.currency),
        quantity: l.quantity,
      })),
    });
  if (tags.segment)
    g.analytics?.track("Order Completed", {
      order_id: order.id,
      total: value,
      revenue: value,
      currency: order.currency,
      products: order.lines.map((l) => ({
        product_id: l.tier,
        name: l.description,
        price: toDecimal(l.unitPriceMinor, order.currency),
        quantity: l.quantity,
      })),
    });
}
