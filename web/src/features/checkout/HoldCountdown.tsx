import { Paper, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatCountdown } from "../../i18n/format";
import { useCountdown } from "./useCountdown";

/** The time left on the buyer's holds; `onExpire` when it runs out. */
export function HoldCountdown({ expiresAtMs, onExpire }: { expiresAtMs: number; onExpire: () => void }) {
  const { t } = useTranslation();
  const left = useCountdown(expiresAtMs, onExpire) ?? 0;
  const lastMinute = left <= 60_000;
  return (
    <Paper withBorder p="sm" my="md" bg={lastMinute ? "yellow.0" : undefined}>
      <Text fw={700}>{t("checkout.held")}</Text>
      <Text role="timer" aria-live="off" className="countdown" data-testid="hold-countdown">
        {t("checkout.timeLeft", { time: formatCountdown(left) })}
      </Text>
    </Paper>
  );
}
