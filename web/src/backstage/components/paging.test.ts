import { describe, expect, it } from "vitest";
import { dedupeBy, pageArgs, trailNext, trailPage, trailPrevious } from "./paging";

describe("two-way pages", () => {
  it("ask forward after a cursor, backward before one, else the first page", () => {
    expect(pageArgs(null, null, 25)).toEqual({ first: 25 });
    expect(pageArgs("a", null, 25)).toEqual({ first: 25, after: "a" });
    expect(pageArgs(null, "b", 25)).toEqual({ last: 25, before: "b" });
  });
});

describe("forward-only pages", () => {
  it("add the shown end cursor on Next and drop the last on Previous", () => {
    let t: readonly string[] = [];
    expect(trailPage(t)).toEqual({ after: null, page: 1 });
    t = trailNext(t, "c20");
    t = trailNext(t, "c40");
    expect(trailPage(t)).toEqual({ after: "c40", page: 3 });
    t = trailPrevious(t);
    expect(trailPage(t)).toEqual({ after: "c20", page: 2 });
    t = trailPrevious(trailPrevious(trailPrevious(t)));
    expect(trailPage(t)).toEqual({ after: null, page: 1 });
  });

  it("after going back to a refreshed first page, Next follows that page as it is now (no gap)", () => {
    let t = trailPrevious(trailNext([], "old-end"));
    t = trailNext(t, "new-end");
    expect(t).toEqual(["new-end"]);
  });

  it("stay put on Next without a cursor", () => {
    const t = ["c20"];
    expect(trailNext(t, null)).toBe(t);
    expect(trailNext(t, undefined)).toBe(t);
  });
});

describe("dedupeBy", () => {
  it("keeps the first of each id, in order", () => {
    const items = [{ id: "3" }, { id: "2" }, { id: "3" }, { id: "1" }];
    expect(dedupeBy(items, (i) => i.id).map((i) => i.id)).toEqual(["3", "2", "1"]);
  });
});
