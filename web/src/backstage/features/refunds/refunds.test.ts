import { describe, expect, it } from "vitest";
import { lastWeeks, reportSentence, viewOfStats, weekStart } from "./refunds";

describe("refund figures", () => {
  it("formats the stats with the currency", () => {
    expect(
      viewOfStats({
        refunds: 3,
        tickets: 1234,
        amountMinor: 123456,
        feesReturnedMinor: 250,
        currency: "GBP",
        ordersFullyRefunded: 1,
      }),
    ).toEqual({ count: "1,234", amount: "£1,234.56", fees: "£2.50", refunds: "3 refunds", fullyRefunded: "1 order" });
  });
  it("words a dry run and a done refund", () => {
    const r = {
      dryRun: true,
      orders: 2,
      tickets: 3,
      amountMinor: 9000,
      feesReturnedMinor: 300,
      currency: "EUR",
      failedOrders: [],
    };
    expect(reportSentence(r)).toBe("Would refund 2 orders (3 tickets): €90.00, of which €3.00 fees.");
    expect(reportSentence({ ...r, orders: 0 })).toMatch(/^Nothing to refund/);
    expect(reportSentence({ ...r, dryRun: false, failedOrders: ["o1"] })).toBe(
      "Refunded 2 orders (3 tickets): €90.00, of which €3.00 fees. 1 order could not be refunded now: run it again.",
    );
  });
});

describe("weeks", () => {
  it("starts weeks on Monday, UTC", () => {
    const wed = new Date("2026-12-09T15:00:00Z");
    expect(weekStart(wed).toISOString()).toBe("2026-12-07T00:00:00.000Z");
    expect(weekStart(wed, 1).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(lastWeeks(wed, 2)).toEqual({ from: "2026-11-30T00:00:00.000Z", to: "2026-12-14T00:00:00.000Z" });
  });
});
