import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Operation } from "urql";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import type { FieldOwnerEntry } from "../../components/fieldOwners";
import { OrgContext, type Org } from "../../session/org";
import type { WorkersLike } from "./workers";
import { WorkersForm } from "./WorkersForm";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };
const workers: WorkersLike = {
  checkout: { minReplicas: 1, maxReplicas: 4, prewarmReplicas: null },
  scan: { minReplicas: 1, maxReplicas: 2, prewarmReplicas: null },
  prewarmLeadSeconds: 900,
  replicaLimit: 10,
};
const ok: Answer = { data: { updateEvent: { __typename: "PromoterEvent", id: "1", name: "show", generation: 2 } } };

function setup(owners: FieldOwnerEntry[], answer: Answer = ok) {
  const sent: Operation[] = [];
  const client = clientAnswering((name, op) => {
    sent.push(op);
    return name === "BackstageUpdateEvent" ? answer : {};
  });
  const saved: string[] = [];
  renderWith(
    <OrgContext.Provider value={org}>
      <WorkersForm event="show" workers={workers} owners={owners} onSaved={(m) => saved.push(m)} />
    </OrgContext.Provider>,
    client,
  );
  return { sent, saved };
}

async function type(testId: string, text: string) {
  const input = screen.getByTestId(testId);
  await userEvent.clear(input);
  await userEvent.type(input, text);
}

describe("the workers form", () => {
  it("sends the changed worker set only", async () => {
    const { sent, saved } = setup([]);
    await type("workers-checkout-max", "8");
    await type("workers-checkout-prewarm", "6");
    fireEvent.click(screen.getByTestId("save-workers"));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sent.find((o) => o.kind === "mutation")?.variables).toEqual({
      ns: "acme",
      name: "show",
      input: { workers: { checkout: { minReplicas: 1, maxReplicas: 8, prewarmReplicas: 6 } } },
      force: false,
    });
  });

  it("refuses more than the organization's limit on the field, sending nothing", async () => {
    const { sent } = setup([]);
    await type("workers-scan-max", "40");
    fireEvent.click(screen.getByTestId("save-workers"));
    expect((await screen.findByText(/At most 10: your organization's limit/)).closest('[role="alert"]')).not.toBeNull();
    expect(sent.some((o) => o.kind === "mutation")).toBe(false);
  });

  it("shows scaling GitOps owns read-only until taken over", async () => {
    const { sent, saved } = setup([
      { field: ".spec.workers.checkout.maxReplicas", manager: "gitops", byGateway: false },
    ]);
    expect(screen.getByTestId("workers-checkout-max")).toHaveProperty("readOnly", true);
    expect(screen.getByTestId("workers-scan-max")).toHaveProperty("readOnly", false);
    expect(screen.getByTestId("owner-workers-checkout").textContent).toMatch(/^Managed by gitops/);
    await userEvent.click(screen.getByLabelText("Take over from gitops"));
    await type("workers-checkout-max", "6");
    fireEvent.click(screen.getByTestId("save-workers"));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(sent.find((o) => o.kind === "mutation")?.variables).toMatchObject({ force: true });
  });

  it("shows the gateway's refusal", async () => {
    setup([], {
      errors: [
        {
          message: "workers.checkout.maxReplicas may be at most 10 for this organization",
          extensions: { code: "BAD_REQUEST" },
        } as Answer["errors"] extends (infer E)[] | undefined ? E : never,
      ],
    });
    await type("workers-checkout-min", "2");
    fireEvent.click(screen.getByTestId("save-workers"));
    expect(await screen.findByText(/may be at most 10 for this organization/)).toBeTruthy();
  });
});
