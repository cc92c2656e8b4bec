import { Button, Group, Paper, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";

interface Props {
  /** The tools the organization uses. */
  tools: { googleAnalytics: boolean; segment: boolean };
  onAllow: () => void;
  onDeny: () => void;
}

/** Asks whether the organization's analytics may load: a region "Analytics consent", "Allow analytics" / "No thanks". */
export function ConsentBanner({ tools, onAllow, onDeny }: Props) {
  const { t } = useTranslation();
  const names = [tools.googleAnalytics && "Google Analytics", tools.segment && "Segment"].filter(
    (n): n is string => !!n,
  );
  const list = names.length === 2 ? t("analytics.and", { first: names[0], second: names[1] }) : (names[0] ?? "");
  return (
    <Paper
      component="section"
      aria-label={t("analytics.region")}
      withBorder
      p="md"
      my="sm"
      data-testid="analytics-consent"
    >
      <Text>{t("analytics.ask", { tools: list })}</Text>
      <Group mt="sm" gap="sm">
        <Button onClick={onAllow}>{t("analytics.allow")}</Button>
        <Button variant="default" onClick={onDeny}>
          {t("analytics.deny")}
        </Button>
      </Group>
    </Paper>
  );
}
