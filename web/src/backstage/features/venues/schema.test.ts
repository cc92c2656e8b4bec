import { describe, expect, it } from "vitest";
import {
  editVenueDefaults,
  emptySection,
  newVenueDefaults,
  newVenueSchema,
  sectionInput,
  toCreateVenueInput,
  toUpdateVenueInput,
  type NewVenueValues,
  type VenueLike,
} from "./schema";

const valid: NewVenueValues = {
  ...newVenueDefaults,
  name: "hall",
  displayName: "The Hall",
  line1: "1 High Street",
  city: "London",
  postalCode: "N1 1AA",
  country: "gb",
  timezone: "Europe/London",
  capacity: "800",
  sections: [
    { ...emptySection("ga", "floor"), capacity: "500" },
    { ...emptySection("seated", "balcony"), rows: "5", seatsPerRow: "20" },
    { ...emptySection("tables", "vip"), tables: "10", seatsPerTable: "8" },
  ],
};

describe("the venue forms", () => {
  it("sends each section as its kind", () => {
    expect(newVenueSchema.safeParse(valid).success).toBe(true);
    expect(toCreateVenueInput(valid)).toEqual({
      name: "hall",
      displayName: "The Hall",
      address: { line1: "1 High Street", city: "London", postalCode: "N1 1AA", country: "GB" },
      timezone: "Europe/London",
      capacity: 800,
      sections: [
        { name: "floor", generalAdmission: { capacity: 500 } },
        { name: "balcony", seated: { rows: 5, seatsPerRow: 20 } },
        { name: "vip", tables: { count: 10, seatsPerTable: 8 } },
      ],
    });
  });

  it("asks for what each kind needs, and unique names", () => {
    const r = newVenueSchema.safeParse({
      ...valid,
      timezone: "Mars/Olympus",
      sections: [emptySection("ga", "floor"), { ...emptySection("tables", "floor"), tables: "3" }],
    });
    expect(r.error?.issues.map((i) => i.path.join(".")).sort()).toEqual([
      "sections.0.capacity",
      "sections.1.name",
      "sections.1.seatsPerTable",
      "timezone",
    ]);
  });

  it("keeps labelled seats as they are", () => {
    expect(sectionInput({ ...emptySection("seated", "box"), seatLabels: ["A1", "A2"] })).toEqual({
      name: "box",
      seated: { labels: ["A1", "A2"] },
    });
  });

  const venue: VenueLike = {
    displayName: "The Hall",
    address: { line1: "1 High Street", city: "London", postalCode: null, country: "GB" },
    timezone: "Europe/London",
    capacity: 800,
    sections: [
      { name: "floor", generalAdmissionCapacity: 500, seatLabels: [] },
      { name: "cabaret", tables: 10, seatsPerTable: 8, seatLabels: [] },
    ],
  };

  it("sends only what changed, and leaves out sections another manager owns", () => {
    const before = editVenueDefaults(venue);
    const all = () => true;
    expect(toUpdateVenueInput(before, before, all)).toEqual({});
    expect(toUpdateVenueInput({ ...before, city: "Leeds" }, before, all)).toEqual({
      address: { line1: "1 High Street", city: "Leeds", country: "GB" },
    });
    const more = { ...before, sections: [...before.sections, { ...emptySection("ga", "bar"), capacity: "50" }] };
    expect(toUpdateVenueInput(more, before, (s) => s !== "floor")).toEqual({
      sections: [
        { name: "cabaret", tables: { count: 10, seatsPerTable: 8 } },
        { name: "bar", generalAdmission: { capacity: 50 } },
      ],
    });
  });
});
