import { describe, expect, it } from "vitest";
import { boundsOf, buyerFeatures, radiusOf } from "./buyerMap";

const york = { latitude: 53.95, longitude: -1.05, orders: 3 };
const london = { latitude: 51.55, longitude: -0.15, orders: 1 };

describe("buyer map", () => {
  it("puts each area at its longitude, latitude", () => {
    const f = buyerFeatures([york]);
    expect(f.features[0]?.geometry.coordinates).toEqual([-1.05, 53.95]);
    expect(f.features[0]?.properties.orders).toBe(3);
    expect(f.features[0]?.properties.radius).toBe(24);
  });
  it("fits every area with a margin, and nothing for no areas", () => {
    expect(boundsOf([])).toBeNull();
    const bounds = boundsOf([york, london]);
    expect(bounds?.flat().map((x) => Math.round(x * 100) / 100)).toEqual([-1.1, 51.5, -0.1, 54]);
  });
  it("draws more orders bigger", () => {
    expect(radiusOf(3, 3)).toBeGreaterThan(radiusOf(1, 3));
    expect(radiusOf(1, 0)).toBe(24);
  });
});
