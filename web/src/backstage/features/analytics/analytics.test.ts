import { describe, expect, it } from "vitest";
import { bucketStart, checkInRows, grossKey, rangeFor, salesRows } from "./analytics";

const bucket = (start: string, tickets: number, grossMinor: number) => ({
  start,
  orders: 1,
  tickets,
  addOns: 0,
  grossMinor,
  refundedMinor: 0,
  compTickets: 0,
  boxOfficeOrders: 0,
  promoOrders: 0,
});

describe("ranges", () => {
  const now = Date.parse("2026-12-09T15:30:00Z");
  it("aligns buckets to UTC hours, days and ISO weeks", () => {
    expect(new Date(bucketStart(now, "HOUR")).toISOString()).toBe("2026-12-09T15:00:00.000Z");
    expect(new Date(bucketStart(now, "DAY")).toISOString()).toBe("2026-12-09T00:00:00.000Z");
    expect(new Date(bucketStart(now, "WEEK")).toISOString()).toBe("2026-12-07T00:00:00.000Z");
  });
  it("covers whole buckets up to now and clamps hours to 14 days", () => {
    expect(rangeFor("DAY", 7, now)).toEqual({
      from: "2026-12-02T00:00:00.000Z",
      to: "2026-12-10T00:00:00.000Z",
      days: 7,
    });
    const h = rangeFor("HOUR", 90, now);
    expect(h.days).toBe(14);
    expect((Date.parse(h.to) - Date.parse(h.from)) / 3_600_000).toBeLessThanOrEqual(2000);
  });
});

describe("rows", () => {
  it("adds tickets over currencies but keeps each currency's money apart, in major units", () => {
    const rows = salesRows(
      [
        {
          currency: "EUR",
          buckets: [bucket("2026-12-01T00:00:00Z", 2, 4000), bucket("2026-12-02T00:00:00Z", 1, 2000)],
          total: bucket("", 3, 6000),
        },
        { currency: "JPY", buckets: [bucket("2026-12-01T00:00:00Z", 1, 3000)], total: bucket("", 1, 3000) },
      ],
      "DAY",
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ label: "1 Dec", tickets: 3, [grossKey("EUR")]: 40, [grossKey("JPY")]: 3000 });
    expect(rows[1]).toMatchObject({ tickets: 1, [grossKey("EUR")]: 20, [grossKey("JPY")]: 0 });
  });
  it("labels check-in buckets by hour", () => {
    const rows = checkInRows(
      {
        buckets: [{ start: "2026-12-01T19:00:00Z", checkIns: 5, admissions: 5, undone: 1, offline: 0 }],
        total: { start: "", checkIns: 5, admissions: 5, undone: 1, offline: 0 },
      },
      "HOUR",
    );
    expect(rows).toEqual([{ start: "2026-12-01T19:00:00Z", label: "1 Dec, 19:00", checkIns: 5, undone: 1 }]);
  });
});
