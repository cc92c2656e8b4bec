import { describe, expect, it } from "vitest";
import { feedUrl, loadFeed, snippetOf, type FeedEvent } from "./feed";

describe("publish feed", () => {
  it("is addressed by namespace on the gateway", () => {
    expect(feedUrl("river-presents", "https://tickets.example")).toBe(
      "https://tickets.example/feeds/river-presents/events.json",
    );
  });
  it("says what the gateway answered when it refuses", async () => {
    const fetcher = (async () => new Response('no organization in namespace "x"', { status: 404 })) as typeof fetch;
    await expect(loadFeed("x", fetcher)).rejects.toThrow(/HTTP 404: no organization/);
  });
  it("puts the button and the script together", () => {
    const e = { embedButton: "<button>", embedScript: "<script></script>" } as FeedEvent;
    expect(snippetOf(e)).toBe("<button>\n<script></script>");
  });
});
