import { describe, expect, it } from "vitest";
import { cardsOf, dayOf, viewOfAnswer, type DayCounts, type ScanAnswer } from "./scan";

const base: ScanAnswer = {
  outcome: "ADMITTED",
  message: "",
  ticketId: "t1",
  tier: "ga",
  tierDisplayName: "General admission",
  holderName: "Ada Lovelace",
  seat: null,
  day: 1,
  admissions: 1,
  standing: null,
  validDays: [],
  retry: false,
};

describe("viewOfAnswer", () => {
  it("admits with the holder and tier", () => {
    const v = viewOfAnswer({ ...base, message: "Welcome" });
    expect(v.tone).toBe("admitted");
    expect(v.headline).toBe("Admitted");
    expect(v.reason).toBe("Welcome");
    expect(v.details).toEqual(["Name: Ada Lovelace", "Ticket: General admission"]);
  });

  it("says when a table admits several people and when it answered a retry", () => {
    const v = viewOfAnswer({ ...base, admissions: 4, retry: true });
    expect(v.details).toContain("Admits 4 people");
    expect(v.details.some((d) => d.includes("retried"))).toBe(true);
  });

  it("already in: where it was first admitted", () => {
    const v = viewOfAnswer({
      ...base,
      outcome: "ALREADY_ADMITTED",
      message: "Already admitted today",
      standing: { at: "2026-12-07T19:04:00Z", gate: "North", device: "d1", staff: "s@x", offline: true },
    });
    expect(v.tone).toBe("already");
    expect(v.headline).toBe("Already in");
    expect(v.details.find((d) => d.startsWith("First admitted"))).toMatch(/at North \(offline scan\)$/);
  });

  it("refuses with the API's message, else a plain reason", () => {
    expect(viewOfAnswer({ ...base, outcome: "REVOKED", message: "Refunded" })).toMatchObject({
      tone: "refused",
      headline: "Refused",
      reason: "Refunded",
    });
    expect(
      viewOfAnswer({ ...base, outcome: "INVALID", holderName: null, tier: null, tierDisplayName: null }).reason,
    ).toMatch(/not a valid ticket/);
  });

  it("names the valid days of a wrong-day ticket", () => {
    expect(viewOfAnswer({ ...base, outcome: "WRONG_DAY", validDays: [2, 3] }).details).toContain("Valid on days 2, 3");
    expect(viewOfAnswer({ ...base, outcome: "NOT_YET_VALID", validDays: [2] }).details).toContain("Valid on day 2");
  });
});

const day1: DayCounts = {
  day: 1,
  checkedIn: 7,
  admissions: 8,
  redeemed: 0,
  byGate: [{ name: "north", checkedIn: 7, admissions: 8 }],
  byTier: [
    { name: "ga", checkedIn: 5, admissions: 5 },
    { name: "vip", checkedIn: 2, admissions: 3 },
  ],
};

describe("cardsOf", () => {
  it("makes the total, tier and gate cards with what could come in", () => {
    const cards = cardsOf(day1, {
      sold: 30,
      tiers: [
        { name: "ga", displayName: "General", sold: 20 },
        { name: "vip", displayName: "VIP", sold: 10 },
      ],
      gates: [
        { name: "north", displayName: "North", tiers: ["ga"] },
        { name: "south", displayName: "South", tiers: [] },
      ],
    });
    expect(cards.map((c) => [c.key, c.checkedIn, c.total])).toEqual([
      ["total", 7, 30],
      ["tier:ga", 5, 20],
      ["tier:vip", 2, 10],
      ["gate:north", 7, 20],
      ["gate:south", 0, null],
    ]);
    expect(cards[1]?.label).toBe("General");
  });

  it("shows a zero total before any counts arrive", () => {
    expect(cardsOf(undefined, { sold: null, tiers: [], gates: [] })).toEqual([
      { key: "total", kind: "total", label: "Scanned in", checkedIn: 0, total: null },
    ]);
  });

  it("keeps tiers the counts name but the totals do not", () => {
    const cards = cardsOf(day1, { sold: null, tiers: [], gates: [] });
    expect(cards.filter((c) => c.kind === "tier").map((c) => c.label)).toEqual(["ga", "vip"]);
  });
});

describe("dayOf", () => {
  const d2 = { ...day1, day: 2, checkedIn: 1 };
  it("finds the day, or the latest when no day is given", () => {
    expect(dayOf([day1, d2], 1)).toBe(day1);
    expect(dayOf([day1, d2], null)).toBe(d2);
    expect(dayOf([day1], 3)).toBeUndefined();
  });
});
