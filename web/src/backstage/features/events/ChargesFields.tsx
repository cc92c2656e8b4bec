/**
 * The edit form's repeatable rows: fees, taxes and promo-code discounts.
 * Each list is replaced as a whole when it is saved. A list another field
 * manager owns is listed, not editable, until it is taken over.
 */
import { Button, Fieldset, Group, List, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import type { ReactNode } from "react";
import { useFieldArray, type Control, type FieldErrors, type UseFormRegister } from "react-hook-form";
import type { Owned } from "../../components/FieldOwnerNote";
import { CHARGE_TARGETS, type EditEventValues } from "./schema";

type ListName = "fees" | "taxes" | "promotions";

interface Props {
  control: Control<EditEventValues>;
  register: UseFormRegister<EditEventValues>;
  errors: FieldErrors<EditEventValues>;
  serverErrors: Record<string, string>;
  owned: Owned;
  currency: string;
}

const LEGENDS: Record<ListName, string> = { fees: "Fees", taxes: "Taxes", promotions: "Promo codes" };
const ADD: Record<ListName, string> = { fees: "Add fee", taxes: "Add tax", promotions: "Add promo code" };

function Shell({
  list,
  owned,
  serverErrors,
  children,
  onAdd,
  summary,
}: {
  list: ListName;
  owned: Owned;
  serverErrors: Record<string, string>;
  children: ReactNode;
  onAdd: () => void;
  summary: string[];
}) {
  return (
    <Fieldset legend={LEGENDS[list]} data-testid={`event-${list}`}>
      <Stack gap="xs">
        {owned.note && <Text size="sm">{owned.note}</Text>}
        {owned.control}
        {owned.readOnly ? (
          summary.length ? (
            <List size="sm">
              {summary.map((s) => (
                <List.Item key={s}>{s}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">None.</Text>
          )
        ) : (
          <>
            {children}
            <div>
              <Button variant="default" size="xs" onClick={onAdd} data-testid={`add-${list}`}>
                {ADD[list]}
              </Button>
            </div>
          </>
        )}
        {serverErrors[list] && (
          <Text role="alert" c="red.8" size="sm" data-testid={`${list}-error`}>
            {serverErrors[list]}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}

const amountKinds = (currency: string) => [
  { value: "flat", label: `Amount (${currency})` },
  { value: "percent", label: "Percent" },
];

export function FeesFields({ control, register, errors, serverErrors, owned, currency }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "fees" });
  return (
    <Shell
      list="fees"
      owned={owned}
      serverErrors={serverErrors}
      onAdd={() => append({ name: "", appliesTo: "TICKET", kind: "flat", amount: "" })}
      summary={fields.map((f) => `${f.name}: ${f.amount}${f.kind === "percent" ? " %" : ` ${currency}`}`)}
    >
      {fields.map((f, i) => {
        const e = errors.fees?.[i];
        return (
          <Group key={f.id} align="flex-start" gap="xs" wrap="wrap">
            <TextInput
              {...register(`fees.${i}.name`)}
              label={`Fee ${i + 1}: name`}
              error={e?.name?.message}
              errorProps={{ role: "alert" }}
            />
            <NativeSelect
              {...register(`fees.${i}.appliesTo`)}
              label={`Fee ${i + 1}: charged on`}
              data={CHARGE_TARGETS}
            />
            <NativeSelect {...register(`fees.${i}.kind`)} label={`Fee ${i + 1}: as`} data={amountKinds(currency)} />
            <TextInput
              {...register(`fees.${i}.amount`)}
              label={`Fee ${i + 1}: amount`}
              inputMode="decimal"
              error={e?.amount?.message ?? serverErrors[`fees.${i}`]}
              errorProps={{ role: "alert" }}
            />
            <Button variant="subtle" color="red" mt={24} onClick={() => remove(i)} aria-label={`Remove fee ${i + 1}`}>
              Remove
            </Button>
          </Group>
        );
      })}
    </Shell>
  );
}

export function TaxesFields({ control, register, errors, serverErrors, owned }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "taxes" });
  return (
    <Shell
      list="taxes"
      owned={owned}
      serverErrors={serverErrors}
      onAdd={() => append({ name: "", appliesTo: "TICKET", rate: "" })}
      summary={fields.map((f) => `${f.name}: ${f.rate} %`)}
    >
      {fields.map((f, i) => {
        const e = errors.taxes?.[i];
        return (
          <Group key={f.id} align="flex-start" gap="xs" wrap="wrap">
            <TextInput
              {...register(`taxes.${i}.name`)}
              label={`Tax ${i + 1}: name`}
              error={e?.name?.message}
              errorProps={{ role: "alert" }}
            />
            <NativeSelect
              {...register(`taxes.${i}.appliesTo`)}
              label={`Tax ${i + 1}: charged on`}
              data={CHARGE_TARGETS}
            />
            <TextInput
              {...register(`taxes.${i}.rate`)}
              label={`Tax ${i + 1}: rate (%)`}
              inputMode="decimal"
              error={e?.rate?.message ?? serverErrors[`taxes.${i}`]}
              errorProps={{ role: "alert" }}
            />
            <Button variant="subtle" color="red" mt={24} onClick={() => remove(i)} aria-label={`Remove tax ${i + 1}`}>
              Remove
            </Button>
          </Group>
        );
      })}
    </Shell>
  );
}

export function PromotionsFields({ control, register, errors, serverErrors, owned, currency }: Props) {
  const { fields, append, remove } = useFieldArray({ control, name: "promotions" });
  return (
    <Shell
      list="promotions"
      owned={owned}
      serverErrors={serverErrors}
      onAdd={() => append({ code: "", name: "", appliesTo: "TICKET", kind: "percent", amount: "" })}
      summary={fields.map(
        (f) => `${f.code} (${f.name}): ${f.amount}${f.kind === "percent" ? " %" : ` ${currency}`} off`,
      )}
    >
      {fields.map((f, i) => {
        const e = errors.promotions?.[i];
        const n = i + 1;
        return (
          <Group key={f.id} align="flex-start" gap="xs" wrap="wrap">
            <TextInput
              {...register(`promotions.${i}.code`)}
              label={`Promo ${n}: code`}
              error={e?.code?.message}
              errorProps={{ role: "alert" }}
            />
            <TextInput
              {...register(`promotions.${i}.name`)}
              label={`Promo ${n}: name on receipt`}
              error={e?.name?.message}
              errorProps={{ role: "alert" }}
            />
            <NativeSelect
              {...register(`promotions.${i}.appliesTo`)}
              label={`Promo ${n}: taken off`}
              data={CHARGE_TARGETS}
            />
            <NativeSelect {...register(`promotions.${i}.kind`)} label={`Promo ${n}: as`} data={amountKinds(currency)} />
            <TextInput
              {...register(`promotions.${i}.amount`)}
              label={`Promo ${n}: amount off`}
              inputMode="decimal"
              error={e?.amount?.message ?? serverErrors[`promotions.${i}`]}
              errorProps={{ role: "alert" }}
            />
            <Button
              variant="subtle"
              color="red"
              mt={24}
              onClick={() => remove(i)}
              aria-label={`Remove promo code ${n}`}
            >
              Remove
            </Button>
          </Group>
        );
      })}
    </Shell>
  );
}
