import { useSubscription } from "urql";
import { AvailabilitySubscription } from "./api";

/** What is left of each tier, live (null while unknown); undefined until the first figures arrive. */
export function useAvailability(event: string): Map<string, number | null> | undefined {
  const [{ data }] = useSubscription({ query: AvailabilitySubscription, variables: { event } });
  if (!data) return undefined;
  return new Map(data.availability.tiers.map((t) => [t.name, t.available]));
}
