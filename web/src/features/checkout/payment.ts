/**
 * Card payments behind one small interface (so tests can fake it): load
 * Stripe.js from the address the gateway names (`portalConfig`; Stripe's
 * own, or localstripe's stand-in in development and tests), mount a card
 * element, and make a payment method id of the card for `createOrder`.
 */
import { createContext } from "react";

export type PaymentMethodResult =
  { ok: true; id: string } | { ok: false; reason: "declined" | "invalid" | "empty" | "failed"; message: string };

export type ConfirmResult = { ok: true } | { ok: false; reason: "declined" | "invalid" | "failed"; message: string };

export interface CardField {
  /** A `pm_…` (or, from localstripe, a `card_…`) id of the card as entered. */
  paymentMethod(): Promise<PaymentMethodResult>;
  /** The buyer's part of a payment the card's bank wants confirmed (3-D Secure), by the order's client secret. */
  confirm(clientSecret: string): Promise<ConfirmResult>;
  destroy(): void;
}

/** Names for the inputs of a card element that renders them in our page (localstripe's stand-in does). */
export interface CardLabels {
  number: string;
  expMonth: string;
  expYear: string;
  cvc: string;
  postalCode: string;
}

export interface Payments {
  mountCard(el: HTMLElement, labels: CardLabels): CardField;
}

export interface PaymentsConfig {
  publishableKey: string;
  jsUrl: string;
  locale: string;
}

export type LoadPayments = (config: PaymentsConfig) => Promise<Payments>;

// ---- Stripe.js, as much of it as the portal uses ----

export interface StripeError {
  type?: string;
  code?: string;
  decline_code?: string;
  message?: string;
}

export interface StripeCardElement {
  mount(el: HTMLElement | string): void;
  destroy(): void;
}

export interface StripeLike {
  elements(options?: Record<string, unknown>): {
    create(type: "card", options?: Record<string, unknown>): StripeCardElement;
  };
  createPaymentMethod(data: {
    type: "card";
    card: StripeCardElement;
  }): Promise<{ paymentMethod?: { id: string }; error?: StripeError } | undefined>;
  createToken(card: StripeCardElement): Promise<{ token?: { id: string; card?: { id: string } }; error?: StripeError }>;
  confirmCardPayment(clientSecret: string): Promise<{ paymentIntent?: { status?: string }; error?: StripeError }>;
}

type StripeFactory = (publishableKey: string, options?: Record<string, unknown>) => StripeLike;

declare global {
  interface Window {
    Stripe?: StripeFactory;
  }
}

function failure(error: StripeError): PaymentMethodResult {
  const message = error.message ?? "";
  if (error.code === "card_declined" || error.decline_code) return { ok: false, reason: "declined", message };
  return { ok: false, reason: "invalid", message };
}

/**
 * The payment method id of `card`: Stripe.js's createPaymentMethod, or,
 * when that answers nothing (localstripe's stand-in makes no
 * PaymentMethods), the card id (`card_…`) of a token from createToken.
 */
export async function paymentMethodOf(stripe: StripeLike, card: StripeCardElement): Promise<PaymentMethodResult> {
  try {
    const made = await stripe.createPaymentMethod({ type: "card", card });
    if (made?.error) return failure(made.error);
    if (made?.paymentMethod?.id) return { ok: true, id: made.paymentMethod.id };
    const tokened = await stripe.createToken(card);
    if (tokened?.error) return failure(tokened.error);
    const id = tokened?.token?.card?.id;
    if (id) return { ok: true, id };
    return { ok: false, reason: "failed", message: "no payment method" };
  } catch (e) {
    // localstripe throws on a card nobody typed into
    return { ok: false, reason: "empty", message: e instanceof Error ? e.message : String(e) };
  }
}

/** Stripe.js's confirmation of a payment that needs the buyer (3-D Secure). */
export async function confirmWith(stripe: StripeLike, clientSecret: string): Promise<ConfirmResult> {
  try {
    const r = await stripe.confirmCardPayment(clientSecret);
    if (r?.error) {
      const f = failure(r.error);
      return f.ok
        ? { ok: true }
        : { ok: false, reason: f.reason === "declined" ? "declined" : "failed", message: f.message };
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: "failed", message: e instanceof Error ? e.message : String(e) };
  }
}

const scripts = new Map<string, Promise<void>>();

/** Loads a classic <script> once (Stripe.js must come from its own address, not bundled). */
export function loadScript(src: string, doc: Document = document): Promise<void> {
  let loading = scripts.get(src);
  if (!loading) {
    loading = new Promise<void>((resolve, reject) => {
      const s = doc.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = () => resolve();
      s.onerror = () => {
        scripts.delete(src);
        s.remove();
        reject(new Error(`could not load ${src}`));
      };
      doc.head.appendChild(s);
    });
    scripts.set(src, loading);
  }
  return loading;
}

const STAND_IN_INPUTS: [string, keyof CardLabels, string][] = [
  ["number", "number", "cc-number"],
  ["exp_month", "expMonth", "cc-exp-month"],
  ["exp_year", "expYear", "cc-exp-year"],
  ["cvc", "cvc", "cc-csc"],
  ["postal_code", "postalCode", "postal-code"],
];

/** localstripe's card element is plain unlabelled inputs in our page: name them. */
export function labelStandInInputs(el: HTMLElement, labels: CardLabels) {
  for (const [placeholder, key, autocomplete] of STAND_IN_INPUTS) {
    const input = el.querySelector<HTMLInputElement>(`input[placeholder="${placeholder}"]`);
    if (!input || input.hasAttribute("aria-label")) continue;
    input.setAttribute("aria-label", labels[key]);
    input.setAttribute("autocomplete", autocomplete);
    if (key !== "postalCode") input.setAttribute("inputmode", "numeric");
  }
}

const instances = new Map<string, StripeLike>();

export const loadStripePayments: LoadPayments = async ({ publishableKey, jsUrl, locale }) => {
  await loadScript(jsUrl);
  const factory = window.Stripe;
  if (!factory) throw new Error("Stripe.js did not load");
  let stripe = instances.get(publishableKey);
  if (!stripe) {
    stripe = factory(publishableKey, { locale });
    instances.set(publishableKey, stripe);
  }
  const s = stripe;
  return {
    mountCard(el, labels) {
      const card = s.elements({ locale }).create("card", { hidePostalCode: false });
      card.mount(el);
      labelStandInInputs(el, labels);
      return {
        paymentMethod: () => paymentMethodOf(s, card),
        confirm: (clientSecret) => confirmWith(s, clientSecret),
        destroy: () => card.destroy(),
      };
    },
  };
};

/** The payments in use: Stripe.js, or a fake a test provides. */
export const PaymentsContext = createContext<LoadPayments>(loadStripePayments);
