/**
 * A new event (a Draft): name, title, venue, currency, days, when sales
 * open. Checks run on the fields first; what the API refuses goes back to
 * the field it concerns, the rest above the button.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, NativeSelect, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useForm, type Control, type UseFormRegister } from "react-hook-form";
import { useClient, useQuery } from "urql";
import { dataOf } from "../../../api/errors";
import { Loading, Problem } from "../../../components/Status";
import { Link } from "../../app/Shell";
import { formErrorsOf, type FormErrors } from "../../components/apiProblems";
import { FormProblems } from "../../components/ApiProblem";
import { navigate, pathOf } from "../../routes";
import { useOrg } from "../../session/org";
import { CreateEventMutation, EventVenuesQuery } from "./api";
import { DaysFields, type DaysForm } from "./DaysFields";
import { EVENT_FIELDS, newEventDefaults, newEventSchema, toCreateEventInput, type NewEventValues } from "./schema";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

export default function NewEventPage() {
  const org = useOrg();
  const client = useClient();
  const [{ data: venues, fetching: loadingVenues, error: venuesError }] = useQuery({
    query: EventVenuesQuery,
    variables: { ns: org.namespace },
  });
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const {
    register,
    control,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<NewEventValues>({ resolver: zodResolver(newEventSchema), defaultValues: newEventDefaults });

  const onSubmit = async (values: NewEventValues) => {
    setServer(NO_ERRORS);
    try {
      const result = await client
        .mutation(CreateEventMutation, { ns: org.namespace, input: toCreateEventInput(values) })
        .toPromise();
      const { createEvent } = dataOf(result);
      navigate(pathOf({ name: "event", ns: org.namespace, event: createEvent.name }));
    } catch (e) {
      setServer(formErrorsOf(e, EVENT_FIELDS));
    }
  };
  const err = (k: keyof NewEventValues) => errors[k]?.message ?? server.fields[k];
  const venueList = venues?.organization.venues.nodes ?? [];

  return (
    <Stack gap="md" maw={860}>
      <Title order={2}>New event</Title>
      <Text>It starts as a draft: nobody sees it until you publish it.</Text>
      <form
        onSubmit={(e) => void handleSubmit(onSubmit)(e)}
        noValidate
        aria-label="New event"
        data-testid="new-event-form"
      >
        <Stack gap="sm">
          <TextInput
            {...register("title")}
            label="Title"
            description="What buyers see"
            required
            error={err("title")}
            errorProps={{ role: "alert" }}
            data-testid="event-title"
          />
          <TextInput
            {...register("name")}
            label="Name"
            description="In addresses and for kubectl: lower-case letters, digits and -, at most 54; fixed once created"
            required
            autoComplete="off"
            error={err("name")}
            errorProps={{ role: "alert" }}
            data-testid="event-name"
          />
          <Textarea
            {...register("description")}
            label="Description"
            description="Plain text or Markdown"
            rows={4}
            error={err("description")}
            errorProps={{ role: "alert" }}
            data-testid="event-description"
          />
          {venuesError && !venues ? (
            <Problem title="The venues could not be loaded">{venuesError.message}</Problem>
          ) : loadingVenues && !venues ? (
            <Loading label="Loading venues…" />
          ) : venueList.length === 0 ? (
            <Text role="alert" data-testid="event-no-venues">
              Your organization has no venue yet.{" "}
              <Link to={pathOf({ name: "newVenue", ns: org.namespace })}>Add a venue</Link> first.
            </Text>
          ) : (
            <NativeSelect
              {...register("venue")}
              label="Venue"
              required
              data={[
                { value: "", label: "Pick a venue" },
                ...venueList.map((v) => ({ value: v.name, label: `${v.displayName} (${v.timezone})` })),
              ]}
              error={err("venue")}
              errorProps={{ role: "alert" }}
              data-testid="event-venue"
            />
          )}
          <TextInput
            {...register("currency")}
            label="Currency"
            description="ISO 4217 code of every price, e.g. GBP, EUR, USD; fixed once published"
            required
            maxLength={3}
            error={err("currency")}
            errorProps={{ role: "alert" }}
            data-testid="event-currency"
          />
          <DaysFields
            control={control as unknown as Control<DaysForm>}
            register={register as unknown as UseFormRegister<DaysForm>}
            errors={errors.days}
            serverErrors={server.fields}
          />
          <TextInput
            {...register("onSaleAt")}
            type="datetime-local"
            label="On sale from"
            description="When tickets go on sale (once published), in your browser's time zone"
            required
            error={err("onSaleAt")}
            errorProps={{ role: "alert" }}
            data-testid="event-on-sale"
          />
          <TextInput
            {...register("holdTtlSeconds")}
            label="Hold time (seconds)"
            description="How long tickets stay in a buyer's cart: 60 to 3600"
            inputMode="numeric"
            error={err("holdTtlSeconds")}
            errorProps={{ role: "alert" }}
            data-testid="event-hold-ttl"
          />
          <FormProblems messages={server.rest} testId="new-event-problems" />
          <Group>
            <Button type="submit" loading={isSubmitting} data-testid="create-event">
              Create event
            </Button>
            <Link to={pathOf({ name: "events", ns: org.namespace })}>Back to events</Link>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
