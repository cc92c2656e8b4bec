import { describe, expect, it } from "vitest";
import { feedUrl, loadFeed, snippetOf, type FeedEvent } from "./feed";

describe("publish feed", () => {
  it("is addressed by namespace under the gateway's public address", () => {
    expect(feedUrl("https://tickets.example", "river-presents")).toBe(
      "https://tickets.example/feeds/river-presents/events.json",
    );
    expect(feedUrl("https://example.com/sellout/", "acme")).toBe("https://example.com/sellout/feeds/acme/events.json");
  });
  it("is read past the browser's cache", async () => {
    const asked: [RequestInfo | URL, RequestInit | undefined][] = [];
    const fetcher = (async (url: RequestInfo | URL, init?: RequestInit) => {
      asked.push([url, init]);
      return Response.json({ organization: "acme", displayName: "Acme", events: [] });
    }) as typeof fetch;
    expect((await loadFeed("https://tickets.example/feeds/acme/events.json", fetcher)).organization).toBe("acme");
    expect(asked).toEqual([["https://tickets.example/feeds/acme/events.json", { cache: "no-store" }]]);
  });
  it("says what the gateway answered when it refuses", async () => {
    const fetcher = (async () => new Response('no organization in namespace "x"', { status: 404 })) as typeof fetch;
    await expect(loadFeed("https://tickets.example/feeds/x/events.json", fetcher)).rejects.toThrow(
      /HTTP 404: no organization/,
    );
  });
  it("puts the button and the script together", () => {
    const e = { embedButton: "<button>", embedScript: "<script></script>" } as FeedEvent;
    expect(snippetOf(e)).toBe("<button>\n<script></script>");
  });
});
