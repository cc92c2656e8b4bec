import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import { causesOf, conflictsOf, formErrorsOf, messageOf, placeCauses, placeOf } from "./apiProblems";

const TABLE = {
  "spec.title": "title",
  "spec.days": "days",
  "spec.sections": "sections",
  "spec.address": "line1",
  "spec.address.city": "city",
} as const;

describe("placing API paths on form fields", () => {
  it("maps a path to its field, with the index of a list item", () => {
    expect(placeOf("spec.title", TABLE)).toEqual({ field: "title" });
    expect(placeOf(".spec.title", TABLE)).toEqual({ field: "title" });
    expect(placeOf("spec.days[0]", TABLE)).toEqual({ field: "days", index: 0 });
    expect(placeOf("spec.days[12].startsAt", TABLE)).toEqual({ field: "days", index: 12 });
    expect(placeOf("spec.days", TABLE)).toEqual({ field: "days" });
  });

  it("prefers the longest key and ignores lookalike prefixes", () => {
    expect(placeOf("spec.address.city", TABLE)).toEqual({ field: "city" });
    expect(placeOf("spec.address.country", TABLE)).toEqual({ field: "line1" });
    expect(placeOf("spec.titles", TABLE)).toBeUndefined();
    expect(placeOf("spec", TABLE)).toBeUndefined();
  });

  it("sorts causes onto fields, the rest to the form", () => {
    const placed = placeCauses(
      [
        { field: "spec.title", message: "too long", reason: "FieldValueTooLong" },
        { field: "spec.days[1]", message: "doors must not be after the start" },
        { field: "spec", message: "onSaleAt must be before the last day ends" },
        { field: "spec.workers", message: "bad" },
        { field: "", message: "no field" },
      ],
      TABLE,
    );
    expect(placed.fields).toEqual([
      { place: { field: "title" }, message: "too long" },
      { place: { field: "days", index: 1 }, message: "doors must not be after the start" },
    ]);
    expect(placed.rest).toEqual(["onSaleAt must be before the last day ends", "spec.workers: bad", "no field"]);
  });
});

describe("form errors of a refused save", () => {
  it("puts INVALID causes on their fields", () => {
    const e = new ApiError("the API server refused the change: …", "INVALID", {
      causes: [
        { field: "spec.days[0]", message: "doorsAt must not be after startsAt", reason: "FieldValueInvalid" },
        { field: "spec", message: "something overall" },
      ],
    });
    expect(causesOf(e)).toHaveLength(2);
    expect(formErrorsOf(e, TABLE)).toEqual({
      fields: { "days.0": "doorsAt must not be after startsAt" },
      rest: ["something overall"],
    });
  });

  it("puts CONFLICT owners on their fields, naming them", () => {
    const e = new ApiError('not changed: .spec.title is owned by field manager "gitops". …', "CONFLICT", {
      conflicts: [{ field: ".spec.title", manager: "gitops" }],
    });
    expect(conflictsOf(e)).toEqual([{ field: ".spec.title", manager: "gitops" }]);
    const out = formErrorsOf(e, TABLE);
    expect(out.fields.title).toMatch(/^Managed by gitops/);
    expect(out.fields.title).toContain("Take over from gitops");
    expect(out.rest).toEqual([]);
  });

  it("keeps a conflict of no known field as the full message", () => {
    const e = new ApiError("Tier x already exists in this organization: pick another name", "CONFLICT", {});
    expect(formErrorsOf(e, TABLE)).toEqual({ fields: {}, rest: [e.message] });
    expect(formErrorsOf(e, { ...TABLE, "metadata.name": "name" })).toEqual({ fields: { name: e.message }, rest: [] });
  });

  it("shows any other error in full", () => {
    const e = new ApiError('no Venue named "hall" in this organization', "NOT_FOUND");
    expect(formErrorsOf(e, TABLE)).toEqual({ fields: {}, rest: [e.message] });
    expect(messageOf(new ApiError("fetch failed", undefined))).toMatch(/did not answer/);
  });
});
