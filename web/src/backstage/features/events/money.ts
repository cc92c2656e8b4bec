/**
 * Money as Backstage takes it: the promoter types a decimal amount in the
 * event's currency ("12.50"), the API wants integer minor units (1250).
 * No floating point: the digits are moved, not multiplied.
 */

/** Decimal places of `currency`'s minor unit (2 for GBP, 0 for JPY, 3 for KWD). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "12.5" in GBP → 1250; "1,000" → 100000; null when it is not an amount
 * (negative, letters, or more decimals than the currency has).
 */
export function parseMinor(text: string, currency: string): number | null {
  return parseFixed(text, minorDigits(currency));
}

/** A non-negative decimal with at most `digits` decimals, as an integer of its `digits`-th parts ("2.5", 2 → 250). */
export function parseFixed(text: string, digits: number): number | null {
  const t = text.trim().replace(/[,\s]/g, "");
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || t === "" || t === ".") return null;
  const whole = m[1] ?? "";
  const frac = m[2] ?? "";
  if (frac.length > digits) return null;
  const minor = Number(`${whole || "0"}${frac.padEnd(digits, "0")}`);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 1250 in GBP → "12.50" (for an input's value). */
export function minorToDecimal(minor: number, currency: string): string {
  return fixedToDecimal(minor, minorDigits(currency));
}

/** 250 with 2 digits → "2.50" (basis points as a percentage, say). */
export function fixedToDecimal(value: number, digits: number): string {
  const minor = value;
  const sign = minor < 0 ? "-" : "";
  const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${s}` : `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** 1250 in GBP → "£12.50" (for reading). */
export function formatMinor(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(minor / 10 ** digits);
  } catch {
    return `${minorToDecimal(minor, currency)} ${currency}`;
  }
}
