/** Money and dates as the buyer's language writes them (Intl). */

const digitsCache = new Map<string, number>();

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, BHD 3). */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    try {
      d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      d = 2;
    }
    digitsCache.set(currency, d);
  }
  return d;
}

/** An amount in minor units (cents) of `currency`, e.g. 1999 EUR in "de" → "19,99 €". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** A moment (RFC 3339 text, ms since the epoch or a Date) with date and time. */
export function formatDateTime(value: string | number | Date, locale: string, timeZone?: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short", timeZone }).format(d);
}

/** A short date, e.g. for a list of orders. */
export function formatDate(value: string | number | Date, locale: string, timeZone?: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(d);
}

/** Milliseconds left as m:ss (0:00 at the end). */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * The clock an event's times are written in: the venue's IANA timezone;
 * without one, the UTC offset its local times carry (`…+01:00`); else UTC.
 */
export interface EventZone {
  /** An IANA name for Intl's `timeZone` option. */
  timeZone: string;
  /** Minutes added to a moment before formatting it in `timeZone` (an offset without a zone name). */
  shiftMinutes: number;
  /** How the zone is named next to the times: `Europe/London`, `UTC+01:00`, `UTC`. */
  label: string;
}

const zoneCache = new Map<string, boolean>();

/** Whether Intl knows the IANA timezone `name`. */
export function knownTimeZone(name: string): boolean {
  let ok = zoneCache.get(name);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: name });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(name, ok);
  }
  return ok;
}

/** The UTC offset in minutes an RFC 3339 time ends with (`Z` 0, `+05:30` 330); null when none. */
export function offsetMinutesOf(rfc3339: string | null | undefined): number | null {
  const m = /(?:([+-])(\d{2}):?(\d{2})|[zZ])$/.exec(rfc3339 ?? "");
  if (!m) return null;
  if (!m[1]) return 0;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** The zone of an event: its venue's `timezone`, else the offset of one of its local times, else UTC. */
export function eventZone(timezone: string | null | undefined, localSample?: string | null): EventZone {
  if (timezone && knownTimeZone(timezone)) return { timeZone: timezone, shiftMinutes: 0, label: timezone };
  const offset = offsetMinutesOf(localSample);
  if (!offset) return { timeZone: "UTC", shiftMinutes: 0, label: "UTC" };
  const abs = Math.abs(offset);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  return { timeZone: "UTC", shiftMinutes: offset, label: `UTC${offset < 0 ? "-" : "+"}${hhmm}` };
}

function inZone(value: string | number | Date, zone: EventZone): Date {
  return new Date(new Date(value).getTime() + zone.shiftMinutes * 60_000);
}

/** A moment with date and time on the event's clock, the zone named: "Saturday, 1 May 2027 at 19:00 (Europe/London)". */
export function formatEventDateTime(value: string | number | Date, locale: string, zone: EventZone): string {
  const d = inZone(value, zone);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${formatDateTime(d, locale, zone.timeZone)} (${zone.label})`;
}

/** One day of an event on its clock: its date, and when doors open, the show starts and ends. */
export function formatEventDay(
  day: { doorsAt: string; startsAt: string; endsAt: string },
  locale: string,
  zone: EventZone,
): { date: string; doors: string; start: string; end: string } {
  const date = new Intl.DateTimeFormat(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: zone.timeZone,
  });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: zone.timeZone });
  const fmt = (f: Intl.DateTimeFormat, v: string) => {
    const d = inZone(v, zone);
    return Number.isNaN(d.getTime()) ? v : f.format(d);
  };
  return {
    date: fmt(date, day.startsAt),
    doors: fmt(time, day.doorsAt),
    start: fmt(time, day.startsAt),
    end: fmt(time, day.endsAt),
  };
}
