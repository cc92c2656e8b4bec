/**
 * A venue's fields, shared by the new-venue and edit forms: name for
 * buyers, address, time zone, capacity and the sections (added by kind:
 * general admission, seated, tables), with the plan drawn as they are
 * typed. With `own` (the edit form) a field another manager owns is
 * read-only until taken over.
 */
import { Button, Fieldset, Group, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useFieldArray, useWatch, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import type { Owned } from "../../components/FieldOwnerNote";
import type { SectionKind } from "./plan";
import { emptySection, planOf, type EditVenueValues } from "./schema";
import { VenuePlan } from "./VenuePlan";

/** The time zones this browser knows, offered as the time zone is typed. */
const ZONES: readonly string[] = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];

const NOT_OWNED: Owned = { readOnly: false, managers: [], note: null, control: null };

export const KIND_LABELS: Record<SectionKind, string> = {
  ga: "General admission",
  seated: "Seated (rows of seats)",
  tables: "Tables (each sold whole)",
};

interface Props {
  control: Control<EditVenueValues>;
  register: UseFormRegister<EditVenueValues>;
  errors: FieldErrors<EditVenueValues>;
  serverErrors: Record<string, string>;
  /** The ownership of a field by its name and spec path (edit form only). */
  own?: (name: string, path: string) => Owned;
  title: string;
}

function Note({ owned }: { owned: Owned }): ReactNode {
  if (!owned.note) return null;
  return (
    <>
      <Text size="sm">{owned.note}</Text>
      {owned.control}
    </>
  );
}

