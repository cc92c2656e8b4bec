import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Operation } from "urql";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import NewEventPage from "./NewEventPage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };
const venues: Answer = {
  data: {
    organization: {
      namespace: "acme",
      venues: { nodes: [{ name: "hall", displayName: "The Hall", timezone: "Europe/London" }] },
    },
  },
};
type GqlError = NonNullable<Answer["errors"]>[number];

function setup(create: Answer) {
  const sent: Operation[] = [];
  const client = clientAnswering((name, op) => {
    if (name === "BackstageEventVenues") return venues;
    sent.push(op);
    return create;
  });
  renderWith(
    <OrgContext.Provider value={org}>
      <NewEventPage />
    </OrgContext.Provider>,
    client,
  );
  return sent;
}

async function fill() {
  await userEvent.type(screen.getByTestId("event-title"), "Summer Night");
  await userEvent.type(screen.getByTestId("event-name"), "summer-night");
  await userEvent.selectOptions(await screen.findByTestId("event-venue"), "hall");
  fireEvent.change(screen.getByTestId("day-0-doors"), { target: { value: "2027-06-01T18:30" } });
  fireEvent.change(screen.getByTestId("day-0-starts"), { target: { value: "2027-06-01T19:30" } });
  fireEvent.change(screen.getByTestId("day-0-ends"), { target: { value: "2027-06-01T23:00" } });
  fireEvent.change(screen.getByTestId("event-on-sale"), { target: { value: "2027-03-01T10:00" } });
}

describe("the new event form", () => {
  it("checks the fields before sending", async () => {
    const sent = setup({});
    await screen.findByTestId("event-venue");
    fireEvent.click(screen.getByTestId("create-event"));
    expect(await screen.findByText("Give the event a title")).toBeTruthy();
    expect(screen.getByText("Pick the venue")).toBeTruthy();
    expect(sent).toHaveLength(0);
  });

  it("puts the API's causes on their fields, the rest above the button", async () => {
    const sent = setup({
      errors: [
        {
          message: "the API server refused the change: spec.days[0]: doors after start; spec: on sale too late",
          extensions: {
            code: "INVALID",
            causes: [
              { reason: "FieldValueInvalid", field: "spec.days[0]", message: "doors after start" },
              { reason: "FieldValueInvalid", field: "spec.title", message: "title is reserved" },
              { reason: "FieldValueInvalid", field: "spec", message: "on sale too late" },
            ],
          },
        } as GqlError,
      ],
    });
    await fill();
    fireEvent.click(screen.getByTestId("create-event"));
    expect((await screen.findByTestId("day-0-error")).textContent).toBe("doors after start");
    expect(screen.getByText("title is reserved").closest('[role="alert"]')).not.toBeNull();
    expect(screen.getByTestId("new-event-problems").textContent).toContain("on sale too late");
    const vars = sent[0]?.variables as { input: Record<string, unknown> };
    expect(vars.input).toMatchObject({ name: "summer-night", title: "Summer Night", venue: "hall", currency: "GBP" });
  });

  it("goes to the event once created", async () => {
    setup({ data: { createEvent: { id: "u1", name: "summer-night" } } });
    await fill();
    fireEvent.click(screen.getByTestId("create-event"));
    await waitFor(() => expect(window.location.pathname).toMatch(/\/acme\/events\/summer-night$/));
  });
});
