import { describe, expect, it } from "vitest";
import { toWorkersInput, workersDefaults, workersErrors, type WorkersLike } from "./workers";

const live: WorkersLike = {
  checkout: { minReplicas: 1, maxReplicas: 4, prewarmReplicas: null },
  scan: { minReplicas: 1, maxReplicas: 2, prewarmReplicas: 2 },
  prewarmLeadSeconds: 900,
  replicaLimit: 10,
};

describe("the workers form", () => {
  it("starts from the event's scaling, the lead in minutes", () => {
    expect(workersDefaults(live)).toEqual({
      checkout: { min: "1", max: "4", prewarm: "" },
      scan: { min: "1", max: "2", prewarm: "2" },
      leadMinutes: "15",
    });
  });

  it("sends only what changed", () => {
    const before = workersDefaults(live);
    expect(toWorkersInput(before, before)).toEqual({});
    const v = { ...before, checkout: { min: "2", max: "8", prewarm: "6" } };
    expect(toWorkersInput(v, before)).toEqual({
      checkout: { minReplicas: 2, maxReplicas: 8, prewarmReplicas: 6 },
    });
    const lead = { ...before, leadMinutes: "30", scan: { ...before.scan, prewarm: "" } };
    expect(toWorkersInput(lead, before)).toEqual({
      scan: { minReplicas: 1, maxReplicas: 2, prewarmReplicas: null },
      prewarmLeadSeconds: 1800,
    });
  });

  it("refuses more than the organization's limit, saying who can raise it", () => {
    const v = { ...workersDefaults(live), checkout: { min: "1", max: "11", prewarm: "" } };
    expect(workersErrors(v, 10)["checkout.max"]).toMatch(/At most 10: your organization's limit/);
    expect(workersErrors(v, 20)).toEqual({});
  });

  it("checks only what changed: a set scaled beyond the limit with GitOps does not block the other", () => {
    const big = workersDefaults({ ...live, checkout: { minReplicas: 10, maxReplicas: 50, prewarmReplicas: 40 } });
    const v = { ...big, scan: { min: "1", max: "3", prewarm: "" } };
    expect(workersErrors(v, 10, big)).toEqual({});
    expect(workersErrors(v, 10)["checkout.max"]).toMatch(/At most 10/);
    const raised = { ...v, checkout: { ...big.checkout, max: "60" } };
    expect(workersErrors(raised, 10, big)["checkout.max"]).toMatch(/At most 10/);
  });

  it("refuses ranges that make no sense and text that is no number", () => {
    const base = workersDefaults(live);
    expect(workersErrors({ ...base, scan: { min: "3", max: "2", prewarm: "" } }, 10)["scan.min"]).toMatch(
      /not be more than the most/,
    );
    expect(workersErrors({ ...base, scan: { min: "1", max: "2", prewarm: "5" } }, 10)["scan.prewarm"]).toMatch(
      /Between the fewest and the most \(1 to 2\)/,
    );
    expect(workersErrors({ ...base, checkout: { min: "one", max: "4", prewarm: "" } }, 10)["checkout.min"]).toMatch(
      /whole number/,
    );
    expect(workersErrors({ ...base, checkout: { min: "0", max: "0", prewarm: "" } }, 10)["checkout.max"]).toBe(
      "At least 1",
    );
    expect(workersErrors({ ...base, leadMinutes: "2000" }, 10).leadMinutes).toMatch(/At most 1440/);
    expect(workersErrors({ ...base, leadMinutes: "-5" }, 10).leadMinutes).toMatch(/whole number/);
  });
});
