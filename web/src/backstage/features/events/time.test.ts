import { describe, expect, it } from "vitest";
import { fromLocalInput, toLocalInput } from "./time";

describe("local date-time inputs", () => {
  it("turns a local input into UTC and back", () => {
    const iso = fromLocalInput("2027-06-01T19:30");
    expect(iso).toBe(new Date(2027, 5, 1, 19, 30).toISOString());
    expect(toLocalInput(iso)).toBe("2027-06-01T19:30");
  });

  it("refuses what is not a time", () => {
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("2027-02-30T10:00")).toBeNull();
    expect(fromLocalInput("tomorrow")).toBeNull();
    expect(toLocalInput(null)).toBe("");
    expect(toLocalInput("garbage")).toBe("");
  });
});
