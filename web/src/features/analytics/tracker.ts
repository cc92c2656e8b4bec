/**
 * The portal's analytics, one tracker per organization namespace: nothing
 * is loaded, sent or stored by the tags until the buyer allows it; "No
 * thanks" loads nothing. The choice is kept in localStorage under
 * `sellout:analytics-consent:<namespace>`.
 */
import { isEmbedded } from "../../embed/frame";
import {
  loadGoogleAnalytics,
  loadSegment,
  sendPageView,
  sendPurchase,
  validTags,
  type AnalyticsHost,
  type AnalyticsTags,
  type PurchasedOrder,
  type TagGlobals,
} from "./tags";

export type Consent = "granted" | "denied";

export const consentKey = (namespace: string) => `sellout:analytics-consent:${namespace}`;

export function readConsent(host: AnalyticsHost, namespace: string): Consent | null {
  try {
    const v = host.storage?.getItem(consentKey(namespace));
    return v === "granted" || v === "denied" ? v : null;
  } catch {
    return null;
  }
}

function writeConsent(host: AnalyticsHost, namespace: string, consent: Consent) {
  try {
    host.storage?.setItem(consentKey(namespace), consent);
  } catch {
    // no storage (private mode, blocked): the choice holds for this visit
  }
}

export class Tracker {
  readonly namespace: string;
  private readonly host: AnalyticsHost;
  private consent: Consent | null;
  /** undefined until the organization's tags are known. */
  private tags: { ga: string | null; segment: string | null } | undefined;
  private loaded = false;
  private pendingPage = false;
  private pendingPurchases: PurchasedOrder[] = [];
  /** Orders sent (or waiting to be): each is reported once. */
  private readonly purchased = new Set<string>();
  private readonly listeners = new Set<() => void>();

  constructor(namespace: string, host: AnalyticsHost) {
    this.namespace = namespace;
    this.host = host;
    this.consent = readConsent(host, namespace);
  }

  /** The organization's tags (null: it has none). */
  configure(tags: AnalyticsTags | null) {
    const next = validTags(tags);
    const same = this.tags && this.tags.ga === next.ga && this.tags.segment === next.segment;
    if (same) return;
    this.tags = next;
    if (!this.hasTags()) this.drop();
    this.start();
    this.notify();
  }

  /** Whether the buyer is to be asked: the organization has tags and no choice is made. */
  readonly needsConsent = (): boolean => this.consent === null && this.hasTags();

  /** The tools the banner names. */
  tools(): { googleAnalytics: boolean; segment: boolean } {
    return { googleAnalytics: !!this.tags?.ga, segment: !!this.tags?.segment };
  }

  choice(): Consent | null {
    return this.consent;
  }

  /** The buyer's answer: kept, and "granted" loads the tags (and sends what waited for it). */
  decide(consent: Consent) {
    this.consent = consent;
    writeConsent(this.host, this.namespace, consent);
    if (consent === "denied") this.drop();
    this.start();
    this.notify();
  }

  /** A page view of the current address (sent once allowed; the latest waits until then). */
  page() {
    if (this.consent === "denied") return;
    this.pendingPage = true;
    this.flush();
  }

  /** A completed order (sent once allowed; dropped on "No thanks"). */
  purchase(order: PurchasedOrder) {
    if (this.consent === "denied") return;
    if (this.purchased.has(order.id)) return;
    this.purchased.add(order.id);
    this.pendingPurchases.push(order);
    this.flush();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private hasTags(): boolean {
    return !!(this.tags?.ga || this.tags?.segment);
  }

  private start() {
    if (this.consent !== "granted" || !this.tags || !this.hasTags()) return;
    if (!this.loaded) {
      this.loaded = true;
      if (this.tags.ga) loadGoogleAnalytics(this.host, this.tags.ga);
      if (this.tags.segment) loadSegment(this.host, this.tags.segment);
    }
    this.flush();
  }

  private flush() {
    if (!this.loaded || !this.tags) return;
    if (this.pendingPage) {
      this.pendingPage = false;
      sendPageView(this.host, this.tags);
    }
    const orders = this.pendingPurchases;
    this.pendingPurchases = [];
    for (const o of orders) sendPurchase(this.host, this.tags, o);
  }

  private drop() {
    this.pendingPage = false;
    for (const o of this.pendingPurchases) this.purchased.delete(o.id);
    this.pendingPurchases = [];
  }

  private notify() {
    this.listeners.forEach((l) => l());
  }
}

let browser: AnalyticsHost | undefined;

/** The browser's page: its window's globals, `<script>` in its head, its localStorage. */
export function browserHost(): AnalyticsHost {
  browser ??= {
    globals: window as unknown as TagGlobals,
    addScript(src) {
      if (Array.from(document.scripts).some((s) => s.src === src)) return;
      const s = document.createElement("script");
      s.async = true;
      s.src = src;
      document.head.appendChild(s);
    },
    storage: (() => {
      try {
        return window.localStorage;
      } catch {
        return null;
      }
    })(),
    url: () => window.location.href,
    thirdPartyFrame: isEmbedded() && window.location.protocol === "https:",
  };
  return browser;
}

const trackers = new WeakMap<AnalyticsHost, Map<string, Tracker>>();

/** The tracker of an organization's namespace on `host` (the browser's page unless given). */
export function analyticsFor(namespace: string, host: AnalyticsHost = browserHost()): Tracker {
  let byNamespace = trackers.get(host);
  if (!byNamespace) trackers.set(host, (byNamespace = new Map()));
  let tracker = byNamespace.get(namespace);
  if (!tracker) byNamespace.set(namespace, (tracker = new Tracker(namespace, host)));
  return tracker;
}

const expected = new Set<string>();

/** The checkout completed this order here: its confirmation reports the purchase (once). */
export function expectPurchase(orderId: string) {
  expected.add(orderId);
}

/**
 * Reports a completed order the checkout of this visit placed (see
 * expectPurchase); orders opened later from "My orders" are not reported
 * again.
 */
export function reportPurchase(slug: string, order: PurchasedOrder, host?: AnalyticsHost) {
  if (!expected.delete(order.id)) return;
  analyticsFor(slug.split("/")[0] ?? "", host).purchase(order);
}
