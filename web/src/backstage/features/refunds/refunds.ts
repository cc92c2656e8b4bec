/** The refunds page's pure parts: figures in words, and the weeks of the "over time" table. */
import type { BackstageRefundEventMutation, BackstageRefundStatsQuery } from "../../gql/graphql";
import { count, money, plural } from "../../lib/format";

export type Stats = BackstageRefundStatsQuery["refundStats"];
export type Report = BackstageRefundEventMutation["refundEvent"];

export interface StatsView {
  count: string;
  amount: string;
  fees: string;
  refunds: string;
  fullyRefunded: string;
}

export function viewOfStats(s: Stats): StatsView {
  return {
    count: count(s.tickets),
    amount: money(s.amountMinor, s.currency),
    fees: money(s.feesReturnedMinor, s.currency),
    refunds: plural(s.refunds, "refund"),
    fullyRefunded: plural(s.ordersFullyRefunded, "order"),
  };
}

/** "Would refund 3 orders (5 tickets): €120.00, of which €6.00 fees." */
export function reportSentence(r: Report): string {
  const what = `${plural(r.orders, "order")} (${plural(r.tickets, "ticket")}): ${money(r.amountMinor, r.currency)}, of which ${money(r.feesReturnedMinor, r.currency)} fees`;
  if (r.dryRun) return r.orders === 0 ? "Nothing to refund: no completed orders are left." : `Would refund ${what}.`;
  const failed = r.failedOrders.length;
  return `Refunded ${what}.${failed > 0 ? ` ${plural(failed, "order")} could not be refunded now: run it again.` : ""}`;
}

/** Monday 00:00 UTC of the ISO week `weeksAgo` weeks before the week of `now`. */
export function weekStart(now: Date, weeksAgo = 0): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - sinceMonday - 7 * weeksAgo);
  return d;
}

/** The `from`/`to` of the last `weeks` ISO weeks, this one included. */
export function lastWeeks(now: Date, weeks: number): { from: string; to: string } {
  return { from: weekStart(now, weeks - 1).toISOString(), to: weekStart(now, -1).toISOString() };
}
