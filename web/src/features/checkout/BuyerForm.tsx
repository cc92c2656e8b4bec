import { zodResolver } from "@hookform/resolvers/zod";
import "@mantine/core/styles/Checkbox.css";
import { Button, Checkbox, Stack, TextInput, Title } from "@mantine/core";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { buyerSchema, type BuyerValues } from "./buyer";

interface Props {
  defaultValues: BuyerValues;
  onSubmit: (values: BuyerValues) => Promise<void>;
  /** Why the last submit failed (e.g. the code could not be sent), shown at the e-mail field. */
  problem: string | null;
}

/**
 * E-mail address, name and an optional phone number, each with its message
 * on the field; and whether to share roughly where the buyer is.
 */
export function BuyerForm({ defaultValues, onSubmit, problem }: Props) {
  const { t } = useTranslation();
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<BuyerValues>({ resolver: zodResolver(buyerSchema), defaultValues });
  const message = (m: string | undefined) => (m ? t(m) : undefined);
  return (
    <form onSubmit={(e) => void handleSubmit(onSubmit)(e)} noValidate aria-labelledby="buyer-heading">
      <Stack gap="sm">
        <Title order={2} size="h3" id="buyer-heading" tabIndex={-1}>
          {t("checkout.details")}
        </Title>
        <TextInput
          {...register("email")}
          type="email"
          label={t("checkout.email")}
          description={t("checkout.emailHint")}
          autoComplete="email"
          required
          error={message(errors.email?.message) ?? problem ?? undefined}
          errorProps={{ role: "alert" }}
        />
        <TextInput
          {...register("name")}
          label={t("checkout.name")}
          autoComplete="name"
          required
          error={message(errors.name?.message)}
          errorProps={{ role: "alert" }}
        />
        <TextInput
          {...register("phone")}
          type="tel"
          label={t("checkout.phone")}
          description={t("checkout.phoneHint")}
          autoComplete="tel"
          error={message(errors.phone?.message)}
          errorProps={{ role: "alert" }}
        />
        <Checkbox
          {...register("shareArea")}
          label={t("checkout.shareArea")}
          description={t("checkout.shareAreaHint")}
        />
        <div>
          <Button type="submit" loading={isSubmitting}>
            {t("checkout.next")}
          </Button>
        </div>
      </Stack>
    </form>
  );
}
