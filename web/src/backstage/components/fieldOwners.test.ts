import { describe, expect, it } from "vitest";
import { conflictingManagers, isUnder, listOf, otherManagers, type FieldOwnerEntry } from "./fieldOwners";

const owners: FieldOwnerEntry[] = [
  { field: ".spec.title", manager: "kubectl-client-side-apply", byGateway: false },
  { field: ".spec.description", manager: "sellout-gateway", byGateway: true },
  { field: ".spec.days", manager: "gitops", byGateway: false },
  { field: '.spec.sections[name="floor"].generalAdmission.capacity', manager: "gitops", byGateway: false },
  { field: ".spec.titleFont", manager: "other", byGateway: false },
  { field: ".spec.title", manager: "sellout-gateway", byGateway: true },
];

describe("field owners", () => {
  it("finds the managers other than the gateway of a field", () => {
    expect(otherManagers(owners, ".spec.title")).toEqual(["kubectl-client-side-apply"]);
    expect(otherManagers(owners, "spec.title")).toEqual(["kubectl-client-side-apply"]);
    expect(otherManagers(owners, ".spec.description")).toEqual([]);
    expect(otherManagers(owners, ".spec.onSaleAt")).toEqual([]);
  });

  it("counts fields below a path, and not fields that merely share a prefix", () => {
    expect(otherManagers(owners, '.spec.sections[name="floor"]')).toEqual(["gitops"]);
    expect(otherManagers(owners, ".spec.sections")).toEqual(["gitops"]);
    expect(otherManagers(owners, '.spec.sections[name="balcony"]')).toEqual([]);
    expect(isUnder(".spec.titleFont", ".spec.title")).toBe(false);
    expect(isUnder(".spec.days[0]", ".spec.days")).toBe(true);
  });

  it("names each manager once", () => {
    const twice = [...owners, { field: ".spec.days", manager: "gitops", byGateway: false }];
    expect(otherManagers(twice, ".spec")).toEqual(["kubectl-client-side-apply", "gitops", "other"]);
  });

  it("matches conflicts on the field, below it, or on a parent", () => {
    const conflicts = [
      { field: ".spec.title", manager: "kubectl" },
      { field: ".spec", manager: "gitops" },
    ];
    expect(conflictingManagers(conflicts, ".spec.title")).toEqual(["kubectl", "gitops"]);
    expect(conflictingManagers(conflicts, ".spec.days")).toEqual(["gitops"]);
    expect(conflictingManagers([{ field: ".spec.days[1]", manager: "g" }], ".spec.days")).toEqual(["g"]);
  });

  it("lists names in words", () => {
    expect(listOf(["a"])).toBe("a");
    expect(listOf(["a", "b"])).toBe("a and b");
    expect(listOf(["a", "b", "c"])).toBe("a, b and c");
  });
});
