import { describe, expect, it, vi } from "vitest";
import {
  confirmWith,
  labelStandInInputs,
  loadScript,
  paymentMethodOf,
  type StripeCardElement,
  type StripeLike,
} from "./payment";

const card: StripeCardElement = { mount: () => undefined, destroy: () => undefined };

function stripe(parts: Partial<StripeLike>): StripeLike {
  return {
    elements: () => ({ create: () => card }),
    createPaymentMethod: async () => undefined,
    createToken: async () => ({}),
    confirmCardPayment: async () => ({ paymentIntent: { status: "succeeded" } }),
    ...parts,
  };
}

describe("the payment method of a card", () => {
  it("is Stripe.js's PaymentMethod when it makes one", async () => {
    const createToken = vi.fn();
    const s = stripe({ createPaymentMethod: async () => ({ paymentMethod: { id: "pm_123" } }), createToken });
    expect(await paymentMethodOf(s, card)).toEqual({ ok: true, id: "pm_123" });
    expect(createToken).not.toHaveBeenCalled();
  });

  it("is the token's card id when createPaymentMethod answers nothing (localstripe)", async () => {
    const createToken = vi.fn(async () => ({ token: { id: "tok_1", card: { id: "card_abc" } } }));
    const s = stripe({ createPaymentMethod: async () => undefined, createToken });
    expect(await paymentMethodOf(s, card)).toEqual({ ok: true, id: "card_abc" });
    expect(createToken).toHaveBeenCalledWith(card);
  });

  it("is a decline when the card is declined", async () => {
    const s = stripe({
      createToken: async () => ({
        error: { type: "card_error", code: "card_declined", message: "Your card was declined." },
      }),
    });
    expect(await paymentMethodOf(s, card)).toEqual({
      ok: false,
      reason: "declined",
      message: "Your card was declined.",
    });
  });

  it("is a problem with the details when Stripe.js finds one", async () => {
    const s = stripe({
      createPaymentMethod: async () => ({
        error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." },
      }),
    });
    expect(await paymentMethodOf(s, card)).toEqual({
      ok: false,
      reason: "invalid",
      message: "Your card number is incomplete.",
    });
  });

  it("asks for the card when nothing was typed (localstripe throws)", async () => {
    const s = stripe({
      createToken: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'card')");
      },
    });
    expect((await paymentMethodOf(s, card)).ok).toBe(false);
    expect(await paymentMethodOf(s, card)).toMatchObject({ reason: "empty" });
  });

  it("fails plainly when neither answers an id", async () => {
    expect(await paymentMethodOf(stripe({}), card)).toMatchObject({ ok: false, reason: "failed" });
  });
});

describe("a payment the bank wants the buyer to confirm (3-D Secure)", () => {
  it("is confirmed by Stripe.js with the client secret", async () => {
    const confirmCardPayment = vi.fn(async () => ({ paymentIntent: { status: "succeeded" } }));
    expect(await confirmWith(stripe({ confirmCardPayment }), "pi_1_secret_2")).toEqual({ ok: true });
    expect(confirmCardPayment).toHaveBeenCalledWith("pi_1_secret_2");
  });

  it("fails when the buyer (or bank) does not confirm it", async () => {
    const s = stripe({
      confirmCardPayment: async () => ({
        error: { code: "payment_intent_authentication_failure", message: "The authentication failed." },
      }),
    });
    expect(await confirmWith(s, "pi_1_secret_2")).toEqual({
      ok: false,
      reason: "failed",
      message: "The authentication failed.",
    });
  });
});

describe("localstripe's card inputs", () => {
  it("get names and autocomplete hints", () => {
    const el = document.createElement("div");
    el.innerHTML = ["number", "exp_month", "exp_year", "cvc", "postal_code"]
      .map((p) => `<input type="text" placeholder="${p}">`)
      .join("");
    labelStandInInputs(el, {
      number: "Card number",
      expMonth: "Expiry month",
      expYear: "Expiry year",
      cvc: "CVC",
      postalCode: "Postal code",
    });
    const number = el.querySelector('input[placeholder="number"]');
    expect(number?.getAttribute("aria-label")).toBe("Card number");
    expect(number?.getAttribute("autocomplete")).toBe("cc-number");
    expect(el.querySelector('input[placeholder="postal_code"]')?.getAttribute("aria-label")).toBe("Postal code");
  });
});

describe("loading Stripe.js", () => {
  it("adds its script once", () => {
    const a = loadScript("https://js.example/v3/");
    const b = loadScript("https://js.example/v3/");
    expect(a).toBe(b);
    expect(document.querySelectorAll('script[src="https://js.example/v3/"]').length).toBe(1);
    const script = document.querySelector<HTMLScriptElement>('script[src="https://js.example/v3/"]');
    script?.onload?.(new Event("load"));
    return a;
  });
});
