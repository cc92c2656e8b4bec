/**
 * The event's own fields. Only what was changed is sent. A field another
 * field manager owns (GitOps, kubectl) is read-only with "Managed by …"
 * until taken over; a save with a take-over is sent with `force: true`.
 * A CONFLICT the API reports anyway (the owner changed meanwhile) is shown
 * on the field, which then offers the take-over.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, NativeSelect, Stack, Textarea, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useForm, type Control, type UseFormRegister } from "react-hook-form";
import { useClient, useQuery } from "urql";
import type { EventState } from "../../gql/graphql";
import { dataOf } from "../../../api/errors";
import { FormProblems } from "../../components/ApiProblem";
import { conflictsOf, formErrorsOf, placeOf, type FormErrors } from "../../components/apiProblems";
import { useOwnedFields } from "../../components/FieldOwnerNote";
import type { FieldOwnerEntry } from "../../components/fieldOwners";
import { useOrg } from "../../session/org";
import { EventVenuesQuery, UpdateEventMutation } from "./api";
import { FeesFields, PromotionsFields, TaxesFields } from "./ChargesFields";
import { DaysFields, type DaysForm } from "./DaysFields";
import {
  editDefaults,
  editEventSchema,
  EVENT_FIELDS,
  toUpdateEventInput,
  type EditEventValues,
  type EventLike,
} from "./schema";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

/** Each edited field: its test-id name and spec path. */
export const EDIT_PATHS = {
  title: ".spec.title",
  venue: ".spec.venueRef",
  currency: ".spec.currency",
  description: ".spec.description",
  days: ".spec.days",
  onSaleAt: ".spec.onSaleAt",
  offSaleAt: ".spec.offSaleAt",
  holdTtlSeconds: ".spec.holdTtlSeconds",
  fees: ".spec.fees",
  taxes: ".spec.taxes",
  promotions: ".spec.promotions",
} as const;

