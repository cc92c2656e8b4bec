/**
 * A venue's fields, edited: only what changed is sent; a field another
 * manager owns is read-only with "Managed by …" until taken over, and a
 * save with a take-over goes with `force: true`.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Stack, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { FormProblems } from "../../components/ApiProblem";
import { conflictsOf, formErrorsOf, placeOf, type FormErrors } from "../../components/apiProblems";
import { useOwnedFields } from "../../components/FieldOwnerNote";
import { otherManagers, type FieldOwnerEntry } from "../../components/fieldOwners";
import { useOrg } from "../../session/org";
import { UpdateVenueMutation } from "./api";
import {
  editVenueDefaults,
  editVenueSchema,
  toUpdateVenueInput,
  VENUE_FIELDS,
  type EditVenueValues,
  type VenueLike,
} from "./schema";
import { VenueFields } from "./VenueFields";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

const sectionPath = (name: string) => `.spec.sections[name="${name}"]`;

export function EditVenueForm({
  venue,
  name,
  owners,
  onSaved,
}: {
  venue: VenueLike;
  name: string;
  owners: readonly FieldOwnerEntry[];
  onSaved: (message: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const before = useMemo(() => editVenueDefaults(venue), [venue]);
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const [revealed, setRevealed] = useState<FieldOwnerEntry[]>([]);
  const allOwners = useMemo(() => [...owners, ...revealed], [owners, revealed]);
  const { own, force, taken } = useOwnedFields(allOwners);
  const {
    register,
    control,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EditVenueValues>({ resolver: zodResolver(editVenueSchema), defaultValues: before });
  const displayName = useWatch({ control, name: "displayName" });

  // A section is Backstage's to send unless another manager owns it and it was not taken over.
  const keep = (section: string) =>
    otherManagers(allOwners, sectionPath(section)).length === 0 || taken.has(`section-${section}`);

  const onSubmit = async (values: EditVenueValues) => {
    setServer(NO_ERRORS);
    const input = toUpdateVenueInput(values, before, keep);
    if (Object.keys(input).length === 0) {
      setServer({ fields: {}, rest: ["Nothing changed: edit a field first."] });
      return;
    }
    try {
      dataOf(await client.mutation(UpdateVenueMutation, { ns: org.namespace, name, input, force }).toPromise());
      onSaved(force ? "Saved, and the fields you took over are now managed here." : "Saved.");
    } catch (e) {
      const conflicts = conflictsOf(e);
      if (conflicts.length)
        setRevealed((prev) => [
          ...prev,
          ...conflicts
            .filter((c) => c.field && placeOf(c.field, VENUE_FIELDS))
            .map((c) => ({ field: c.field, manager: c.manager, byGateway: false })),
        ]);
      setServer(formErrorsOf(e, VENUE_FIELDS));
    }
  };

  return (
    <form
      onSubmit={(e) => void handleSubmit(onSubmit)(e)}
      noValidate
      aria-labelledby="edit-venue-heading"
      data-testid="edit-venue-form"
    >
      <Stack gap="sm">
        <Title order={3} id="edit-venue-heading">
          Details
        </Title>
        <VenueFields
          control={control}
          register={register}
          errors={errors}
          serverErrors={server.fields}
          own={own}
          title={displayName}
        />
        <FormProblems messages={server.rest} testId="edit-venue-problems" />
        <div>
          <Button type="submit" loading={isSubmitting} data-testid="save-venue">
            {force ? "Save and take over" : "Save changes"}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
