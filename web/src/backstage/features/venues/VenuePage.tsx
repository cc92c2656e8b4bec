/** One venue: its plan, what the operator reports, and the edit form (with who owns each field). */
import { Alert, Badge, Group, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useQuery } from "urql";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import type { PageProps } from "../../app/pages";
import { pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { VenueQuery } from "./api";
import { EditVenueForm } from "./EditVenueForm";

/** Refetched when a mutation returns one (the document cache cannot know of a first one otherwise); one object, as urql compares it. */
const VENUE_CONTEXT = { additionalTypenames: ["PromoterVenue"] };

export default function VenuePage({ route }: PageProps) {
  const org = useOrg();
  const name = route.name === "venue" ? route.venue : "";
  const [{ data, error }, refetch] = useQuery({
    query: VenueQuery,
    variables: { ns: org.namespace, name },
    context: VENUE_CONTEXT,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const back = <Link to={pathOf({ name: "venues", ns: org.namespace })}>All venues</Link>;
  if (!data) {
    if (error) return <Problem title="The venue could not be loaded">{error.message}</Problem>;
    return <Loading label="Loading the venue…" />;
  }
  const venue = data.organization.venue;
  if (!venue)
    return (
      <Stack>
        <Title order={2}>No such venue</Title>
        <Text>
          {org.displayName} has no venue named {name}. {back}
        </Text>
      </Stack>
    );
  const ready = venue.status.ready;
  const ownersKey = venue.fieldOwners.map((o) => `${o.field}=${o.manager}`).join(",");
  const valuesKey = JSON.stringify([venue.displayName, venue.address, venue.timezone, venue.capacity, venue.sections]);
  return (
    <Stack gap="lg" maw={900}>
      <Stack gap={4}>
        {back}
        <Group gap="sm">
          <Title order={2} data-testid="venue-title-heading">
            {venue.displayName}
          </Title>
          <Badge
            variant="light"
            color={ready?.status === "True" ? "green" : "gray"}
            data-testid="venue-ready"
            data-ready={ready?.status ?? "Unknown"}
          >
            {ready?.status === "True" ? "Ready" : ready ? `Not ready: ${ready.reason}` : "Not checked yet"}
          </Badge>
        </Group>
        <Text size="sm">
          {venue.name} · {venue.address.city}, {venue.address.country} · {venue.timezone} · capacity {venue.capacity}
          {venue.status.sectionCapacity != null ? ` · sections hold ${venue.status.sectionCapacity}` : ""}
        </Text>
        {ready && ready.status !== "True" && ready.message && <Text size="sm">{ready.message}</Text>}
      </Stack>
      {notice && (
        <Alert
          color="green"
          variant="light"
          role="status"
          data-testid="venue-notice"
          withCloseButton
          onClose={() => setNotice(null)}
          closeButtonLabel="Dismiss"
        >
          {notice}
        </Alert>
      )}
      <EditVenueForm
        key={`${ownersKey}|${valuesKey}`}
        venue={venue}
        name={venue.name}
        owners={venue.fieldOwners}
        onSaved={(m) => {
          setNotice(m);
          refetch({ requestPolicy: "network-only" });
        }}
      />
    </Stack>
  );
}
