/**
 * An event's days, one row each (doors, start, end in the browser's time
 * zone), with Add day / Remove. Shared by the new-event and edit forms,
 * which both hold `days: DayValues[]`.
 */
import { Button, Fieldset, Group, Stack, Text, TextInput } from "@mantine/core";
import type { ReactNode } from "react";
import { useFieldArray, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import { emptyDay, type DayValues } from "./schema";

export interface DaysForm {
  days: DayValues[];
}

interface Props {
  control: Control<DaysForm>;
  register: UseFormRegister<DaysForm>;
  errors: FieldErrors<DaysForm>["days"];
  /** Server messages by key: `days` for all of them, `days.<i>` for one. */
  serverErrors: Record<string, string>;
  readOnly?: boolean;
  /** The ownership note and take-over control, when another manager owns the days. */
  note?: ReactNode;
  ownerControl?: ReactNode;
}

const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function DaysFields({ control, register, errors, serverErrors, readOnly = false, note, ownerControl }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "days" });
  const whole = errors?.root?.message ?? errors?.message ?? serverErrors.days;
  return (
    <Fieldset legend="Days" data-testid="event-days">
      <Stack gap="sm">
        <Text size="sm">Times are in your browser&apos;s time zone ({ZONE}).</Text>
        {note && <Text size="sm">{note}</Text>}
        {ownerControl}
        {fields.map((f, i) => {
          const e = errors?.[i];
          const n = i + 1;
          return (
            <Stack key={f.id} gap={4} data-testid={`day-${i}`}>
              <Group align="flex-start" gap="sm" wrap="wrap">
                <TextInput
                  type="datetime-local"
                  label={`Day ${n}: doors open`}
                  {...register(`days.${i}.doorsAt`)}
                  readOnly={readOnly}
                  required
                  error={e?.doorsAt?.message}
                  errorProps={{ role: "alert" }}
                  data-testid={`day-${i}-doors`}
                />
                <TextInput
                  type="datetime-local"
                  label={`Day ${n}: starts`}
                  {...register(`days.${i}.startsAt`)}
                  readOnly={readOnly}
                  required
                  error={e?.startsAt?.message}
                  errorProps={{ role: "alert" }}
                  data-testid={`day-${i}-starts`}
                />
                <TextInput
                  type="datetime-local"
                  label={`Day ${n}: ends`}
                  {...register(`days.${i}.endsAt`)}
                  readOnly={readOnly}
                  required
                  error={e?.endsAt?.message}
                  errorProps={{ role: "alert" }}
                  data-testid={`day-${i}-ends`}
                />
                {fields.length > 1 && !readOnly && (
                  <Button variant="subtle" color="red" mt={24} onClick={() => remove(i)} aria-label={`Remove day ${n}`}>
                    Remove
                  </Button>
                )}
              </Group>
              {serverErrors[`days.${i}`] && (
                <Text role="alert" c="red.8" size="sm" data-testid={`day-${i}-error`}>
                  {serverErrors[`days.${i}`]}
                </Text>
              )}
            </Stack>
          );
        })}
        {whole && (
          <Text role="alert" c="red.8" size="sm" data-testid="days-error">
            {whole}
          </Text>
        )}
        {!readOnly && (
          <div>
            <Button variant="default" onClick={() => append({ ...emptyDay })} data-testid="add-day">
              Add day
            </Button>
          </div>
        )}
      </Stack>
    </Fieldset>
  );
}
