/** A new ticket tier of an event: price typed in the event's currency, sent in minor units. */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Fieldset, Group, NativeSelect, SimpleGrid, Stack, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { FormProblems } from "../../components/ApiProblem";
import { formErrorsOf, type FormErrors } from "../../components/apiProblems";
import { useOrg } from "../../session/org";
import { CreateTierMutation } from "./api";
import {
  KIND_LABELS,
  TIER_FIELDS,
  tierDefaults,
  tierSchema,
  toCreateTierInput,
  VISIBILITY_LABELS,
  type TierValues,
} from "./tierSchema";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

export function TierForm({
  event,
  currency,
  sections,
  onCreated,
}: {
  event: string;
  currency: string;
  sections: readonly string[];
  onCreated: (name: string) => void;
}) {
  const org = useOrg();
  const client = useClient();
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const {
    register,
    control,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<TierValues>({ resolver: zodResolver(tierSchema(currency)), defaultValues: tierDefaults });
  const visibility = useWatch({ control, name: "visibility" });

  const onSubmit = async (values: TierValues) => {
    setServer(NO_ERRORS);
    try {
      const result = await client
        .mutation(CreateTierMutation, { ns: org.namespace, input: toCreateTierInput(values, event, currency) })
        .toPromise();
      const { createTicketTier } = dataOf(result);
      reset(tierDefaults);
      onCreated(createTicketTier.name);
    } catch (e) {
      setServer(formErrorsOf(e, TIER_FIELDS));
    }
  };
  const err = (k: keyof TierValues) => errors[k]?.message ?? server.fields[k];
  const text = (k: keyof TierValues) => ({ ...register(k), error: err(k), errorProps: { role: "alert" } });

  return (
    <form
      onSubmit={(e) => void handleSubmit(onSubmit)(e)}
      noValidate
      aria-labelledby="new-tier-heading"
      data-testid="tier-form"
    >
      <Stack gap="sm">
        <Title order={4} id="new-tier-heading">
          Add a tier
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            {...text("displayName")}
            label="Name for buyers"
            description="e.g. General admission"
            required
            data-testid="tier-display-name"
          />
          <TextInput
            {...text("name")}
            label="Tier name"
            description="Lower-case letters, digits and -; unique in the organization, fixed"
            required
            autoComplete="off"
            data-testid="tier-name"
          />
          <NativeSelect
            {...text("kind")}
            label="Kind"
            data={(["ADMISSION", "ADD_ON"] as const).map((k) => ({ value: k, label: KIND_LABELS[k] }))}
            data-testid="tier-kind"
          />
          <TextInput
            {...text("price")}
            label={`Price (${currency})`}
            description={`Per ticket, table or add-on, e.g. 25 or 25.50; 0 for free`}
            inputMode="decimal"
            required
            data-testid="tier-price"
          />
          <TextInput
            {...text("quantity")}
            label="Quantity"
            description="Units for sale in total"
            inputMode="numeric"
            required
            data-testid="tier-quantity"
          />
          <NativeSelect
            {...text("section")}
            label="Section"
            data={[{ value: "", label: "Anywhere in the venue" }, ...sections.map((s) => ({ value: s, label: s }))]}
            data-testid="tier-section"
          />
          <TextInput
            {...text("tableSeats")}
            label="Seats per table"
            description="Only to sell whole tables: a unit is a table"
            inputMode="numeric"
            data-testid="tier-table-seats"
          />
          <NativeSelect
            {...text("visibility")}
            label="Visibility"
            data={(["PUBLIC", "HIDDEN", "PROMO_CODE"] as const).map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }))}
            data-testid="tier-visibility"
          />
          {visibility === "PROMO_CODE" && (
            <TextInput
              {...text("promoCodes")}
              label="Promo codes"
              description="Codes that unlock it, separated by commas"
              data-testid="tier-promo-codes"
            />
          )}
        </SimpleGrid>
        <Fieldset legend="Per order (default 1 to 10)">
          <Group grow>
            <TextInput {...text("perOrderMin")} label="Fewest per order" inputMode="numeric" data-testid="tier-min" />
            <TextInput {...text("perOrderMax")} label="Most per order" inputMode="numeric" data-testid="tier-max" />
          </Group>
        </Fieldset>
        <Fieldset legend="Own sales window (default: the event's)">
          <Group grow>
            <TextInput
              {...text("salesStart")}
              type="datetime-local"
              label="Sales start"
              data-testid="tier-sales-start"
            />
            <TextInput {...text("salesEnd")} type="datetime-local" label="Sales end" data-testid="tier-sales-end" />
          </Group>
        </Fieldset>
        <FormProblems messages={server.rest} testId="tier-problems" />
        <div>
          <Button type="submit" loading={isSubmitting} data-testid="create-tier">
            Add tier
          </Button>
        </div>
      </Stack>
    </form>
  );
}
