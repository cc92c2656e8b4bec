import { describe, expect, it } from "vitest";
import { layoutPlan, MAX_DOTS, PLAN_WIDTH, seatsOf, type Shape } from "./plan";

function first<T>(list: readonly T[], i = 0): T {
  const x = list[i];
  if (x === undefined) throw new Error(`no item ${i}`);
  return x;
}

const of = (shapes: Shape[], kind: Shape["kind"]) => shapes.filter((s) => s.kind === kind);

describe("the venue plan", () => {
  it("draws general admission as a box with its capacity", () => {
    const plan = layoutPlan([{ name: "floor", kind: "ga", capacity: 500 }]);
    const band = first(plan.bands);
    expect(of(band.shapes, "box")).toHaveLength(1);
    expect(of(band.shapes, "text").map((t) => (t.kind === "text" ? t.text : ""))).toContain("Standing · 500");
    expect(plan.summary).toBe("1 section: floor: general admission for 500 people.");
  });

  it("draws a seated section as rows of seat dots inside the plan", () => {
    const band = first(layoutPlan([{ name: "stalls", kind: "seated", rows: 4, seatsPerRow: 12 }]).bands);
    const seats = of(band.shapes, "seat");
    expect(seats).toHaveLength(48);
    expect(new Set(seats.map((s) => s.y)).size).toBe(4);
    for (const s of seats) {
      expect(s.x).toBeGreaterThan(0);
      expect(s.x).toBeLessThan(PLAN_WIDTH);
      expect(s.y).toBeGreaterThan(band.y);
      expect(s.y).toBeLessThan(band.y + band.height);
    }
  });

  it("draws tables as circles labelled T1…Tn with their seats around", () => {
    const band = first(layoutPlan([{ name: "cabaret", kind: "tables", tables: 14, seatsPerTable: 6 }]).bands);
    const tables = of(band.shapes, "table");
    expect(tables.map((t) => (t.kind === "table" ? t.label : ""))).toEqual(
      Array.from({ length: 14 }, (_, i) => `T${i + 1}`),
    );
    expect(of(band.shapes, "seat")).toHaveLength(14 * 6);
    expect(band.summary).toBe("cabaret: 14 tables of 6 seats, each sold whole");
  });

  it("stacks sections without overlap and sizes the picture to them", () => {
    const plan = layoutPlan([
      { name: "floor", kind: "ga", capacity: 200 },
      { name: "stalls", kind: "seated", rows: 10, seatsPerRow: 20 },
      { name: "cabaret", kind: "tables", tables: 30, seatsPerTable: 8 },
    ]);
    for (let i = 1; i < plan.bands.length; i++) {
      const prev = first(plan.bands, i - 1);
      expect(first(plan.bands, i).y).toBeGreaterThanOrEqual(prev.y + prev.height);
    }
    const last = first(plan.bands, plan.bands.length - 1);
    expect(plan.height).toBeGreaterThanOrEqual(last.y + last.height);
  });

  it("draws a huge section as a box with its count instead of thousands of dots", () => {
    const band = first(layoutPlan([{ name: "arena", kind: "seated", rows: 100, seatsPerRow: 100 }]).bands);
    expect(of(band.shapes, "seat")).toHaveLength(0);
    expect(seatsOf({ name: "arena", kind: "seated", rows: 100, seatsPerRow: 100 })).toBeGreaterThan(MAX_DOTS);
  });

  it("lays out labelled seats in rows", () => {
    const labels = Array.from({ length: 70 }, (_, i) => `A${i + 1}`);
    const band = first(layoutPlan([{ name: "box", kind: "seated", seatLabels: labels }]).bands);
    expect(of(band.shapes, "seat")).toHaveLength(70);
  });

  it("says when there is nothing to draw", () => {
    expect(layoutPlan([]).summary).toBe("No sections yet.");
  });
});
