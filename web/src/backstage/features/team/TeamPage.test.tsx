/** The team page against a mock API: roles shown as they are, changes and removals confirmed first, no silent re-role. */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import type { Role } from "../../gql/graphql";
import { OrgContext, type Org } from "../../session/org";
import TeamPage from "./TeamPage";

const owner: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "OWNER" };
const byGateway = [{ field: ".spec.members", manager: "sellout-gateway", byGateway: true }];

const members: { email: string; role: Role }[] = [
  { email: "ada@example.com", role: "ADMIN" },
  { email: "bo@example.com", role: "USER" },
  { email: "staff@sellout.io", role: "SUPER_USER" },
  { email: "me@example.com", role: "OWNER" },
];

function setup(org: Org = owner) {
  const sent: { name: string; vars: Record<string, unknown> }[] = [];
  const client = clientAnswering((name, op): Answer => {
    const vars = (op.variables ?? {}) as Record<string, unknown>;
    sent.push({ name, vars });
    switch (name) {
      case "BackstageMembers":
        return {
          data: {
            organization: {
              namespace: "acme",
              members: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: members.map((m) => ({ ...m, fieldOwners: byGateway })),
              },
            },
          },
        };
      case "BackstageSetMember":
        return { data: { setMember: { email: vars.email, role: vars.role } } };
      case "BackstageRemoveMember":
        return { data: { removeMember: true } };
      default:
        return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
    }
  });
  const { container } = renderWith(
    <OrgContext.Provider value={org}>
      <TeamPage />
    </OrgContext.Provider>,
    client,
  );
  const mutations = () => sent.filter((s) => s.name !== "BackstageMembers");
  return { container, mutations };
}

async function serious(container: HTMLElement) {
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

const row = async (email: string) =>
  (await screen.findAllByTestId("member-row")).find((r) => r.dataset.email === email) as HTMLElement;

describe("the team page", () => {
  it("shows every role as it is: USER as Buyer, SUPER_USER read-only to an owner", async () => {
    const { container } = setup();
    const bo = await row("bo@example.com");
    const boRole = within(bo).getByLabelText("Role of bo@example.com") as HTMLSelectElement;
    expect(boRole.value).toBe("USER");
    expect(boRole.selectedOptions[0]?.textContent).toBe("Buyer");
    expect(Array.from(boRole.options).map((o) => o.value)).not.toContain("SUPER_USER");

    const staff = await row("staff@sellout.io");
    expect(within(staff).queryByRole("combobox")).toBeNull();
    expect(within(staff).getByTestId("member-role").textContent).toBe("Platform staff");
    expect(within(staff).queryByRole("button")).toBeNull();

    const ada = await row("ada@example.com");
    expect((within(ada).getByLabelText("Role of ada@example.com") as HTMLSelectElement).value).toBe("ADMIN");
    expect(await serious(container)).toEqual([]);
  });

  it("lets platform staff change a SUPER_USER", async () => {
    setup({ ...owner, role: "SUPER_USER" });
    const staff = await row("staff@sellout.io");
    expect((within(staff).getByLabelText("Role of staff@sellout.io") as HTMLSelectElement).value).toBe("SUPER_USER");
  });

  it("changes a role only once it is saved and confirmed, naming the member, the old and the new role", async () => {
    const { mutations } = setup();
    const ada = await row("ada@example.com");
    const save = within(ada).getByRole("button", { name: "Change role of ada@example.com" });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(ada).getByLabelText("Role of ada@example.com"), { target: { value: "SCANNER" } });
    expect(mutations()).toEqual([]);
    expect((save as HTMLButtonElement).disabled).toBe(false);

    fireEvent.click(save);
    const dialog = await screen.findByRole("dialog", { name: "Change the role of ada@example.com?" });
    expect(dialog.textContent).toContain("ada@example.com goes from Admin to Scanner.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(mutations()).toEqual([]);

    fireEvent.click(save);
    fireEvent.click(await screen.findByRole("button", { name: "Change role" }));
    await waitFor(() => expect(mutations()).toHaveLength(1));
    expect(mutations()[0]).toEqual({
      name: "BackstageSetMember",
      vars: { ns: "acme", email: "ada@example.com", role: "SCANNER", force: false },
    });
  });

  it("removes a member only once confirmed, naming them", async () => {
    const { mutations } = setup();
    const ada = await row("ada@example.com");
    fireEvent.click(within(ada).getByRole("button", { name: "Remove ada@example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "Remove ada@example.com?" });
    expect(dialog.textContent).toContain("ada@example.com (Admin) is no longer a member of Acme");
    expect(mutations()).toEqual([]);
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove member" }));
    await waitFor(() => expect(mutations()).toHaveLength(1));
    expect(mutations()[0]).toEqual({ name: "BackstageRemoveMember", vars: { ns: "acme", email: "ada@example.com" } });
  });

  it("refuses to add an address already in the team, in any case, and adds a new one", async () => {
    const { mutations } = setup();
    await row("ada@example.com");
    const address = screen.getByLabelText("E-mail address");
    fireEvent.change(address, { target: { value: " ADA@Example.com " } });
    fireEvent.click(screen.getByRole("button", { name: "Add member" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "ada@example.com is already a member as Admin; change their role in the list.",
    );
    expect(mutations()).toEqual([]);

    fireEvent.change(address, { target: { value: "cy@example.com" } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "BOX_OFFICE" } });
    fireEvent.click(screen.getByRole("button", { name: "Add member" }));
    await waitFor(() => expect(mutations()).toHaveLength(1));
    expect(mutations()[0]).toEqual({
      name: "BackstageSetMember",
      vars: { ns: "acme", email: "cy@example.com", role: "BOX_OFFICE", force: false },
    });
  });
});
