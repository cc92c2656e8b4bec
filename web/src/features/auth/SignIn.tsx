import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { CodeForm } from "./CodeForm";
import { emailSchema, type EmailValues } from "./schemas";
import { authProblem, requestCode } from "./signIn";

/** Sign in by e-mail code: the address, then the code. */
export function SignIn({ intro }: { intro?: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EmailValues>({ resolver: zodResolver(emailSchema), defaultValues: { email: "" } });

  const submit = handleSubmit(async ({ email }) => {
    setProblem(null);
    try {
      await requestCode(client, email);
      setSentTo(email);
    } catch (e) {
      setProblem(authProblem(e, t));
    }
  });

  return (
    <Paper withBorder p="md" my="md">
      <Title order={2} size="h3" mb="xs">
        {t("auth.signIn")}
      </Title>
      {intro && <Text mb="sm">{intro}</Text>}
      {sentTo ? (
        <CodeForm email={sentTo} onSignedIn={() => setSentTo(null)} onOtherEmail={() => setSentTo(null)} />
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Stack gap="sm">
            <TextInput
              {...register("email")}
              type="email"
              label={t("checkout.email")}
              autoComplete="email"
              error={errors.email?.message ? t(errors.email.message) : (problem ?? undefined)}
              errorProps={{ role: "alert" }}
            />
            <div>
              <Button type="submit" loading={isSubmitting}>
                {t("auth.sendCode")}
              </Button>
            </div>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
