import { Button, Paper, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { useSession } from "../../api/useSession";
import { authProblem, CodeForm, requestCode } from "../auth";
import { locate, type Area, type BuyerDetails, type BuyerValues } from "./buyer";
import { BuyerForm } from "./BuyerForm";
import type { HeldTier } from "./holds";
import { PaymentStep, type PaymentCallbacks } from "./PaymentStep";

export interface CheckoutPanelProps extends Omit<PaymentCallbacks, "onSignInAgain"> {
  event: { slug: string; title: string; currency: string };
  /** The checkout session's token the holds were placed in. */
  checkout: string;
  holds: HeldTier[];
}

type Step = "details" | "code" | "pay";

/**
 * Checkout of held tickets: the buyer's details, sign-in by a code sent to
 * their e-mail address (an order needs a signed-in login), then payment.
 */
export function CheckoutPanel({ event, checkout, holds, ...on }: CheckoutPanelProps) {
  const { t } = useTranslation();
  const client = useClient();
  const session = useSession();
  const [step, setStep] = useState<Step>("details");
  const [buyer, setBuyer] = useState<BuyerDetails>({
    email: session?.email ?? "",
    name: "",
    phone: "",
    shareArea: false,
  });
  const [problem, setProblem] = useState<string | null>(null);
  // While the browser asks the buyer for their location (at most LOCATE_TIMEOUT_MS).
  const [locating, setLocating] = useState(false);

  const onDetails = async (values: BuyerValues) => {
    setProblem(null);
    // Asked only when the buyer ticked it: the browser asks them again.
    let area: Area | null = null;
    if (values.shareArea) {
      setLocating(true);
      area = await locate().finally(() => setLocating(false));
    }
    setBuyer({ ...values, area });
    if (session && session.email === values.email.trim().toLowerCase()) {
      setStep("pay");
      return;
    }
    try {
      await requestCode(client, values.email);
      setStep("code");
    } catch (e) {
      setProblem(authProblem(e, t));
    }
  };

  return (
    <Stack gap="sm">
      {step === "details" ? (
        <Paper withBorder p="md">
          <BuyerForm defaultValues={buyer} onSubmit={onDetails} problem={problem} />
          <Text role="status" size="sm" mt={locating ? "sm" : 0}>
            {locating ? t("checkout.locating") : null}
          </Text>
        </Paper>
      ) : (
        <Paper withBorder p="md" aria-label={t("checkout.details")}>
          <Text fw={600}>{buyer.name}</Text>
          <Text>{buyer.email}</Text>
          {buyer.phone && <Text>{buyer.phone}</Text>}
          <Button variant="subtle" px={0} onClick={() => setStep("details")} disabled={false}>
            {t("checkout.editDetails")}
          </Button>
        </Paper>
      )}
      {step === "code" && (
        <Paper withBorder p="md">
          <CodeForm email={buyer.email} onSignedIn={() => setStep("pay")} onOtherEmail={() => setStep("details")} />
        </Paper>
      )}
      {step === "pay" && (
        <PaymentStep
          event={event.slug}
          checkout={checkout}
          holds={holds}
          buyer={buyer}
          {...on}
          onSignInAgain={() => setStep("details")}
        />
      )}
    </Stack>
  );
}
