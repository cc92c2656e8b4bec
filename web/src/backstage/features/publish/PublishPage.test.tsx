/** The publish page against a mock API and feed: the feed's address is the gateway's public one, read fresh. */
import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clientAnswering } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import type { Feed } from "./feed";
import PublishPage from "./PublishPage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };

const feed: Feed = {
  organization: "acme",
  displayName: "Acme",
  events: [
    {
      slug: "acme/gig",
      title: "The Gig",
      description: null,
      days: [],
      onSaleAt: "2026-12-01T10:00:00Z",
      currency: "EUR",
      fromPriceMinor: 2500,
      portalUrl: "https://tickets.example/portal/acme/gig",
      embedButton: '<button data-sellout-event="acme/gig">Buy tickets</button>',
      embedScript: '<script src="https://tickets.example/embed.js" async></script>',
    },
  ],
};

afterEach(() => vi.unstubAllGlobals());

describe("the publish page", () => {
  it("shows and reads the feed at the gateway's public address, past the browser's cache", async () => {
    const fetcher = vi.fn(async () => Response.json(feed));
    vi.stubGlobal("fetch", fetcher);
    const client = clientAnswering((name) =>
      name === "BackstagePublicUrl"
        ? { data: { portalConfig: { publicUrl: "https://tickets.example" } } }
        : { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] },
    );
    renderWith(
      <OrgContext.Provider value={org}>
        <PublishPage />
      </OrgContext.Provider>,
      client,
    );
    expect((await screen.findByTestId("feed-url")).textContent).toBe("https://tickets.example/feeds/acme/events.json");
    expect((await screen.findByTestId("embed-snippet")).textContent).toContain('data-sellout-event="acme/gig"');
    expect(screen.getByRole("link", { name: "The Gig" }).getAttribute("href")).toBe(
      "https://tickets.example/portal/acme/gig",
    );
    expect(fetcher.mock.calls).toEqual([["https://tickets.example/feeds/acme/events.json", { cache: "no-store" }]]);
  });

  it("says when the feed cannot be read", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => new Response("no such organization", { status: 404 })),
    );
    const client = clientAnswering(() => ({ data: { portalConfig: { publicUrl: "https://tickets.example" } } }));
    renderWith(
      <OrgContext.Provider value={org}>
        <PublishPage />
      </OrgContext.Provider>,
      client,
    );
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The feed at https://tickets.example/feeds/acme/events.json could not be read");
    expect(alert.textContent).toContain("HTTP 404: no such organization");
  });
});
