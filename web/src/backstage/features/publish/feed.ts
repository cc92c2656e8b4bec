/** The organization's public events feed (`GET /feeds/<namespace>/events.json`), as the gateway serves it. */

export interface FeedEvent {
  slug: string;
  title: string;
  description: string | null;
  days: { doorsAt: string; startsAt: string; endsAt: string }[];
  onSaleAt: string;
  currency: string;
  fromPriceMinor: number | null;
  portalUrl: string;
  embedButton: string;
  embedScript: string;
}

export interface Feed {
  organization: string;
  displayName: string;
  events: FeedEvent[];
}

/** The feed's address for `namespace`, on the gateway that serves this page. */
export function feedUrl(namespace: string, origin: string = globalThis.location.origin): string {
  return new URL(`/feeds/${encodeURIComponent(namespace)}/events.json`, origin).href;
}

export async function loadFeed(namespace: string, fetcher: typeof fetch = fetch): Promise<Feed> {
  const res = await fetcher(feedUrl(namespace));
  if (!res.ok) throw new Error(`the feed answered HTTP ${res.status}: ${(await res.text()).trim()}`);
  return (await res.json()) as Feed;
}

/** What a site pastes once per page and beside an event: the script, then the button. */
export function snippetOf(event: FeedEvent): string {
  return `${event.embedButton}\n${event.embedScript}`;
}
