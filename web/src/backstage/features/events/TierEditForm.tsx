/**
 * Changes to one tier (name for buyers, price, quantity, per-order limits,
 * visibility): only what changed is sent; fields another manager owns are
 * read-only until taken over, and then the save is forced.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, NativeSelect, Stack, TextInput } from "@mantine/core";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useClient } from "urql";
import { dataOf } from "../../../api/errors";
import { FormProblems } from "../../components/ApiProblem";
import { conflictsOf, formErrorsOf, placeOf, type FormErrors } from "../../components/apiProblems";
import { useOwnedFields } from "../../components/FieldOwnerNote";
import type { FieldOwnerEntry } from "../../components/fieldOwners";
import { useOrg } from "../../session/org";
import { UpdateTierMutation } from "./api";
import {
  TIER_FIELDS,
  tierEditDefaults,
  tierEditSchema,
  toUpdateTierInput,
  VISIBILITY_LABELS,
  type TierEditValues,
  type TierLike,
} from "./tierSchema";

const NO_ERRORS: FormErrors = { fields: {}, rest: [] };

export function TierEditForm({
  tier,
  name,
  owners,
  onSaved,
  onCancel,
}: {
  tier: TierLike;
  name: string;
  owners: readonly FieldOwnerEntry[];
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const org = useOrg();
  const client = useClient();
  const before = useMemo(() => tierEditDefaults(tier), [tier]);
  const [server, setServer] = useState<FormErrors>(NO_ERRORS);
  const [revealed, setRevealed] = useState<FieldOwnerEntry[]>([]);
  const { own, force } = useOwnedFields(useMemo(() => [...owners, ...revealed], [owners, revealed]));
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<TierEditValues>({ resolver: zodResolver(tierEditSchema(tier.currency)), defaultValues: before });

  const onSubmit = async (values: TierEditValues) => {
    setServer(NO_ERRORS);
    const input = toUpdateTierInput(values, before, tier.currency);
    if (Object.keys(input).length === 0) {
      setServer({ fields: {}, rest: ["Nothing changed: edit a field first."] });
      return;
    }
    try {
      dataOf(await client.mutation(UpdateTierMutation, { ns: org.namespace, name, input, force }).toPromise());
      onSaved(`Tier ${values.displayName} saved.`);
    } catch (e) {
      const conflicts = conflictsOf(e).filter((c) => c.field && placeOf(c.field, TIER_FIELDS));
      if (conflicts.length) setRevealed((prev) => [...prev, ...conflicts.map((c) => ({ ...c, byGateway: false }))]);
      setServer(formErrorsOf(e, TIER_FIELDS));
    }
  };
  const err = (k: keyof TierEditValues) => errors[k]?.message ?? server.fields[k];
  const o = {
    displayName: own("tier-displayName", ".spec.displayName"),
    price: own("tier-price", ".spec.price"),
    quantity: own("tier-quantity", ".spec.quantity"),
    perOrder: own("tier-perOrder", ".spec.perOrder"),
    visibility: own("tier-visibility", ".spec.visibility"),
  };
  const alert = { role: "alert" };
  return (
    <form onSubmit={(e) => void handleSubmit(onSubmit)(e)} noValidate aria-label={`Edit tier ${tier.displayName}`}>
      <Stack gap="sm">
        <div>
          <TextInput
            {...register("displayName")}
            label="Name for buyers"
            readOnly={o.displayName.readOnly}
            description={o.displayName.note}
            error={err("displayName")}
            errorProps={alert}
            data-testid="tier-edit-display-name"
          />
          {o.displayName.control}
        </div>
        <div>
          <TextInput
            {...register("price")}
            label={`Price (${tier.currency})`}
            inputMode="decimal"
            readOnly={o.price.readOnly}
            description={o.price.note}
            error={err("price")}
            errorProps={alert}
            data-testid="tier-edit-price"
          />
          {o.price.control}
        </div>
        <div>
          <TextInput
            {...register("quantity")}
            label="Quantity"
            inputMode="numeric"
            readOnly={o.quantity.readOnly}
            description={o.quantity.note ?? "Not below what is sold and held"}
            error={err("quantity")}
            errorProps={alert}
            data-testid="tier-edit-quantity"
          />
          {o.quantity.control}
        </div>
        <div>
          <Group grow align="flex-start">
            <TextInput
              {...register("perOrderMin")}
              label="Fewest per order"
              inputMode="numeric"
              readOnly={o.perOrder.readOnly}
              description={o.perOrder.note}
              error={err("perOrderMin")}
              errorProps={alert}
              data-testid="tier-edit-min"
            />
            <TextInput
              {...register("perOrderMax")}
              label="Most per order"
              inputMode="numeric"
              readOnly={o.perOrder.readOnly}
              error={err("perOrderMax")}
              errorProps={alert}
              data-testid="tier-edit-max"
            />
          </Group>
          {o.perOrder.control}
        </div>
        <div>
          {o.visibility.readOnly ? (
            <TextInput
              label="Visibility"
              value={VISIBILITY_LABELS[before.visibility]}
              readOnly
              description={o.visibility.note}
              data-testid="tier-edit-visibility"
            />
          ) : (
            <NativeSelect
              {...register("visibility")}
              label="Visibility"
              description={o.visibility.note ?? "Hidden takes it off the event page without deleting it"}
              data={(["PUBLIC", "HIDDEN", "PROMO_CODE"] as const).map((v) => ({
                value: v,
                label: VISIBILITY_LABELS[v],
              }))}
              error={err("visibility")}
              errorProps={alert}
              data-testid="tier-edit-visibility"
            />
          )}
          {o.visibility.control}
        </div>
        <FormProblems messages={server.rest} testId="tier-edit-problems" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Close
          </Button>
          <Button type="submit" loading={isSubmitting} data-testid="save-tier">
            {force ? "Save and take over" : "Save tier"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
