import { describe, expect, it } from "vitest";
import { fixedToDecimal, formatMinor, minorDigits, minorToDecimal, parseFixed, parseMinor } from "./money";

describe("money in minor units", () => {
  it.each([
    ["12.50", "GBP", 1250],
    ["12.5", "GBP", 1250],
    ["12", "GBP", 1200],
    ["0", "GBP", 0],
    [".5", "EUR", 50],
    ["1,000.01", "USD", 100001],
    [" 7 ", "GBP", 700],
    ["1500", "JPY", 1500],
    ["1.234", "KWD", 1234],
    ["0.1", "GBP", 10],
    ["19.99", "GBP", 1999],
  ])("%s %s is %i", (text, currency, minor) => {
    expect(parseMinor(text, currency)).toBe(minor);
  });

  it.each([
    ["12.345", "GBP"],
    ["1.5", "JPY"],
    ["-1", "GBP"],
    ["abc", "GBP"],
    ["", "GBP"],
    [".", "GBP"],
    ["1.2.3", "GBP"],
  ])("%s %s is not an amount", (text, currency) => {
    expect(parseMinor(text, currency)).toBeNull();
  });

  it("knows the minor digits of currencies", () => {
    expect(minorDigits("GBP")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(minorDigits("nonsense")).toBe(2);
  });

  it("turns minor units back into the decimal an input shows", () => {
    expect(minorToDecimal(1250, "GBP")).toBe("12.50");
    expect(minorToDecimal(5, "GBP")).toBe("0.05");
    expect(minorToDecimal(1500, "JPY")).toBe("1500");
    expect(fixedToDecimal(250, 2)).toBe("2.50");
    expect(parseFixed("2.5", 2)).toBe(250);
    for (const m of [0, 1, 99, 100, 123456]) expect(parseMinor(minorToDecimal(m, "GBP"), "GBP")).toBe(m);
  });

  it("formats for reading", () => {
    expect(formatMinor(1250, "GBP")).toBe("£12.50");
  });
});
