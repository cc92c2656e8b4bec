/**
 * Publish (a Draft) and Cancel event (with a confirmation: it is final).
 * When `spec.state` belongs to another field manager the API refuses with
 * CONFLICT; the message names it, and a second button takes it over.
 */
import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { conflictsOf, messageOf } from "../../components/apiProblems";
import { listOf } from "../../components/fieldOwners";
import { Problem } from "../../../components/Status";
import type { EventState } from "../../gql/graphql";
import { useOrg } from "../../session/org";
import { CancelEventMutation, PublishEventMutation } from "./api";

type Action = "publish" | "cancel";

export function EventActions({
  event,
  title,
  state,
  onDone,
}: {
  event: string;
  title: string;
  state: EventState;
  onDone: (message: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<{ action: Action; message: string; owners: string[] } | null>(null);

  const run = async (action: Action, force: boolean) => {
    setBusy(action);
    setProblem(null);
    try {
      const vars = { ns: org.namespace, name: event, force };
      if (action === "publish") dataOf(await client.mutation(PublishEventMutation, vars).toPromise());
      else dataOf(await client.mutation(CancelEventMutation, vars).toPromise());
      setConfirming(false);
      onDone(action === "publish" ? "Published: buyers can see it, and buy from its on-sale time." : "Cancelled.");
    } catch (e) {
      setConfirming(false);
      setProblem({ action, message: messageOf(e), owners: conflictsOf(e).map((c) => c.manager) });
    } finally {
      setBusy(null);
    }
  };

  if (state === "CANCELLED") return <Text data-testid="event-cancelled">This event is cancelled. That is final.</Text>;
  return (
    <Stack gap="xs">
      <Group gap="sm">
        {state === "DRAFT" && (
          <Button onClick={() => void run("publish", false)} loading={busy === "publish"} data-testid="publish-event">
            Publish
          </Button>
        )}
        <Button color="red" variant="outline" onClick={() => setConfirming(true)} data-testid="cancel-event">
          Cancel event
        </Button>
      </Group>
      {problem && (
        <div data-testid="event-action-problem">
          <Problem title={problem.action === "publish" ? "Not published" : "Not cancelled"}>
            <Text size="sm">{problem.message}</Text>
            {problem.owners.length > 0 && (
              <Button
                mt="sm"
                size="xs"
                color="orange"
                onClick={() => void run(problem.action, true)}
                data-testid="event-action-force"
              >
                {problem.action === "publish" ? "Publish" : "Cancel"} anyway (take over from {listOf(problem.owners)})
              </Button>
            )}
          </Problem>
        </div>
      )}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Cancel ${title}?`} centered>
        <Stack>
          <Text>Sales stop at once and the event cannot be reopened. Refund its orders afterwards under Refunds.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} data-testid="cancel-event-keep">
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => void run("cancel", false)}
              loading={busy === "cancel"}
              data-testid="cancel-event-confirm"
            >
              Cancel event
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
