import { describe, expect, it } from "vitest";
import { addProblem, emailProblem, foreignManager, grantable, memberWith, roleChoices } from "./members";

describe("team", () => {
  it("gives SUPER_USER only to platform staff, every other role to owners", () => {
    expect(grantable("OWNER")).toEqual(["OWNER", "ADMIN", "BOX_OFFICE", "SCANNER", "USER"]);
    expect(grantable("SUPER_USER")).toEqual(["SUPER_USER", "OWNER", "ADMIN", "BOX_OFFICE", "SCANNER", "USER"]);
  });
  it("always offers the role a member has", () => {
    expect(roleChoices("OWNER", "USER")).toContain("USER");
    expect(roleChoices("OWNER", "SUPER_USER")).toEqual([
      "SUPER_USER",
      "OWNER",
      "ADMIN",
      "BOX_OFFICE",
      "SCANNER",
      "USER",
    ]);
    expect(roleChoices("OWNER", "ADMIN")).not.toContain("SUPER_USER");
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
  it("finds a member by address in any case and refuses to add them again", () => {
    const members = [{ email: "Ada@Example.com", role: "BOX_OFFICE" as const }];
    expect(memberWith(members, " ada@EXAMPLE.com")?.email).toBe("Ada@Example.com");
    expect(memberWith(members, "bo@example.com")).toBeUndefined();
    expect(addProblem(members, "ADA@example.com")).toBe(
      "Ada@Example.com is already a member as Box office; change their role in the list.",
    );
    expect(addProblem(members, "bo@example.com")).toBeNull();
    expect(addProblem(members, "bo")).toMatch(/not an e-mail address/);
  });
});
