import { describe, expect, it } from "vitest";
import { fromLocalInput } from "./time";
import {
  editDefaults,
  editEventSchema,
  newEventDefaults,
  newEventSchema,
  toCreateEventInput,
  toUpdateEventInput,
  type EventLike,
  type NewEventValues,
} from "./schema";

const day = { doorsAt: "2027-06-01T18:30", startsAt: "2027-06-01T19:30", endsAt: "2027-06-01T23:00" };
const valid: NewEventValues = {
  ...newEventDefaults,
  name: "summer-night",
  title: " Summer Night ",
  venue: "hall",
  currency: "gbp",
  days: [day],
  onSaleAt: "2027-03-01T10:00",
};

describe("the new-event form", () => {
  it("accepts a complete event and sends times in UTC", () => {
    expect(newEventSchema.safeParse(valid).success).toBe(true);
    expect(toCreateEventInput(valid)).toEqual({
      name: "summer-night",
      title: "Summer Night",
      venue: "hall",
      currency: "GBP",
      days: [
        {
          doorsAt: fromLocalInput(day.doorsAt),
          startsAt: fromLocalInput(day.startsAt),
          endsAt: fromLocalInput(day.endsAt),
        },
      ],
      onSaleAt: fromLocalInput(valid.onSaleAt),
      holdTtlSeconds: 600,
    });
  });

  it("says which field is wrong", () => {
    const r = newEventSchema.safeParse({
      ...valid,
      name: "Summer Night",
      days: [
        { ...day, doorsAt: "2027-06-01T20:00" },
        { ...day, endsAt: "2027-06-01T19:00" },
      ],
      holdTtlSeconds: "5",
    });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.map((i) => i.path.join(".")).sort();
    expect(paths).toEqual(["days.0.doorsAt", "days.1.endsAt", "holdTtlSeconds", "name"]);
  });

  it("needs at least one day", () => {
    expect(newEventSchema.safeParse({ ...valid, days: [] }).success).toBe(false);
  });
});

const event: EventLike = {
  title: "Summer",
  venueName: "hall",
  description: "Outdoors",
  currency: "GBP",
  days: [{ doorsAt: "2027-06-01T17:30:00Z", startsAt: "2027-06-01T18:30:00Z", endsAt: "2027-06-01T22:00:00Z" }],
  onSaleAt: "2027-03-01T09:00:00Z",
  offSaleAt: null,
  holdTtlSeconds: 600,
  fees: [{ name: "Service", appliesTo: "TICKET", flatMinor: 150, percentBps: null }],
  taxes: [{ name: "VAT", rateBps: 2000, appliesTo: "TICKET" }],
  promotions: [{ code: "EARLY", name: "Early bird", appliesTo: "TICKET", flatMinor: null, percentBps: 1000 }],
};

describe("the edit form", () => {
  it("starts from the event as the API gave it", () => {
    const d = editDefaults(event);
    expect(d.fees).toEqual([{ name: "Service", appliesTo: "TICKET", kind: "flat", amount: "1.50" }]);
    expect(d.taxes).toEqual([{ name: "VAT", appliesTo: "TICKET", rate: "20.00" }]);
    expect(d.promotions[0]).toMatchObject({ code: "EARLY", kind: "percent", amount: "10.00" });
    expect(editEventSchema("GBP").safeParse(d).success).toBe(true);
  });

  it("sends only what changed", () => {
    const before = editDefaults(event);
    expect(toUpdateEventInput(before, before, "GBP")).toEqual({});
    expect(toUpdateEventInput({ ...before, title: "Summer II" }, before, "GBP")).toEqual({ title: "Summer II" });
    expect(toUpdateEventInput({ ...before, description: "  " }, before, "GBP")).toEqual({ description: null });
    expect(
      toUpdateEventInput(
        { ...before, fees: [...before.fees, { name: "Card", appliesTo: "ORDER", kind: "percent", amount: "2.5" }] },
        before,
        "GBP",
      ),
    ).toEqual({
      fees: [
        { name: "Service", appliesTo: "TICKET", flatMinor: 150 },
        { name: "Card", appliesTo: "ORDER", percentBps: 250 },
      ],
    });
    expect(toUpdateEventInput({ ...before, offSaleAt: "2027-05-31T12:00" }, before, "GBP")).toEqual({
      offSaleAt: fromLocalInput("2027-05-31T12:00"),
    });
  });
});
