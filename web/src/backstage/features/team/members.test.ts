import { describe, expect, it } from "vitest";
import { emailProblem, foreignManager, grantable } from "./members";

describe("team", () => {
  it("gives SUPER_USER only to platform staff", () => {
    expect(grantable("OWNER")).not.toContain("SUPER_USER");
    expect(grantable("SUPER_USER")).toContain("SUPER_USER");
  });
  it("names the manager that is not Backstage", () => {
    expect(foreignManager([{ field: ".spec.members", manager: "sellout-gateway", byGateway: true }])).toBeNull();
    expect(
      foreignManager([
        { field: ".spec.members", manager: "sellout-gateway", byGateway: true },
        { field: ".spec.members[email=a]", manager: "gitops", byGateway: false },
      ]),
    ).toBe("gitops");
  });
  it("says what is wrong with an address", () => {
    expect(emailProblem("")).toMatch(/Enter/);
    expect(emailProblem("ada")).toMatch(/not an e-mail address/);
    expect(emailProblem(" ada@example.com ")).toBeNull();
  });
});
