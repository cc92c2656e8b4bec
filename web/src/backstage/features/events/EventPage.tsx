/**
 * One event: its state and live status, Publish and Cancel, its tiers,
 * and the edit form of its fields (with who owns each).
 */
import { Alert, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import type { PageProps } from "../../app/pages";
import { pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { EventQuery } from "./api";
import { EditEventForm } from "./EditEventForm";
import { EventActions } from "./EventActions";
import { EventStatus } from "./EventStatus";
import { STATE_COLORS, STATE_LABELS } from "./labels";
import { TiersSection } from "./TiersSection";
import { WorkersForm } from "./WorkersForm";
import { formatTime } from "./time";

/** Refetched when a mutation returns one (the document cache cannot know of a first one otherwise); one object, as urql compares it. */
const EVENT_CONTEXT = { additionalTypenames: ["PromoterTier", "PromoterEvent"] };

export default function EventPage({ route }: PageProps) {
  const org = useOrg();
  const name = route.name === "event" ? route.event : "";
  const [{ data, error, fetching }, refetch] = useQuery({
    query: EventQuery,
    variables: { ns: org.namespace, name },
    context: EVENT_CONTEXT,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const back = <Link to={pathOf({ name: "events", ns: org.namespace })}>All events</Link>;

  if (!data) {
    if (error) return <Problem title="The event could not be loaded">{error.message}</Problem>;
    return <Loading label="Loading the event…" />;
  }
  const event = data.organization.event;
  if (!event)
    return (
      <Stack>
        <Title order={2}>No such event</Title>
        <Text>
          {org.displayName} has no event named {name}. {back}
        </Text>
      </Stack>
    );
  const changed = (message: string) => {
    setNotice(message);
    refetch({ requestPolicy: "network-only" });
  };
  const ownersKey = event.fieldOwners.map((o) => `${o.field}=${o.manager}`).join(",");
  return (
    <Stack gap="lg" maw={1000}>
      <Stack gap={4}>
        {back}
        <Group gap="sm" align="center">
          <Title order={2} data-testid="event-title-heading">
            {event.title}
          </Title>
          <Badge color={STATE_COLORS[event.state]} variant="light" size="lg" data-testid="event-state">
            {STATE_LABELS[event.state]}
          </Badge>
        </Group>
        <Text size="sm">
          {event.name} · {event.venue ? `${event.venue.displayName}` : `venue ${event.venueName} (not found)`} ·{" "}
          {event.currency} · on sale from {formatTime(event.onSaleAt)}
          {fetching ? " · refreshing…" : ""}
        </Text>
      </Stack>
      {notice && (
        <Alert
          color="green"
          variant="light"
          role="status"
          data-testid="event-notice"
          withCloseButton
          onClose={() => setNotice(null)}
          closeButtonLabel="Dismiss"
        >
          {notice}
        </Alert>
      )}
      <EventActions event={event.name} title={event.title} state={event.state} onDone={changed} />
      <EventStatus event={event.name} />
      <WorkersForm
        key={`workers|${event.generation}|${ownersKey}`}
        event={event.name}
        workers={event.workers}
        owners={event.fieldOwners}
        onSaved={changed}
      />
      <TiersSection
        event={event.name}
        currency={event.currency}
        tiers={event.tiers.nodes}
        sections={event.venue?.sections.map((s) => s.name) ?? []}
        onChanged={changed}
      />
      <EditEventForm
        key={`${event.generation}|${ownersKey}`}
        event={event}
        name={event.name}
        state={event.state}
        owners={event.fieldOwners}
        onSaved={changed}
      />
    </Stack>
  );
}
