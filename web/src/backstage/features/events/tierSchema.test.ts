import { describe, expect, it } from "vitest";
import {
  codesOf,
  tierDefaults,
  tierEditDefaults,
  tierSchema,
  toCreateTierInput,
  toUpdateTierInput,
  type TierValues,
} from "./tierSchema";

const tier: TierValues = {
  ...tierDefaults,
  name: "ga",
  displayName: "General admission",
  price: "25.50",
  quantity: "500",
};

describe("the create-tier form", () => {
  it("sends the price in minor units of the event's currency", () => {
    expect(tierSchema("GBP").safeParse(tier).success).toBe(true);
    expect(toCreateTierInput(tier, "summer", "GBP")).toEqual({
      name: "ga",
      event: "summer",
      displayName: "General admission",
      kind: "ADMISSION",
      price: { amountMinor: 2550, currency: "GBP" },
      quantity: 500,
      visibility: "PUBLIC",
    });
    expect(toCreateTierInput({ ...tier, price: "3000" }, "summer", "JPY").price).toEqual({
      amountMinor: 3000,
      currency: "JPY",
    });
  });

  it("refuses a decimal comma, saying to type a point", () => {
    const r = tierSchema("GBP").safeParse({ ...tier, price: "12,50" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.find((i) => i.path[0] === "price")?.message).toMatch(/Use a point for decimals/);
  });

  it("sends per-order limits, section, tables and promo codes when given", () => {
    const input = toCreateTierInput(
      {
        ...tier,
        perOrderMin: "2",
        perOrderMax: "4",
        section: "floor",
        tableSeats: "8",
        visibility: "PROMO_CODE",
        promoCodes: "VIP, friends",
      },
      "summer",
      "GBP",
    );
    expect(input).toMatchObject({
      perOrder: { min: 2, max: 4 },
      section: "floor",
      tableSeats: 8,
      visibility: "PROMO_CODE",
      promoCodes: ["VIP", "friends"],
    });
  });

  it("refuses a price with too many decimals, and limits in the wrong order", () => {
    const r = tierSchema("GBP").safeParse({ ...tier, price: "1.234", perOrderMin: "5", perOrderMax: "2" });
    expect(r.error?.issues.map((i) => i.path.join(".")).sort()).toEqual(["perOrderMax", "price"]);
    expect(tierSchema("JPY").safeParse({ ...tier, price: "1.5" }).success).toBe(false);
  });

  it("reads promo codes separated by commas or spaces", () => {
    expect(codesOf(" A, b  c,,")).toEqual(["A", "b", "c"]);
  });
});

describe("editing a tier", () => {
  const t = {
    displayName: "GA",
    priceMinor: 2500,
    currency: "GBP",
    quantity: 100,
    perOrder: { min: 1, max: 10 },
    visibility: "PUBLIC" as const,
  };
  it("sends only what changed, the price in minor units", () => {
    const before = tierEditDefaults(t);
    expect(before.price).toBe("25.00");
    expect(toUpdateTierInput({ ...before, price: "25" }, before, "GBP")).toEqual({});
    expect(toUpdateTierInput({ ...before, price: "30.5", visibility: "HIDDEN" }, before, "GBP")).toEqual({
      price: { amountMinor: 3050 },
      visibility: "HIDDEN",
    });
    expect(toUpdateTierInput({ ...before, perOrderMax: "4" }, before, "GBP")).toEqual({ perOrder: { min: 1, max: 4 } });
  });
});
