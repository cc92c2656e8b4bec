/**
 * Money as Backstage takes it: the promoter types a decimal amount in the
 * event's currency ("12.50"), the API wants integer minor units (1250).
 * No floating point: the digits are moved, not multiplied. What a
 * currency's minor unit is, and how money reads, is the portal's
 * (`i18n/format.ts`), so Backstage and the buyer see the same.
 */
import { currencyDigits } from "../../../i18n/format";

/** Decimal places of `currency`'s minor unit (2 for GBP, 0 for JPY, 3 for KWD): the portal's. */
export { currencyDigits as minorDigits } from "../../../i18n/format";

/**
 * "12.5" in GBP → 1250; "1,000" → 100000; null when it is not an amount
 * (see `moneyProblem` for why).
 */
export function parseMinor(text: string, currency: string): number | null {
  return parseFixed(text, currencyDigits(currency));
}

/** Why `text` is not an amount in `currency`, told as what to type instead; null when it is one. */
export function moneyProblem(text: string, currency: string): string | null {
  return fixedProblem(text, currencyDigits(currency));
}

/**
 * A non-negative decimal with at most `digits` decimals, as an integer of its
 * `digits`-th parts ("2.5", 2 → 250). The point is the decimal mark and a
 * comma only groups thousands ("1,250.00"), so "12,50" is refused rather
 * than read as 1250.
 */
export function parseFixed(text: string, digits: number): number | null {
  const read = readFixed(text, digits);
  return typeof read === "number" ? read : null;
}

/** Why `text` is not what `parseFixed` takes, told as what to type instead; null when it is. */
export function fixedProblem(text: string, digits: number): string | null {
  const read = readFixed(text, digits);
  return typeof read === "number" ? null : read.problem;
}

/** The whole part: plain digits, or groups of three after a first group of one to three not starting with 0. */
const WHOLE = /^(?:\d*|[1-9]\d{0,2}(?:,\d{3})+)$/;

/** The number `text` stands for, or what is wrong with it. */
function readFixed(text: string, digits: number): number | { problem: string } {
  const example = digits === 0 ? "12" : `12.${"5".padEnd(digits, "0")}`;
  const t = text.trim();
  if (t === "" || t === ".") return { problem: `Type an amount, e.g. ${example}` };
  if (!/^[\d.,]+$/.test(t)) return { problem: `Only digits and a decimal point, e.g. ${example}` };
  const [whole = "", frac = "", ...more] = t.split(".");
  if (more.length > 0) return { problem: `Use one point for decimals, e.g. ${example}` };
  if (frac.includes(",") || !WHOLE.test(whole))
    return {
      problem:
        digits === 0
          ? "Commas only between thousands, e.g. 1,250"
          : `Use a point for decimals, e.g. ${example} (commas only between thousands, e.g. 1,250)`,
    };
  if (frac.length > digits)
    return { problem: digits === 0 ? "A whole amount, e.g. 12" : `At most ${digits} decimals, e.g. ${example}` };
  const value = Number(`${whole.replaceAll(",", "") || "0"}${frac.padEnd(digits, "0")}`);
  return Number.isSafeInteger(value) ? value : { problem: "Too large an amount" };
}

/** 1250 in GBP → "12.50" (for an input's value). */
export function minorToDecimal(minor: number, currency: string): string {
  return fixedToDecimal(minor, currencyDigits(currency));
}

/** 250 with 2 digits → "2.50" (basis points as a percentage, say). */
export function fixedToDecimal(value: number, digits: number): string {
  const minor = value;
  const sign = minor < 0 ? "-" : "";
  const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${s}` : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** 1250 in GBP → "£12.50" (for reading): Backstage's `money`, which is the portal's formatting. */
export { money as formatMinor } from "../../lib/format";
