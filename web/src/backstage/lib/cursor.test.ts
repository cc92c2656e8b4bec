import { describe, expect, it } from "vitest";
import { currentAfter, dedupeBy, firstPage, pageNumber, pagesFor, pagesReducer } from "./cursor";

describe("paging", () => {
  it("pushes the current end cursor on Next and pops on Previous", () => {
    let s = firstPage("k");
    expect(currentAfter(s)).toBeNull();
    s = pagesReducer(s, { type: "next", endCursor: "c20" });
    s = pagesReducer(s, { type: "next", endCursor: "c40" });
    expect(pageNumber(s)).toBe(3);
    expect(currentAfter(s)).toBe("c40");
    s = pagesReducer(s, { type: "previous" });
    expect(currentAfter(s)).toBe("c20");
    s = pagesReducer(s, { type: "previous" });
    s = pagesReducer(s, { type: "previous" });
    expect(pageNumber(s)).toBe(1);
    expect(currentAfter(s)).toBeNull();
  });

  it("after going back to a refreshed first page, Next follows that page as it is now (no gap)", () => {
    let s = pagesReducer(firstPage("k"), { type: "next", endCursor: "old-end" });
    s = pagesReducer(s, { type: "previous" });
    s = pagesReducer(s, { type: "next", endCursor: "new-end" });
    expect(s.afters).toEqual([null, "new-end"]);
  });

  it("ignores Next without a cursor", () => {
    const s = firstPage("k");
    expect(pagesReducer(s, { type: "next", endCursor: null })).toBe(s);
  });

  it("starts again when the filters change", () => {
    const s = pagesReducer(firstPage("a"), { type: "next", endCursor: "c" });
    expect(pagesFor(s, "a")).toBe(s);
    expect(pagesFor(s, "b")).toEqual(firstPage("b"));
  });
});

describe("dedupeBy", () => {
  it("keeps the first of each id, in order", () => {
    const items = [{ id: "3" }, { id: "2" }, { id: "3" }, { id: "1" }];
    expect(dedupeBy(items, (i) => i.id).map((i) => i.id)).toEqual(["3", "2", "1"]);
  });
});
