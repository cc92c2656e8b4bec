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

/**
 * The feed's address for `namespace` under `publicUrl`, the gateway's
 * `--public-url` (as `portalConfig.publicUrl` gives it): the base of the
 * feed's own links, so the address promoters copy matches them.
 */
export function feedUrl(publicUrl: string, namespace: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/feeds/${encodeURIComponent(namespace)}/events.json`;
}

/**
 * The feed at `url`, as it is now: the gateway lets caches keep it for a
 * minute (`max-age=60`), so the browser's copy is bypassed (`no-store`)
 * and a just-published event shows at once.
 */
export async function loadFeed(url: string, fetcher: typeof fetch = fetch): Promise<Feed> {
  const res = await fetcher(url, { cache: "no-store" });
  if (!res.ok) throw new Error(`the feed answered HTTP ${res.status}: ${(await res.text()).trim()}`);
  return (await res.json()) as Feed;
}

/** What a site pastes once per page and beside an event: the script, then the button. */
export function snippetOf(event: FeedEvent): string {
  return `${event.embedButton}\n${event.embedScript}`;
}
