/**
 * How the event's checkout and scan workers scale: the fewest and most
 * replicas of each, how many run from the pre-warm lead before on-sale
 * (checkout) and doors (scan), and that lead. Each count is at most the
 * organization's limit, which platform staff set. Fields another manager
 * owns (GitOps) are read-only until taken over, as in the details form.
 */
import { Button, Fieldset, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { FormProblems } from "../../components/ApiProblem";
import { formErrorsOf, type FormErrors } from "../../components/apiProblems";
import { useOwnedFields } from "../../components/FieldOwnerNote";
import type { FieldOwnerEntry } from "../../components/fieldOwners";
import { useOrg } from "../../session/org";
import { UpdateEventMutation } from "./api";
import {
  SETS,
  toWorkersInput,
  workersDefaults,
  workersErrors,
  WORKERS_FIELDS,
  type RangeValues,
  type WorkersLike,
  type WorkersValues,
} from "./workers";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };
const SET_LABELS = { checkout: "Checkout workers", scan: "Scan workers" } as const;
const SET_HINTS = {
  checkout: "Holds, payments and tickets: raised before on-sale.",
  scan: "Door check-in: raised before doors open.",
} as const;

export function WorkersForm({
  event,
  workers,
  owners,
  onSaved,
}: {
  event: string;
  workers: WorkersLike;
  owners: readonly FieldOwnerEntry[];
  onSaved: (message: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const before = useMemo(() => workersDefaults(workers), [workers]);
  const [values, setValues] = useState<WorkersValues>(before);
  const [checked, setChecked] = useState<Record<string, string>>({});
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const [saving, setSaving] = useState(false);
  const { own, force } = useOwnedFields(owners);
  const owned = {
    checkout: own("workers-checkout", ".spec.workers.checkout"),
    scan: own("workers-scan", ".spec.workers.scan"),
    leadMinutes: own("workers-lead", ".spec.workers.prewarmLeadSeconds"),
  };
  const limit = workers.replicaLimit;

  const setRange = (set: (typeof SETS)[number], key: keyof RangeValues, v: string) =>
    setValues((prev) => ({ ...prev, [set]: { ...prev[set], [key]: v } }));
  const error = (key: string) => checked[key] ?? server.fields[key.split(".")[0] ?? key];

  const save = async () => {
    setServer(NO_ERRORS);
    const errors = workersErrors(values, limit, before);
    setChecked(errors);
    if (Object.keys(errors).length) return;
    const input = toWorkersInput(values, before);
    if (Object.keys(input).length === 0) {
      setServer({ fields: {}, rest: ["Nothing changed: edit a number first."] });
      return;
    }
    setSaving(true);
    try {
      dataOf(
        await client
          .mutation(UpdateEventMutation, { ns: org.namespace, name: event, input: { workers: input }, force })
          .toPromise(),
      );
      onSaved("Scaling saved: the operator applies it to the workers.");
    } catch (e) {
      setServer(formErrorsOf(e, WORKERS_FIELDS));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Paper withBorder p="md" data-testid="workers-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
        aria-labelledby="workers-heading"
      >
        <Stack gap="sm">
          <Title order={3} size="h4" id="workers-heading">
            Scaling
          </Title>
          <Text size="sm">
            Replicas of each worker set while the event is live, at most {limit} each (your organization's limit;
            platform staff can raise it).
          </Text>
          {SETS.map((set) => {
            const o = owned[set];
            const v = values[set];
            const field = (key: keyof RangeValues, label: string, hint?: string) => (
              <TextInput
                label={label}
                inputMode="numeric"
                value={v[key]}
                onChange={(e) => setRange(set, key, e.currentTarget.value)}
                readOnly={o.readOnly}
                description={hint}
                error={error(`${set}.${key}`)}
                errorProps={{ role: "alert" }}
                data-testid={`workers-${set}-${key}`}
              />
            );
            return (
              <Fieldset key={set} legend={SET_LABELS[set]} data-testid={`workers-${set}`}>
                <Text size="sm" mb="xs">
                  {o.note ?? SET_HINTS[set]}
                </Text>
                <Group grow align="flex-start">
                  {field("min", "Fewest")}
                  {field("max", "Most")}
                  {field("prewarm", "Pre-warmed", "Empty: the fewest")}
                </Group>
                {o.control}
              </Fieldset>
            );
          })}
          <div>
            <TextInput
              label="Pre-warm lead (minutes)"
              inputMode="numeric"
              value={values.leadMinutes}
              onChange={(e) => {
                const leadMinutes = e.currentTarget.value;
                setValues((prev) => ({ ...prev, leadMinutes }));
              }}
              readOnly={owned.leadMinutes.readOnly}
              description={owned.leadMinutes.note ?? "How long before on-sale and doors the pre-warmed replicas run"}
              error={error("leadMinutes")}
              errorProps={{ role: "alert" }}
              data-testid="workers-lead"
            />
            {owned.leadMinutes.control}
          </div>
          <FormProblems
            messages={[...server.rest, ...(server.fields.workers ? [server.fields.workers] : [])]}
            testId="workers-problems"
          />
          <div>
            <Button type="submit" loading={saving} data-testid="save-workers">
              {force ? "Save scaling and take over" : "Save scaling"}
            </Button>
          </div>
        </Stack>
      </form>
    </Paper>
  );
}
