import { describe, expect, it } from "vitest";
import { pickLanguage } from ".";
import { de } from "./de";
import { en } from "./en";
import {
  currencyDigits,
  eventZone,
  formatCountdown,
  formatDateTime,
  formatEventDateTime,
  formatEventDay,
  formatMoney,
  offsetMinutesOf,
} from "./format";

// Intl puts (narrow) no-break spaces in places; compare with plain ones
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("money in minor units", () => {
  it.each([
    [1999, "EUR", "de", "19,99 €"],
    [1999, "EUR", "en", "€19.99"],
    [123456, "GBP", "en-GB", "£1,234.56"],
    [123456, "GBP", "de", "1.234,56 £"],
    [1500, "JPY", "en", "¥1,500"],
    [1500, "JPY", "de", "1.500 ¥"],
    [1234, "BHD", "en", "BHD 1.234"],
    [0, "EUR", "de", "0,00 €"],
    [-250, "EUR", "en", "-€2.50"],
  ])("%i %s in %s is %s", (minor, currency, locale, expected) => {
    expect(plain(formatMoney(minor, currency, locale))).toBe(expected);
  });

  it("knows the minor unit of each currency", () => {
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("BHD")).toBe(3);
  });
});

describe("dates", () => {
  const at = "2026-12-05T19:30:00Z";
  it("writes them in the buyer's language", () => {
    expect(plain(formatDateTime(at, "en", "UTC"))).toBe("Saturday, December 5, 2026 at 7:30 PM");
    expect(plain(formatDateTime(at, "de", "UTC"))).toBe("Samstag, 5. Dezember 2026 um 19:30");
  });

  it("takes ms since the epoch too, and leaves what is no date as it is", () => {
    expect(plain(formatDateTime(Date.parse(at), "de", "UTC"))).toBe("Samstag, 5. Dezember 2026 um 19:30");
    expect(formatDateTime("soon", "en")).toBe("soon");
  });
});

describe("an event's days on the venue's clock", () => {
  const day = { doorsAt: "2027-05-01T18:00:00Z", startsAt: "2027-05-01T19:00:00Z", endsAt: "2027-05-01T23:00:00Z" };

  it("writes them in the venue's timezone", () => {
    const london = eventZone("Europe/London", "2027-05-01T20:00:00+01:00");
    expect(london).toEqual({ timeZone: "Europe/London", shiftMinutes: 0, label: "Europe/London" });
    const d = formatEventDay(day, "en-GB", london);
    // ICU versions differ on the comma after the weekday
    expect(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, plain(v).replace(/^(\w+),/, "$1")]))).toEqual({
      date: "Sat 1 May 2027",
      doors: "19:00",
      start: "20:00",
      end: "00:00",
    });
    expect(plain(formatEventDay(day, "de", eventZone("Europe/Berlin")).date)).toBe("Sa., 1. Mai 2027");
    expect(plain(formatEventDateTime(day.startsAt, "en-GB", london))).toMatch(
      /^Saturday,? 1 May 2027 at 20:00 \(Europe\/London\)$/,
    );
  });

  it("without a (known) timezone takes the offset of the local times, else UTC", () => {
    const plus2 = eventZone(null, "2027-05-01T21:00:00+02:00");
    expect(plus2.label).toBe("UTC+02:00");
    expect(plain(formatEventDay(day, "en-GB", plus2).start)).toBe("21:00");
    expect(eventZone("Mars/Olympus", "2027-05-01T14:30:00-04:30").label).toBe("UTC-04:30");
    expect(eventZone(undefined, null)).toEqual({ timeZone: "UTC", shiftMinutes: 0, label: "UTC" });
    expect(eventZone(null, "2027-05-01T19:00:00Z").label).toBe("UTC");
  });

  it("reads offsets of RFC 3339 times", () => {
    expect(offsetMinutesOf("2027-05-01T19:00:00Z")).toBe(0);
    expect(offsetMinutesOf("2027-05-01T19:00:00+05:30")).toBe(330);
    expect(offsetMinutesOf("2027-05-01T19:00:00-08:00")).toBe(-480);
    expect(offsetMinutesOf("2027-05-01T19:00:00")).toBeNull();
    expect(offsetMinutesOf(null)).toBeNull();
  });
});

describe("countdown", () => {
  it.each([
    [600_000, "10:00"],
    [59_001, "1:00"],
    [59_000, "0:59"],
    [1, "0:01"],
    [0, "0:00"],
    [-5, "0:00"],
  ])("%i ms is %s", (ms, text) => expect(formatCountdown(ms)).toBe(text));
});

describe("languages", () => {
  it("takes ?lang=, then the browser's, then English", () => {
    expect(pickLanguage("de", ["en-US"])).toBe("de");
    expect(pickLanguage(null, ["fr-FR", "de-AT"])).toBe("de");
    expect(pickLanguage("xx", ["fr"])).toBe("en");
  });

  it("has every English text in German", () => {
    const keys = (o: object, prefix = ""): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(de).sort()).toEqual(keys(en).sort());
  });
});
