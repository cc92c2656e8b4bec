import { Paper, Text, Title } from "@mantine/core";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { useFormat } from "../i18n";

export const QuoteQuery = graphql(`
  query Quote($event: String!, $lines: [QuoteLine!]!) {
    quote(event: $event, lines: $lines) {
      lines {
        tier
        description
        quantity
        unitPriceMinor
        amountMinor
      }
      charges {
        label
        amountMinor
      }
      totalMinor
      currency
    }
  }
`);

export type QuoteLines = { tier: string; quantity: number }[];

/** The server's price of `lines` (nothing is held); paused while there are none. */
export function useQuote(event: string, lines: QuoteLines) {
  const [result] = useQuery({ query: QuoteQuery, variables: { event, lines }, pause: lines.length === 0 });
  return result;
}

/** The price of the tickets picked: lines, fees and taxes, total. */
export function Quote({ event, lines }: { event: string; lines: QuoteLines }) {
  const { t } = useTranslation();
  const f = useFormat();
  const headingId = useId();
  const { data, fetching, error } = useQuote(event, lines);
  if (!lines.length) return null;
  const quote = data?.quote;
  return (
    <Paper withBorder p="md" my="md" aria-busy={fetching} aria-labelledby={headingId}>
      <Title order={2} size="h4" id={headingId} mb="xs">
        {t("quote.heading")}
      </Title>
      {error && !quote && (
        <Text role="alert">{t("quote.failed", { message: error.graphQLErrors[0]?.message ?? error.message })}</Text>
      )}
      {!quote && !error && <Text>{t("quote.working")}</Text>}
      {quote && (
        <ul className="lines" data-testid="quote">
          {quote.lines.map((l) => (
            <li key={l.tier}>
              <span>{t("quote.line", { quantity: l.quantity, description: l.description })}</span>
              <span className="money">{f.money(l.amountMinor, quote.currency)}</span>
            </li>
          ))}
          {quote.charges.map((c, i) => (
            <li key={`${c.label}-${i}`}>
              <span>{c.label}</span>
              <span className="money">{f.money(c.amountMinor, quote.currency)}</span>
            </li>
          ))}
          <li className="total">
            <span>{t("quote.total")}</span>
            <span className="money" data-testid="quote-total">
              {f.money(quote.totalMinor, quote.currency)}
            </span>
          </li>
        </ul>
      )}
    </Paper>
  );
}
