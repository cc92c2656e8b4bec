import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Operation } from "urql";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import type { FieldOwnerEntry } from "../../components/fieldOwners";
import { EditEventForm } from "./EditEventForm";
import type { EventLike } from "./schema";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };
const event: EventLike = {
  title: "Summer",
  venueName: "hall",
  description: "",
  currency: "GBP",
  days: [{ doorsAt: "2027-06-01T17:30:00Z", startsAt: "2027-06-01T18:30:00Z", endsAt: "2027-06-01T22:00:00Z" }],
  onSaleAt: "2027-03-01T09:00:00Z",
  offSaleAt: null,
  holdTtlSeconds: 600,
  fees: [],
  taxes: [],
  promotions: [],
};

function setup(owners: FieldOwnerEntry[], answer: (op: Operation) => Answer) {
  const sent: Operation[] = [];
  const client = clientAnswering((name, op) => {
    sent.push(op);
    if (name === "BackstageEventVenues")
      return {
        data: {
          organization: {
            namespace: "acme",
            venues: { nodes: [{ name: "hall", displayName: "Hall", timezone: "Europe/London" }] },
          },
        },
      };
    return name === "BackstageUpdateEvent" ? answer(op) : {};
  });
  const saved: string[] = [];
  renderWith(
    <OrgContext.Provider value={org}>
      <EditEventForm event={event} name="summer" state="DRAFT" owners={owners} onSaved={(m) => saved.push(m)} />
    </OrgContext.Provider>,
    client,
  );
  return { sent, saved };
}

const ok: Answer = { data: { updateEvent: { __typename: "PromoterEvent", id: "1", name: "summer", generation: 2 } } };

describe("the event edit form and field ownership", () => {
  it("shows a field another manager owns read-only, and forces the save once it is taken over", async () => {
    const { sent, saved } = setup(
      [
        { field: ".spec.title", manager: "kubectl-client-side-apply", byGateway: false },
        { field: ".spec.onSaleAt", manager: "sellout-gateway", byGateway: true },
      ],
      () => ok,
    );
    const title = screen.getByTestId("edit-title");
    expect(screen.getByTestId("owner-title").textContent).toMatch(/^Managed by kubectl-client-side-apply/);
    expect(title).toHaveProperty("readOnly", true);
    expect(screen.queryByTestId("owner-onSaleAt")).toBeNull();
    expect(screen.getByTestId("edit-on-sale")).toHaveProperty("readOnly", false);

    await userEvent.click(screen.getByLabelText("Take over from kubectl-client-side-apply"));
    expect(title).toHaveProperty("readOnly", false);
    await userEvent.clear(title);
    await userEvent.type(title, "Summer II");
    fireEvent.click(screen.getByTestId("save-event"));
    await waitFor(() => expect(saved).toHaveLength(1));
    const update = sent.find((o) => o.kind === "mutation");
    expect(update?.variables).toEqual({ ns: "acme", name: "summer", input: { title: "Summer II" }, force: true });
  });

  it("saves without force, sending only the changed field", async () => {
    const { sent, saved } = setup([], () => ok);
    const title = screen.getByTestId("edit-title");
    await userEvent.clear(title);
    await userEvent.type(title, "Winter");
    fireEvent.click(screen.getByTestId("save-event"));
    await waitFor(() => expect(saved).toEqual(["Saved."]));
    expect(sent.find((o) => o.kind === "mutation")?.variables).toMatchObject({
      input: { title: "Winter" },
      force: false,
    });
  });

  it("shows a CONFLICT on the field, naming the owner, and offers the take-over", async () => {
    setup([], () => ({
      errors: [
        {
          message: 'not changed: .spec.title is owned by field manager "gitops". …',
          extensions: { code: "CONFLICT", conflicts: [{ field: ".spec.title", manager: "gitops" }] },
        } as Answer["errors"] extends (infer E)[] | undefined ? E : never,
      ],
    }));
    const title = screen.getByTestId("edit-title");
    await userEvent.clear(title);
    await userEvent.type(title, "Mine");
    fireEvent.click(screen.getByTestId("save-event"));
    const alert = await screen.findByText(/^Managed by gitops: not saved/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(screen.getByTestId("owner-title").textContent).toMatch(/Managed by gitops/);
    expect(screen.getByLabelText("Take over from gitops")).toBeTruthy();
  });
});
