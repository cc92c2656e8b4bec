import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Operation } from "urql";
import { clientAnswering } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import NewVenuePage from "./NewVenuePage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };

describe("the new venue form", () => {
  it("adds sections by kind, draws them, and sends them", async () => {
    const sent: Operation[] = [];
    const client = clientAnswering((_, op) => {
      sent.push(op);
      return { data: { createVenue: { name: "hall" } } };
    });
    const { container } = renderWith(
      <OrgContext.Provider value={org}>
        <NewVenuePage />
      </OrgContext.Provider>,
      client,
    );
    await userEvent.type(screen.getByTestId("venue-name"), "hall");
    await userEvent.type(screen.getByTestId("venue-display-name"), "The Hall");
    await userEvent.type(screen.getByTestId("venue-line1"), "1 High Street");
    await userEvent.type(screen.getByTestId("venue-city"), "London");
    await userEvent.type(screen.getByTestId("venue-postcode"), "N1 1AA");
    await userEvent.type(screen.getByTestId("venue-country"), "GB");
    fireEvent.change(screen.getByTestId("venue-timezone"), { target: { value: "Europe/London" } });
    await userEvent.type(screen.getByTestId("venue-capacity"), "800");

    await userEvent.click(screen.getByTestId("add-section-ga"));
    await userEvent.type(screen.getByTestId("section-0-name"), "floor");
    await userEvent.type(screen.getByTestId("section-0-capacity"), "500");
    await userEvent.click(screen.getByTestId("add-section-seated"));
    await userEvent.type(screen.getByTestId("section-1-name"), "balcony");
    await userEvent.type(screen.getByTestId("section-1-rows"), "3");
    await userEvent.type(screen.getByTestId("section-1-seats-per-row"), "10");
    await userEvent.click(screen.getByTestId("add-section-tables"));
    await userEvent.type(screen.getByTestId("section-2-name"), "vip");
    await userEvent.type(screen.getByTestId("section-2-tables"), "5");
    await userEvent.type(screen.getByTestId("section-2-seats-per-table"), "4");

    expect(screen.getByTitle("Plan of The Hall")).toBeTruthy();
    expect(container.querySelectorAll('[data-testid="plan-section-balcony"] .plan-seat')).toHaveLength(30);
    expect(container.querySelectorAll('[data-testid="plan-section-vip"] .plan-table')).toHaveLength(5);
    expect(screen.getByText("T5")).toBeTruthy();

    fireEvent.click(screen.getByTestId("create-venue"));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect((sent[0]?.variables as { input: unknown }).input).toEqual({
      name: "hall",
      displayName: "The Hall",
      address: { line1: "1 High Street", city: "London", postalCode: "N1 1AA", country: "GB" },
      timezone: "Europe/London",
      capacity: 800,
      sections: [
        { name: "floor", generalAdmission: { capacity: 500 } },
        { name: "balcony", seated: { rows: 3, seatsPerRow: 10 } },
        { name: "vip", tables: { count: 5, seatsPerTable: 4 } },
      ],
    });
    await waitFor(() => expect(window.location.pathname).toMatch(/\/acme\/venues\/hall$/));
  });
});
