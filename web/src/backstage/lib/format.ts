/** Backstage's money, counts and times, in English (Intl). */
import { formatMoney } from "../../i18n/format";

const LOCALE = "en-GB";

/** Integer minor units of `currency` as money, e.g. 1999 EUR → "€19.99". */
export function money(minor: number, currency: string): string {
  return formatMoney(minor, currency, LOCALE);
}

/** A whole number with thousands separators. */
export function count(n: number): string {
  return new Intl.NumberFormat(LOCALE).format(n);
}

/** "1 ticket", "3 tickets". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

/** A moment (ms since the epoch or RFC 3339) as a short date and time, e.g. "7 Dec 2026, 17:36". */
export function dateTime(value: number | string, timeZone?: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
}

/** The time of day of a moment, e.g. "19:04". */
export function timeOfDay(value: number | string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(LOCALE, { timeStyle: "short" }).format(d);
}

/** The part of a `<namespace>/<name>` slug after the slash (the slug itself when it has none). */
export function nameOfSlug(slug: string): string {
  const i = slug.indexOf("/");
  return i < 0 ? slug : slug.slice(i + 1);
}

/** The message of anything thrown: an ApiError's or an Error's text. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
