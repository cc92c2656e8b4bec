import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { clientAnswering } from "../../test/client";
import { renderWith } from "../../test/render";
import { PortalAnalytics } from "./PortalAnalytics";
import type { AnalyticsHost } from "./tags";
import { consentKey } from "./tracker";

function fakeHost(stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const scripts: string[] = [];
  const host: AnalyticsHost = {
    globals: {},
    addScript: (src) => void scripts.push(src),
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
    url: () => "http://test/portal/acme/show",
    thirdPartyFrame: false,
  };
  return { host, scripts, storage };
}

function show(host: AnalyticsHost, analytics: unknown = { googleAnalyticsId: "G-SELLOUT123", segmentWriteKey: null }) {
  const client = clientAnswering((name) =>
    name === "EventAnalytics" ? { data: { event: { id: "e-1", analytics } } } : { data: null },
  );
  return renderWith(<PortalAnalytics slug="acme/show" path="/portal/acme/show" host={host} />, client);
}

const GTAG = "https://www.googletagmanager.com/gtag/js?id=G-SELLOUT123";

describe("the analytics consent banner", () => {
  it("asks in a labelled region, and loads nothing before the answer", async () => {
    const { host, scripts } = fakeHost();
    show(host);
    const region = await screen.findByRole("region", { name: "Analytics consent" });
    expect(region.textContent).toContain("Google Analytics");
    expect(screen.getByRole("button", { name: "Allow analytics" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "No thanks" })).toBeTruthy();
    expect(scripts).toEqual([]);
    expect(host.globals).toEqual({});
  });

  it("Allow analytics: gtag.js once, a page view, and the banner goes", async () => {
    const { host, scripts, storage } = fakeHost();
    show(host);
    fireEvent.click(await screen.findByRole("button", { name: "Allow analytics" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Analytics consent" })).toBeNull());
    expect(scripts).toEqual([GTAG]);
    expect(storage.get(consentKey("acme"))).toBe("granted");
    const events = (host.globals.dataLayer ?? []).map((a) => Array.from(a as ArrayLike<unknown>).slice(0, 2));
    expect(events).toContainEqual(["event", "page_view"]);
  });

  it("No thanks: nothing loads, and the banner goes", async () => {
    const { host, scripts, storage } = fakeHost();
    show(host);
    fireEvent.click(await screen.findByRole("button", { name: "No thanks" }));
    await waitFor(() => expect(screen.queryByRole("region", { name: "Analytics consent" })).toBeNull());
    expect(scripts).toEqual([]);
    expect(host.globals).toEqual({});
    expect(storage.get(consentKey("acme"))).toBe("denied");
  });

  it("respects the stored choice on the next visit (reload): no banner, tags as chosen", async () => {
    const granted = fakeHost({ [consentKey("acme")]: "granted" });
    const { unmount } = show(granted.host);
    await waitFor(() => expect(granted.scripts).toEqual([GTAG]));
    expect(screen.queryByRole("region", { name: "Analytics consent" })).toBeNull();
    unmount();

    const denied = fakeHost({ [consentKey("acme")]: "denied" });
    show(denied.host);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole("region", { name: "Analytics consent" })).toBeNull();
    expect(denied.scripts).toEqual([]);
  });

  it("shows nothing when the organization has no tags", async () => {
    const { host, scripts } = fakeHost();
    show(host, null);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByRole("region")).toBeNull();
    expect(scripts).toEqual([]);
  });
});
