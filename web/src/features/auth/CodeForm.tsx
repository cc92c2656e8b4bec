import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { codeSchema, type CodeValues } from "./schemas";
import { authProblem, requestCode, signIn } from "./signIn";

interface Props {
  email: string;
  onSignedIn: () => void;
  onOtherEmail: () => void;
}

/** The 6-digit code sent to `email`, traded for a session. */
export function CodeForm({ email, onSignedIn, onOtherEmail }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const [problem, setProblem] = useState<string | null>(null);
  const [resent, setResent] = useState(false);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<CodeValues>({ resolver: zodResolver(codeSchema), defaultValues: { code: "" } });

  const submit = handleSubmit(async ({ code }) => {
    setProblem(null);
    try {
      await signIn(client, email, code);
      onSignedIn();
    } catch (e) {
      setProblem(authProblem(e, t));
      setFocus("code");
    }
  });

  const resend = async () => {
    setProblem(null);
    try {
      await requestCode(client, email);
      setResent(true);
    } catch (e) {
      setProblem(authProblem(e, t));
    }
  };

  const codeError = errors.code?.message ? t(errors.code.message) : (problem ?? undefined);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <Stack gap="sm">
        <Text role="status">{t("auth.codeSent", { email })}</Text>
        <TextInput
          {...register("code")}
          label={t("auth.code")}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          maw={220}
          autoFocus
          error={codeError}
          errorProps={{ role: "alert" }}
        />
        <Group>
          <Button type="submit" loading={isSubmitting}>
            {t("auth.verify")}
          </Button>
          <Button variant="subtle" onClick={() => void resend()}>
            {t("auth.resend")}
          </Button>
          <Button variant="subtle" onClick={onOtherEmail}>
            {t("auth.otherEmail")}
          </Button>
        </Group>
        {resent && <Text role="status">{t("auth.codeSent", { email })}</Text>}
      </Stack>
    </form>
  );
}