export function VenueFields({ control, register, errors, serverErrors, own, title }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "sections" });
  const sections = useWatch({ control, name: "sections" });
  const ownOf = (name: string, path: string) => (own ? own(name, path) : NOT_OWNED);
  const err = (k: keyof EditVenueValues) => errors[k]?.message ?? serverErrors[k];
  const alert = { role: "alert" };
  const o = {
    displayName: ownOf("displayName", ".spec.displayName"),
    address: ownOf("address", ".spec.address"),
    timezone: ownOf("timezone", ".spec.timezone"),
    capacity: ownOf("capacity", ".spec.capacity"),
  };
  const addr = o.address.readOnly;
  const add = (kind: SectionKind) => append(emptySection(kind));

  return (
    <Stack gap="sm">
      <div>
        <TextInput
          {...register("displayName")}
          label="Name for buyers"
          required
          readOnly={o.displayName.readOnly}
          description={o.displayName.note}
          error={err("displayName")}
          errorProps={alert}
          data-testid="venue-display-name"
        />
        {o.displayName.control}
      </div>
      <Fieldset legend="Address" data-testid="venue-address">
        <Stack gap="xs">
          <Note owned={o.address} />
          <TextInput
            {...register("line1")}
            label="Street and number"
            required
            readOnly={addr}
            autoComplete="address-line1"
            error={err("line1")}
            errorProps={alert}
            data-testid="venue-line1"
          />
          <TextInput
            {...register("line2")}
            label="Address line 2"
            readOnly={addr}
            autoComplete="address-line2"
            error={err("line2")}
            errorProps={alert}
            data-testid="venue-line2"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              {...register("city")}
              label="City"
              required
              readOnly={addr}
              autoComplete="address-level2"
              error={err("city")}
              errorProps={alert}
              data-testid="venue-city"
            />
            <TextInput
              {...register("postalCode")}
              label="Postcode"
              readOnly={addr}
              autoComplete="postal-code"
              error={err("postalCode")}
              errorProps={alert}
              data-testid="venue-postcode"
            />
            <TextInput
              {...register("country")}
              label="Country"
              description="Two letters, e.g. GB"
              required
              maxLength={2}
              readOnly={addr}
              autoComplete="country"
              error={err("country")}
              errorProps={alert}
              data-testid="venue-country"
            />
          </SimpleGrid>
        </Stack>
      </Fieldset>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <div>
          <TextInput
            {...register("timezone")}
            label="Time zone"
            required
            readOnly={o.timezone.readOnly}
            description={o.timezone.note ?? "IANA name, e.g. Europe/London: event times are shown in it"}
            error={err("timezone")}
            errorProps={alert}
            list="venue-timezones"
            autoComplete="off"
            data-testid="venue-timezone"
          />
          <datalist id="venue-timezones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {o.timezone.control}
        </div>
        <div>
          <TextInput
            {...register("capacity")}
            label="Licensed capacity"
            inputMode="numeric"
            required
            readOnly={o.capacity.readOnly}
            description={o.capacity.note ?? "The most people inside at once"}
            error={err("capacity")}
            errorProps={alert}
            data-testid="venue-capacity"
          />
          {o.capacity.control}
        </div>
      </SimpleGrid>

      <Title order={3} size="h4" id="venue-sections-heading">
        Sections
      </Title>
      <Text size="sm">Sellable areas: tiers can be limited to one. Each is one of three kinds.</Text>
      {fields.length === 0 && <Text size="sm">No sections: the whole venue is one area.</Text>}
      {fields.map((f, i) => {
        const current = sections[i] ?? f;
        const owned = ownOf(`section-${f.name || i}`, `.spec.sections[name="${f.name}"]`);
        const ro = f.name !== "" && owned.readOnly;
        const e = errors.sections?.[i];
        const n = i + 1;
        const labelled = current.seatLabels.length > 0;
        return (
          <Fieldset
            key={f.id}
            legend={`Section ${n}: ${KIND_LABELS[current.kind]}`}
            data-testid={`section-${i}`}
            data-kind={current.kind}
          >
            <Stack gap="xs">
              {f.name !== "" && <Note owned={owned} />}
              <Group align="flex-start" gap="sm" wrap="wrap">
                <TextInput
                  {...register(`sections.${i}.name`)}
                  label={`Section ${n}: name`}
                  description="Lower-case letters, digits and -"
                  readOnly={ro}
                  error={e?.name?.message}
                  errorProps={alert}
                  data-testid={`section-${i}-name`}
                />
                {current.kind === "ga" && (
                  <TextInput
                    {...register(`sections.${i}.capacity`)}
                    label={`Section ${n}: capacity`}
                    inputMode="numeric"
                    readOnly={ro}
                    error={e?.capacity?.message}
                    errorProps={alert}
                    data-testid={`section-${i}-capacity`}
                  />
                )}
                {current.kind === "seated" && !labelled && (
                  <>
                    <TextInput
                      {...register(`sections.${i}.rows`)}
                      label={`Section ${n}: rows`}
                      inputMode="numeric"
                      readOnly={ro}
                      error={e?.rows?.message}
                      errorProps={alert}
                      data-testid={`section-${i}-rows`}
                    />
                    <TextInput
                      {...register(`sections.${i}.seatsPerRow`)}
                      label={`Section ${n}: seats per row`}
                      inputMode="numeric"
                      readOnly={ro}
                      error={e?.seatsPerRow?.message}
                      errorProps={alert}
                      data-testid={`section-${i}-seats-per-row`}
                    />
                  </>
                )}
                {current.kind === "seated" && labelled && (
                  <Text size="sm" mt={28}>
                    {current.seatLabels.length} numbered seats (set with kubectl or GitOps)
                  </Text>
                )}
                {current.kind === "tables" && (
                  <>
                    <TextInput
                      {...register(`sections.${i}.tables`)}
                      label={`Section ${n}: tables`}
                      inputMode="numeric"
                      readOnly={ro}
                      error={e?.tables?.message}
                      errorProps={alert}
                      data-testid={`section-${i}-tables`}
                    />
                    <TextInput
                      {...register(`sections.${i}.seatsPerTable`)}
                      label={`Section ${n}: seats per table`}
                      inputMode="numeric"
                      readOnly={ro}
                      error={e?.seatsPerTable?.message}
                      errorProps={alert}
                      data-testid={`section-${i}-seats-per-table`}
                    />
                  </>
                )}
                {!ro && (
                  <Button
                    variant="subtle"
                    color="red"
                    mt={24}
                    onClick={() => remove(i)}
                    aria-label={`Remove section ${n}`}
                    data-testid={`section-${i}-remove`}
                  >
                    Remove
                  </Button>
                )}
              </Group>
              {serverErrors[`sections.${i}`] && (
                <Text role="alert" c="red.8" size="sm" data-testid={`section-${i}-error`}>
                  {serverErrors[`sections.${i}`]}
                </Text>
              )}
            </Stack>
          </Fieldset>
        );
      })}
      {(errors.sections?.root?.message ?? serverErrors.sections) && (
        <Text role="alert" c="red.8" size="sm" data-testid="sections-error">
          {errors.sections?.root?.message ?? serverErrors.sections}
        </Text>
      )}
      <Group gap="sm">
        <Button variant="default" onClick={() => add("ga")} data-testid="add-section-ga">
          Add general admission
        </Button>
        <Button variant="default" onClick={() => add("seated")} data-testid="add-section-seated">
          Add seated section
        </Button>
        <Button variant="default" onClick={() => add("tables")} data-testid="add-section-tables">
          Add tables
        </Button>
      </Group>
      <Title order={3} size="h4">
        Plan
      </Title>
      <VenuePlan title={title || "the venue"} sections={planOf(sections)} />
    </Stack>
  );
}
