import { describe, expect, it } from "vitest";
import { eventNameOf, isOrderState, orderRefundable, ordersVariables, refundSummary, ticketRefundable } from "./orders";
import { saleProblems, saleTotal, seatList, tierLabel, type BoxTier, type Sale } from "./boxOffice";

describe("ordersVariables", () => {
  it("asks for the organization's orders without an event", () => {
    expect(ordersVariables("acme", { event: "", search: "  ", state: "" }, null)).toEqual({
      organization: "acme",
      event: null,
      first: 20,
      after: null,
      search: null,
      states: null,
    });
  });
  it("asks for one event's orders by slug, with the search and state", () => {
    expect(ordersVariables("acme", { event: "gig", search: " ada ", state: "COMPLETED" }, "c1")).toMatchObject({
      organization: null,
      event: "acme/gig",
      after: "c1",
      search: "ada",
      states: ["COMPLETED"],
    });
  });
});

describe("states and refunds", () => {
  it("knows the order states", () => {
    expect(isOrderState("REFUNDED")).toBe(true);
    expect(isOrderState("nope")).toBe(false);
    expect(isOrderState(null)).toBe(false);
  });
  it("refunds tickets of completed orders only, once", () => {
    expect(ticketRefundable({ state: "COMPLETED" }, { refunded: false })).toBe(true);
    expect(ticketRefundable({ state: "COMPLETED" }, { refunded: true })).toBe(false);
    expect(ticketRefundable({ state: "AWAITING_PAYMENT" }, { refunded: false })).toBe(false);
  });
  it("refunds an order while something is left", () => {
    const t = (refunded: boolean) => ({ id: "t", tier: "ga", label: "GA", seat: null, admissions: 1, refunded });
    expect(
      orderRefundable({ state: "COMPLETED", tickets: [t(true), t(false)], totalMinor: 2000, refundedMinor: 1000 }),
    ).toBe(true);
    expect(orderRefundable({ state: "COMPLETED", tickets: [t(true)], totalMinor: 1000, refundedMinor: 1000 })).toBe(
      false,
    );
    expect(orderRefundable({ state: "REFUNDED", tickets: [t(false)], totalMinor: 1000, refundedMinor: 0 })).toBe(false);
  });
  it("sums a refund up", () => {
    expect(
      refundSummary({ amountMinor: 1050, currency: "EUR", state: "Done", feesReturned: true, ticketIds: ["a"] }),
    ).toBe("€10.50 (1 ticket), fees included; done.");
    expect(refundSummary({ amountMinor: 500, currency: "USD", state: "Pending", feesReturned: false })).toMatch(
      /^US\$5\.00; pending/,
    );
  });
  it("finds the event name in an order's slug", () => {
    expect(eventNameOf("acme/gig", "acme")).toBe("gig");
    expect(eventNameOf("other/gig", "acme")).toBeNull();
    expect(eventNameOf(null, "acme")).toBeNull();
  });
});

const tier: BoxTier = {
  name: "vip",
  displayName: "VIP",
  kind: "ADMISSION",
  priceMinor: 5000,
  currency: "EUR",
  visibility: "HIDDEN",
  tableSeats: null,
  perOrder: { min: 1, max: 4 },
  status: { available: 12 },
};
const sale: Sale = { tier: "vip", quantity: 2, seats: "", payment: "CASH", name: "", email: "ada@example.com" };

describe("box office", () => {
  it("labels tiers with price, visibility and what is left", () => {
    expect(tierLabel(tier)).toBe("VIP · €50.00 · hidden · 12 left");
  });
  it("accepts a good sale", () => {
    expect(saleProblems(sale, tier)).toEqual({});
  });
  it("says what is wrong", () => {
    expect(saleProblems({ ...sale, quantity: 5, email: "x" }, tier)).toEqual({
      quantity: "This tier sells 1 to 4 per order.",
      email: "Enter the buyer's e-mail address: the tickets are sent there.",
    });
    expect(saleProblems(sale, undefined).tier).toBe("Choose a tier.");
    expect(saleProblems({ ...sale, seats: "A1" }, tier).seats).toBe("Name 2 seats, or leave this empty.");
  });
  it("splits seat labels", () => {
    expect(seatList(" A1, A2 ,,")).toEqual(["A1", "A2"]);
  });
  it("prices cash sales and comps", () => {
    expect(saleTotal(sale, tier)).toBe("€100.00");
    expect(saleTotal({ ...sale, payment: "COMP" }, tier)).toBe("€0.00 (complimentary)");
  });
});
