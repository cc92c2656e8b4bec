/** The analytics page's pure parts: the time range of a bucket size, and the series as chart rows. */
import type { BackstageAnalyticsQuery, Bucket } from "../../gql/graphql";
import { currencyDigits } from "../../../i18n/format";

export type Analytics = BackstageAnalyticsQuery;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const BUCKET_LABELS: Record<Bucket, string> = { HOUR: "By hour", DAY: "By day", WEEK: "By week" };

/** The longest range each bucket size is offered for (the API takes at most 2,000 buckets). */
export const MAX_DAYS: Record<Bucket, number> = { HOUR: 14, DAY: 366, WEEK: 730 };

/** The start (UTC) of the bucket `t` falls in. */
export function bucketStart(t: number, bucket: Bucket): number {
  switch (bucket) {
    case "HOUR":
      return Math.floor(t / HOUR) * HOUR;
    case "DAY":
      return Math.floor(t / DAY) * DAY;
    case "WEEK": {
      const day = Math.floor(t / DAY) * DAY;
      const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
      return day - sinceMonday * DAY;
    }
  }
}

const WIDTH: Record<Bucket, number> = { HOUR, DAY, WEEK: 7 * DAY };

/** `from` and `to` (RFC 3339, whole buckets) of the last `days` days up to `now`, clamped to what the bucket allows. */
export function rangeFor(bucket: Bucket, days: number, now: number): { from: string; to: string; days: number } {
  const d = Math.min(days, MAX_DAYS[bucket]);
  const to = bucketStart(now, bucket) + WIDTH[bucket];
  const from = bucketStart(now - d * DAY, bucket);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), days: d };
}

/** A bucket's start as the axis shows it. */
export function bucketLabel(start: string, bucket: Bucket): string {
  const d = new Date(start);
  if (Number.isNaN(d.getTime())) return start;
  const opts: Intl.DateTimeFormatOptions =
    bucket === "HOUR"
      ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }
      : { day: "numeric", month: "short", timeZone: "UTC" };
  return new Intl.DateTimeFormat("en-GB", opts).format(d);
}

export type Row = Record<string, string | number>;

/** The key of a currency's gross in the sales rows. */
export const grossKey = (currency: string) => `gross ${currency}`;

/**
 * One row per bucket: `label`, `tickets` (all currencies together) and
 * each currency's gross in major units (money of different currencies is
 * never added up).
 */
export function salesRows(series: Analytics["salesSeries"], bucket: Bucket): Row[] {
  const byStart = new Map<string, Row>();
  for (const s of series) {
    const unit = 10 ** currencyDigits(s.currency);
    for (const b of s.buckets) {
      const row: Row = byStart.get(b.start) ?? {
        start: b.start,
        label: bucketLabel(b.start, bucket),
        tickets: 0,
        orders: 0,
      };
      row.tickets = Number(row.tickets) + b.tickets;
      row.orders = Number(row.orders) + b.orders;
      row[grossKey(s.currency)] = b.grossMinor / unit;
      byStart.set(b.start, row);
    }
  }
  for (const row of byStart.values()) for (const s of series) row[grossKey(s.currency)] ??= 0;
  return [...byStart.values()].sort((a, b) => String(a.start).localeCompare(String(b.start)));
}

export function checkInRows(series: Analytics["checkInSeries"], bucket: Bucket): Row[] {
  return series.buckets.map((b) => ({
    start: b.start,
    label: bucketLabel(b.start, bucket),
    checkIns: b.checkIns,
    undone: b.undone,
  }));
}

export function promoRows(usage: Analytics["promoUsage"]): Row[] {
  return usage.map((u) => ({
    code: u.currency ? `${u.code} (${u.currency})` : u.code,
    orders: u.orders,
    tickets: u.tickets,
  }));
}