export function EditEventForm({
  event,
  name,
  state,
  owners,
  onSaved,
}: {
  event: EventLike;
  name: string;
  state: EventState;
  owners: readonly FieldOwnerEntry[];
  onSaved: (message: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const [{ data: venuesData }] = useQuery({ query: EventVenuesQuery, variables: { ns: org.namespace } });
  const venues = venuesData?.organization.venues.nodes ?? [];
  const venueOptions = [
    ...venues.map((v) => ({ value: v.name, label: `${v.displayName} (${v.timezone})` })),
    ...(venues.some((v) => v.name === event.venueName)
      ? []
      : [{ value: event.venueName, label: venuesData ? `${event.venueName} (not found)` : event.venueName }]),
  ];
  const before = useMemo(() => editDefaults(event), [event]);
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  // Owners a CONFLICT revealed since the page loaded.
  const [revealed, setRevealed] = useState<FieldOwnerEntry[]>([]);
  const allOwners = useMemo(() => [...owners, ...revealed], [owners, revealed]);
  const { own, force } = useOwnedFields(allOwners);
  const {
    register,
    control,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EditEventValues>({ resolver: zodResolver(editEventSchema(event.currency)), defaultValues: before });

  const onSubmit = async (values: EditEventValues) => {
    setServer(NO_ERRORS);
    const input = toUpdateEventInput(values, before, event.currency);
    if (Object.keys(input).length === 0) {
      setServer({ fields: {}, rest: ["Nothing changed: edit a field first."] });
      return;
    }
    try {
      dataOf(await client.mutation(UpdateEventMutation, { ns: org.namespace, name, input, force }).toPromise());
      onSaved(force ? "Saved, and the fields you took over are now managed here." : "Saved.");
    } catch (e) {
      const conflicts = conflictsOf(e);
      if (conflicts.length)
        setRevealed((prev) => [
          ...prev,
          ...conflicts
            .filter((c) => c.field && placeOf(c.field, EVENT_FIELDS))
            .map((c) => ({ field: c.field, manager: c.manager, byGateway: false })),
        ]);
      setServer(formErrorsOf(e, EVENT_FIELDS));
    }
  };
  const err = (k: keyof EditEventValues) => errors[k]?.message ?? server.fields[k];
  const o = {
    title: own("title", EDIT_PATHS.title),
    venue: own("venue", EDIT_PATHS.venue),
    currency: own("currency", EDIT_PATHS.currency),
    description: own("description", EDIT_PATHS.description),
    days: own("days", EDIT_PATHS.days),
    onSaleAt: own("onSaleAt", EDIT_PATHS.onSaleAt),
    offSaleAt: own("offSaleAt", EDIT_PATHS.offSaleAt),
    holdTtlSeconds: own("holdTtlSeconds", EDIT_PATHS.holdTtlSeconds),
    fees: own("fees", EDIT_PATHS.fees),
    taxes: own("taxes", EDIT_PATHS.taxes),
    promotions: own("promotions", EDIT_PATHS.promotions),
  };
  const rows = { control, register, errors, serverErrors: server.fields, currency: event.currency };

  return (
    <form
      onSubmit={(e) => void handleSubmit(onSubmit)(e)}
      noValidate
      aria-labelledby="edit-event-heading"
      data-testid="edit-event-form"
    >
      <Stack gap="sm">
        <Title order={3} id="edit-event-heading">
          Details
        </Title>
        <div>
          <TextInput
            {...register("title")}
            label="Title"
            required
            readOnly={o.title.readOnly}
            description={o.title.note}
            error={err("title")}
            errorProps={{ role: "alert" }}
            data-testid="edit-title"
          />
          {o.title.control}
        </div>
        <Group grow align="flex-start">
          <div>
            {o.venue.readOnly ? (
              <TextInput
                label="Venue"
                value={venueOptions.find((v) => v.value === before.venue)?.label ?? before.venue}
                readOnly
                description={o.venue.note}
                data-testid="edit-venue"
              />
            ) : (
              <NativeSelect
                {...register("venue")}
                label="Venue"
                data={venueOptions}
                description={o.venue.note}
                error={err("venue")}
                errorProps={{ role: "alert" }}
                data-testid="edit-venue"
              />
            )}
            {o.venue.control}
          </div>
          <div>
            <TextInput
              {...register("currency")}
              label="Currency"
              maxLength={3}
              readOnly={o.currency.readOnly || state !== "DRAFT"}
              description={o.currency.note ?? (state === "DRAFT" ? "ISO 4217, e.g. GBP" : "Fixed once published")}
              error={err("currency")}
              errorProps={{ role: "alert" }}
              data-testid="edit-currency"
            />
            {state === "DRAFT" && o.currency.control}
          </div>
        </Group>
        <div>
          <Textarea
            {...register("description")}
            label="Description"
            rows={4}
            readOnly={o.description.readOnly}
            description={o.description.note}
            error={err("description")}
            errorProps={{ role: "alert" }}
            data-testid="edit-description"
          />
          {o.description.control}
        </div>
        <DaysFields
          control={control as unknown as Control<DaysForm>}
          register={register as unknown as UseFormRegister<DaysForm>}
          errors={errors.days}
          serverErrors={server.fields}
          readOnly={o.days.readOnly}
          note={o.days.note}
          ownerControl={o.days.control}
        />
        <Group grow align="flex-start">
          <div>
            <TextInput
              {...register("onSaleAt")}
              type="datetime-local"
              label="On sale from"
              required
              readOnly={o.onSaleAt.readOnly}
              description={o.onSaleAt.note}
              error={err("onSaleAt")}
              errorProps={{ role: "alert" }}
              data-testid="edit-on-sale"
            />
            {o.onSaleAt.control}
          </div>
          <div>
            <TextInput
              {...register("offSaleAt")}
              type="datetime-local"
              label="Off sale at"
              readOnly={o.offSaleAt.readOnly}
              description={o.offSaleAt.note ?? "Empty: at the end of the last day"}
              error={err("offSaleAt")}
              errorProps={{ role: "alert" }}
              data-testid="edit-off-sale"
            />
            {o.offSaleAt.control}
          </div>
        </Group>
        <div>
          <TextInput
            {...register("holdTtlSeconds")}
            label="Hold time (seconds)"
            inputMode="numeric"
            readOnly={o.holdTtlSeconds.readOnly}
            description={o.holdTtlSeconds.note ?? "How long tickets stay in a buyer's cart: 60 to 3600"}
            error={err("holdTtlSeconds")}
            errorProps={{ role: "alert" }}
            data-testid="edit-hold-ttl"
          />
          {o.holdTtlSeconds.control}
        </div>
        <FeesFields {...rows} owned={o.fees} />
        <TaxesFields {...rows} owned={o.taxes} />
        <PromotionsFields {...rows} owned={o.promotions} />
        <FormProblems messages={server.rest} testId="edit-event-problems" />
        <div>
          <Button type="submit" loading={isSubmitting} data-testid="save-event">
            {force ? "Save and take over" : "Save changes"}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
