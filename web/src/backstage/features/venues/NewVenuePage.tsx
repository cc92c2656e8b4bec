/** A new venue: where it is, how many it holds, its sections, and a picture of the plan. */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useForm, useWatch, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { Link } from "../../app/Shell";
import { FormProblems } from "../../components/ApiProblem";
import { formErrorsOf, type FormErrors } from "../../components/apiProblems";
import { navigate, pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { CreateVenueMutation } from "./api";
import {
  newVenueDefaults,
  newVenueSchema,
  toCreateVenueInput,
  VENUE_FIELDS,
  type EditVenueValues,
  type NewVenueValues,
} from "./schema";
import { VenueFields } from "./VenueFields";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

export default function NewVenuePage() {
  const org = useOrg();
  const client = useClient();
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const {
    register,
    control,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<NewVenueValues>({ resolver: zodResolver(newVenueSchema), defaultValues: newVenueDefaults });
  const displayName = useWatch({ control, name: "displayName" });

  const onSubmit = async (values: NewVenueValues) => {
    setServer(NO_ERRORS);
    try {
      const { createVenue } = dataOf(
        await client
          .mutation(CreateVenueMutation, { ns: org.namespace, input: toCreateVenueInput(values) })
          .toPromise(),
      );
      navigate(pathOf({ name: "venue", ns: org.namespace, venue: createVenue.name }));
    } catch (e) {
      setServer(formErrorsOf(e, VENUE_FIELDS));
    }
  };

  return (
    <Stack gap="md" maw={860}>
      <Title order={2}>New venue</Title>
      <Text>Events take place at a venue: its time zone is the one buyers see event times in.</Text>
      <form
        onSubmit={(e) => void handleSubmit(onSubmit)(e)}
        noValidate
        aria-label="New venue"
        data-testid="new-venue-form"
      >
        <Stack gap="sm">
          <TextInput
            {...register("name")}
            label="Name"
            description="For kubectl and events: lower-case letters, digits and -; fixed once created"
            required
            autoComplete="off"
            error={errors.name?.message ?? server.fields.name}
            errorProps={{ role: "alert" }}
            data-testid="venue-name"
          />
          <VenueFields
            control={control as unknown as Control<EditVenueValues>}
            register={register as unknown as UseFormRegister<EditVenueValues>}
            errors={errors as FieldErrors<EditVenueValues>}
            serverErrors={server.fields}
            title={displayName}
          />
          <FormProblems messages={server.rest} testId="new-venue-problems" />
          <Group>
            <Button type="submit" loading={isSubmitting} data-testid="create-venue">
              Create venue
            </Button>
            <Link to={pathOf({ name: "venues", ns: org.namespace })}>Back to venues</Link>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
