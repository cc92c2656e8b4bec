import { describe, expect, it } from "vitest";
import {
  fixedProblem,
  fixedToDecimal,
  formatMinor,
  minorDigits,
  minorToDecimal,
  moneyProblem,
  parseFixed,
  parseMinor,
} from "./money";

describe("money in minor units", () => {
  it.each([
    ["12.50", "GBP", 1250],
    ["12.5", "GBP", 1250],
    ["12", "GBP", 1200],
    ["0", "GBP", 0],
    [".5", "EUR", 50],
    ["1,000.01", "USD", 100001],
    ["1,250.00", "GBP", 125000],
    ["1,250", "GBP", 125000],
    ["12,500", "GBP", 1250000],
    ["1,234,567.89", "EUR", 123456789],
    ["1,500", "JPY", 1500],
    ["12.", "GBP", 1200],
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
    ["12,50", "GBP"],
    ["1,25,0", "GBP"],
    ["12.5.0", "GBP"],
    ["1.250,00", "EUR"],
    ["0,500", "GBP"],
    [",5", "GBP"],
    ["1,2500", "GBP"],
    ["1 000", "GBP"],
  ])("%s %s is not an amount", (text, currency) => {
    expect(parseMinor(text, currency)).toBeNull();
    expect(moneyProblem(text, currency)).not.toBeNull();
  });

  it.each([
    ["12,50", "GBP", "Use a point for decimals, e.g. 12.50 (commas only between thousands, e.g. 1,250)"],
    ["1,25,0", "GBP", "Use a point for decimals, e.g. 12.50 (commas only between thousands, e.g. 1,250)"],
    ["1.250,00", "EUR", "Use a point for decimals, e.g. 12.50 (commas only between thousands, e.g. 1,250)"],
    ["12,5", "JPY", "Commas only between thousands, e.g. 1,250"],
    ["12.5.0", "GBP", "Use one point for decimals, e.g. 12.50"],
    ["12.345", "GBP", "At most 2 decimals, e.g. 12.50"],
    ["1.2345", "KWD", "At most 3 decimals, e.g. 12.500"],
    ["1.5", "JPY", "A whole amount, e.g. 12"],
    ["-1", "GBP", "Only digits and a decimal point, e.g. 12.50"],
    ["£12", "GBP", "Only digits and a decimal point, e.g. 12.50"],
    ["", "GBP", "Type an amount, e.g. 12.50"],
    ["99999999999999999", "GBP", "Too large an amount"],
  ])("%s %s is refused saying what to type", (text, currency, problem) => {
    expect(moneyProblem(text, currency)).toBe(problem);
  });

  it("has no problem with an amount it takes", () => {
    expect(moneyProblem("1,250.00", "GBP")).toBeNull();
    expect(fixedProblem("2.5", 2)).toBeNull();
    expect(fixedProblem("2,5", 2)).toMatch(/^Use a point for decimals/);
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
    expect(formatMinor(1500, "JPY")).toBe("JP¥1,500");
  });
});
