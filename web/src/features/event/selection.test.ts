import { describe, expect, it } from "vitest";
import { EMPTY, maxOf, setQuantity, toggleSeat, wantedOf, type TierInfo } from "./selection";

const tier = (name: string, available: number | null, perOrderMax = 10): TierInfo => ({
  name,
  displayName: name.toUpperCase(),
  priceMinor: 1000,
  currency: "EUR",
  perOrderMax,
  available,
});

describe("selection", () => {
  it("offers the per-order maximum, never more than is left", () => {
    expect(maxOf(tier("ga", 100, 8))).toBe(8);
    expect(maxOf(tier("ga", 3, 8))).toBe(3);
    expect(maxOf(tier("ga", 0, 8))).toBe(0);
    expect(maxOf(tier("ga", null, 8))).toBe(8);
  });

  it("holds what was picked, in the event's order, seats by label", () => {
    const tiers = [tier("ga", 100), tier("parking", 2), tier("balcony", 6)];
    let s = setQuantity(EMPTY, "parking", 5);
    s = setQuantity(s, "ga", 2);
    s = toggleSeat(s, "balcony", "A1", 4);
    s = toggleSeat(s, "balcony", "A2", 4);
    expect(wantedOf(tiers, s)).toEqual([
      { tier: "ga", displayName: "GA", quantity: 2, seats: [] },
      { tier: "parking", displayName: "PARKING", quantity: 2, seats: [] },
      { tier: "balcony", displayName: "BALCONY", quantity: 2, seats: ["A1", "A2"] },
    ]);
  });

  it("toggles seats up to the maximum", () => {
    let s = toggleSeat(EMPTY, "balcony", "A1", 1);
    s = toggleSeat(s, "balcony", "A2", 1);
    expect(s.seats.balcony).toEqual(["A1"]);
    s = toggleSeat(s, "balcony", "A1", 1);
    expect(s.seats.balcony).toEqual([]);
  });
});
