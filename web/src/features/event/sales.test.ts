import { describe, expect, it } from "vitest";
import { nextMoment, salesOf, type TierSalesInput } from "./sales";

const T0 = Date.parse("2027-01-01T12:00:00Z");
const tier = (more: Partial<TierSalesInput> = {}): TierSalesInput => ({
  salesState: "ON_SALE",
  salesStartAt: "2026-12-01T00:00:00Z",
  salesEndAt: null,
  available: 10,
  ...more,
});

describe("a tier's sales state", () => {
  it("is the API's while nothing changed", () => {
    expect(salesOf(tier(), T0)).toBe("ON_SALE");
    expect(salesOf(tier({ salesState: "SALES_ENDED" }), T0)).toBe("SALES_ENDED");
    expect(salesOf(tier({ salesState: "SOLD_OUT", available: 0 }), T0)).toBe("SOLD_OUT");
    expect(salesOf(tier({ salesState: "NOT_YET_ON_SALE", salesStartAt: "2027-02-01T00:00:00Z" }), T0)).toBe(
      "NOT_YET_ON_SALE",
    );
  });

  it("opens when salesStartAt passes and ends at salesEndAt", () => {
    const later = tier({ salesState: "NOT_YET_ON_SALE", salesStartAt: "2027-01-01T12:00:00Z" });
    expect(salesOf(later, T0 - 1)).toBe("NOT_YET_ON_SALE");
    expect(salesOf(later, T0)).toBe("ON_SALE");
    const ending = tier({ salesEndAt: "2027-01-01T12:00:00Z" });
    expect(salesOf(ending, T0 - 1)).toBe("ON_SALE");
    expect(salesOf(ending, T0)).toBe("SALES_ENDED");
  });

  it("follows the live figure: 0 is sold out, more undoes SOLD_OUT, unknown keeps it", () => {
    expect(salesOf(tier(), T0, 0)).toBe("SOLD_OUT");
    expect(salesOf(tier({ salesState: "SOLD_OUT", available: 0 }), T0, 2)).toBe("ON_SALE");
    expect(salesOf(tier({ salesState: "SOLD_OUT", available: 0 }), T0, null)).toBe("SOLD_OUT");
    expect(salesOf(tier({ available: null }), T0, null)).toBe("ON_SALE");
  });

  it("is CLOSED when a hold found it off sale, and never sold out after its end", () => {
    expect(salesOf(tier(), T0, 5, true)).toBe("CLOSED");
    expect(salesOf(tier({ salesState: "SALES_ENDED" }), T0, 0)).toBe("SALES_ENDED");
  });

  it("knows the next moment to look again", () => {
    expect(nextMoment(["2027-01-01T11:00:00Z", null, "2027-03-01T00:00:00Z", "2027-02-01T00:00:00Z"], T0)).toBe(
      Date.parse("2027-02-01T00:00:00Z"),
    );
    expect(nextMoment(["2026-01-01T00:00:00Z", undefined, "soon"], T0)).toBeNull();
  });
});
