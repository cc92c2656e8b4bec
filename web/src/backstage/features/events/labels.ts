/** How event states and phases read in Backstage. */
import type { EventPhase, EventState } from "../../gql/graphql";

export const STATE_LABELS: Record<EventState, string> = {
  DRAFT: "Draft",
  PUBLISHED: "Published",
  CANCELLED: "Cancelled",
};

export const STATE_COLORS: Record<EventState, string> = {
  DRAFT: "gray",
  PUBLISHED: "green",
  CANCELLED: "red",
};

export const PHASE_LABELS: Record<EventPhase, string> = {
  DRAFT: "Draft",
  SCHEDULED: "Scheduled",
  ON_SALE: "On sale",
  SOLD_OUT: "Sold out",
  SALES_CLOSED: "Sales closed",
  ENDED: "Ended",
  CANCELLED: "Cancelled",
};

export function phaseLabel(phase: EventPhase | null | undefined): string {
  return phase ? PHASE_LABELS[phase] : "Not seen by the operator yet";
}

/** "120 / 500", "120" without a capacity, "—" before the operator has counted. */
export function soldOf(sold: number | null | undefined, capacity: number | null | undefined): string {
  if (sold == null && capacity == null) return "—";
  return capacity == null ? String(sold ?? 0) : `${sold ?? 0} / ${capacity}`;
}

/** Events whose title or name contains `q` (any case) and whose state is `state` (null: any). */
export function filterEvents<T extends { name: string; title: string; state: EventState }>(
  events: readonly T[],
  q: string,
  state: EventState | null,
): T[] {
  const needle = q.trim().toLowerCase();
  return events.filter(
    (e) =>
      (state === null || e.state === state) &&
      (!needle || e.title.toLowerCase().includes(needle) || e.name.toLowerCase().includes(needle)),
  );
}
