import { describe, expect, it } from "vitest";
import { laterState, toOrderState } from "./state";

describe("order states", () => {
  it("reads orderStatus's CamelCase as OrderState", () => {
    expect(toOrderState("AwaitingPayment")).toBe("AWAITING_PAYMENT");
    expect(toOrderState("PaymentFailed")).toBe("PAYMENT_FAILED");
    expect(toOrderState("Completed")).toBe("COMPLETED");
    expect(toOrderState("COMPLETED")).toBe("COMPLETED");
  });

  it("keeps the later of two reports", () => {
    expect(laterState("AWAITING_PAYMENT", "COMPLETED")).toBe("COMPLETED");
    expect(laterState("COMPLETED", "PAID")).toBe("COMPLETED");
    expect(laterState(undefined, "PAID")).toBe("PAID");
    expect(laterState("PAID", undefined)).toBe("PAID");
  });
});
