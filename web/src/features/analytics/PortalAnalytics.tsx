import { useEffect, useMemo, useSyncExternalStore } from "react";
import { useQuery } from "urql";
import { EventAnalyticsQuery } from "./api";
import { ConsentBanner } from "./ConsentBanner";
import { analyticsFor } from "./tracker";
import type { AnalyticsHost } from "./tags";

interface Props {
  /** The event of the page (`<namespace>/<event>`): its organization's tags and consent. */
  slug: string;
  /** The page's path: a page view each time it changes. */
  path: string;
  /** Where the tags go (tests); the browser's page by default. */
  host?: AnalyticsHost;
}

/**
 * The organization's analytics for the portal's pages: the consent
 * banner while the buyer has not chosen, the tags once allowed, and a
 * page view per page.
 */
export function PortalAnalytics({ slug, path, host }: Props) {
  const namespace = slug.split("/")[0] ?? "";
  const tracker = useMemo(() => analyticsFor(namespace, host), [namespace, host]);
  const [{ data }] = useQuery({ query: EventAnalyticsQuery, variables: { slug } });
  const known = data !== undefined;
  const ga = data?.event?.analytics?.googleAnalyticsId ?? null;
  const segment = data?.event?.analytics?.segmentWriteKey ?? null;

  useEffect(() => {
    if (known) tracker.configure({ googleAnalyticsId: ga, segmentWriteKey: segment });
  }, [tracker, known, ga, segment]);

  useEffect(() => {
    tracker.page();
  }, [tracker, path]);

  const ask = useSyncExternalStore(tracker.subscribe, tracker.needsConsent, tracker.needsConsent);
  if (!ask) return null;
  return (
    <ConsentBanner
      tools={tracker.tools()}
      onAllow={() => tracker.decide("granted")}
      onDeny={() => tracker.decide("denied")}
    />
  );
}
