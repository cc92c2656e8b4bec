import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { clientAnswering, type Answer } from "../../test/client";
import { renderWith } from "../../test/render";
import type { HeldTier } from "./holds";
import { PaymentsContext, type LoadPayments, type PaymentMethodResult } from "./payment";
import { PaymentStep } from "./PaymentStep";

const holds: HeldTier[] = [
  {
    holdId: "h-1",
    tier: "ga",
    displayName: "General admission",
    quantity: 2,
    seats: [],
    expiresAtMs: Date.now() + 60_000,
  },
];

const config = { data: { portalConfig: { stripePublishableKey: "pk_test_1", stripeJsUrl: "http://stripe.test/v3/" } } };
const quote = {
  data: {
    quote: {
      lines: [{ tier: "ga", description: "General admission", quantity: 2, unitPriceMinor: 2500, amountMinor: 5000 }],
      charges: [],
      totalMinor: 5000,
      currency: "EUR",
    },
  },
};

const confirmed: string[] = [];

function fakePayments(results: PaymentMethodResult[]): LoadPayments {
  return async () => ({
    mountCard: (el) => {
      el.innerHTML = '<input aria-label="Card number">';
      return {
        paymentMethod: async () => results.shift() ?? { ok: false, reason: "failed", message: "none" },
        confirm: async (secret) => {
          confirmed.push(secret);
          return { ok: true };
        },
        destroy: () => undefined,
      };
    },
  });
}

function setup(
  createOrder: (name: string, variables: Record<string, unknown>) => Answer,
  results: PaymentMethodResult[],
) {
  const on = {
    onPaying: vi.fn(),
    onOrderPlaced: vi.fn(),
    onHoldsGone: vi.fn(),
    onPaymentFailed: vi.fn(),
    onCompleted: vi.fn(),
    onSignInAgain: vi.fn(),
  };
  const orders: Record<string, unknown>[] = [];
  const client = clientAnswering((name, op) => {
    if (name === "PortalConfig") return config;
    if (name === "Quote") return quote;
    if (name === "CreateOrder" || name === "PayOrder") {
      orders.push({ op: name, ...(op.variables as Record<string, unknown>) });
      return createOrder(name, op.variables as Record<string, unknown>);
    }
    if (name === "OrderState")
      return { data: { order: { id: "o-1", number: "SO-1", state: "COMPLETED", paymentError: null } } };
    if (name === "OrderStatus")
      return { data: { orderStatus: { orderId: "o-1", number: "SO-1", state: "Completed", paymentError: null } } };
    return { data: null };
  });
  renderWith(
    <PaymentsContext.Provider value={fakePayments(results)}>
      <PaymentStep
        event="acme/show"
        checkout="co-1"
        holds={holds}
        buyer={{ email: "ada@example.com", name: "Ada", phone: "+44 7700 900123", shareArea: false }}
        {...on}
      />
    </PaymentsContext.Provider>,
    client,
  );
  return { on, orders };
}

const order = (state: string, field = "createOrder", more: Record<string, unknown> = {}) => ({
  data: {
    [field]: {
      id: "o-1",
      number: "SO-1",
      state,
      totalMinor: 5000,
      currency: "EUR",
      paymentError: null,
      requiresAction: false,
      clientSecret: null,
      ...more,
    },
  },
});

describe("PaymentStep", () => {
  it("shows a decline at the card field and lets the buyer pay the same order with another card", async () => {
    const { on, orders } = setup(
      (name) =>
        name === "CreateOrder"
          ? { errors: [{ message: "Your card was declined.", extensions: { code: "PAYMENT_DECLINED" } }] }
          : order("COMPLETED", "payOrder"),
      [
        { ok: true, id: "card_declining" },
        { ok: true, id: "card_ok" },
      ],
    );
    const pay = await screen.findByRole("button", { name: "Pay €50.00" });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(pay);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe("Your card was declined. Try another card.");
    expect(screen.getByRole("group", { name: "Card details" }).getAttribute("aria-describedby")).toBe(alert.id);
    expect(on.onHoldsGone).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Pay €50.00" }));
    await waitFor(() => expect(on.onCompleted).toHaveBeenCalledWith({ id: "o-1", number: "SO-1" }));
    expect(orders.map((o) => [o.op, o.paymentMethod])).toEqual([
      ["CreateOrder", "card_declining"],
      ["PayOrder", "card_ok"],
    ]);
    expect(orders[0]?.orderId).toBe(orders[1]?.orderId);
    expect(orders[0]).toMatchObject({
      event: "acme/show",
      checkout: "co-1",
      holds: [{ holdId: "h-1", tier: "ga", quantity: 2, seats: [] }],
      buyer: { name: "Ada", email: "ada@example.com", phone: "+447700900123" },
    });
  });

  it("lets Stripe.js confirm a payment the bank wants the buyer for, then follows the order", async () => {
    confirmed.length = 0;
    const { on } = setup(
      () => order("AWAITING_PAYMENT", "createOrder", { requiresAction: true, clientSecret: "pi_9_secret_x" }),
      [{ ok: true, id: "pm_3ds" }],
    );
    const pay = await screen.findByRole("button", { name: "Pay €50.00" });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(pay);
    await waitFor(() => expect(on.onCompleted).toHaveBeenCalledWith({ id: "o-1", number: "SO-1" }));
    expect(confirmed).toEqual(["pi_9_secret_x"]);
    expect(on.onOrderPlaced).toHaveBeenCalled();
  });

  it("says the hold ran out when the gateway says HOLD_ENDED", async () => {
    const { on } = setup(
      () => ({ errors: [{ message: "gone", extensions: { code: "HOLD_ENDED" } }] }),
      [{ ok: true, id: "pm_1" }],
    );
    const pay = await screen.findByRole("button", { name: "Pay €50.00" });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(pay);
    await waitFor(() => expect(on.onHoldsGone).toHaveBeenCalled());
  });

  it("asks for the card before anything is ordered", async () => {
    const { orders } = setup(() => order("COMPLETED"), [{ ok: false, reason: "empty", message: "" }]);
    const pay = await screen.findByRole("button", { name: "Pay €50.00" });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(pay);
    expect((await screen.findByRole("alert")).textContent).toBe("Enter your card details.");
    expect(orders).toEqual([]);
  });
});
