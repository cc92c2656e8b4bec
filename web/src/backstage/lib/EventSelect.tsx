/** A picker of the organization's events (by name), optionally with "All events". */
import { NativeSelect } from "@mantine/core";
import { useQuery } from "urql";
import type { BackstageEventChoicesQuery as Choices } from "../gql/graphql";
import { useOrg } from "../session/org";
import { BackstageEventChoicesQuery } from "./api";

export type EventChoice = Choices["organization"]["events"]["nodes"][number];

/** The organization's events (empty while loading), and the load's error message if any. */
export function useEventChoices(): { events: EventChoice[]; fetching: boolean; error: string | null } {
  const org = useOrg();
  const [{ data, fetching, error }] = useQuery({ query: BackstageEventChoicesQuery, variables: { ns: org.namespace } });
  return { events: data?.organization.events.nodes ?? [], fetching, error: error ? error.message : null };
}

export function EventSelect({
  events,
  value,
  onChange,
  allLabel,
  label = "Event",
  testId = "event-filter",
  disabled,
}: {
  events: EventChoice[];
  /** The event's name; "" for all (or none chosen). */
  value: string;
  onChange: (name: string) => void;
  /** With it, an "all events" choice (value ""); without, a "Choose an event" placeholder. */
  allLabel?: string;
  label?: string;
  testId?: string;
  disabled?: boolean;
}) {
  const known = value === "" || events.some((e) => e.name === value);
  const data = [
    { value: "", label: allLabel ?? "Choose an event" },
    ...events.map((e) => ({ value: e.name, label: e.state === "CANCELLED" ? `${e.title} (cancelled)` : e.title })),
    ...(known ? [] : [{ value, label: value }]),
  ];
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={data}
      data-testid={testId}
      disabled={disabled}
    />
  );
}
