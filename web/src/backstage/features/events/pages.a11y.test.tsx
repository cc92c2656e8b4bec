/** The events and venues pages render what the API gives, with no serious accessibility problem (axe). */
import { screen, waitFor } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import NewVenuePage from "../venues/NewVenuePage";
import VenuePage from "../venues/VenuePage";
import EventPage from "./EventPage";
import EventsPage from "./EventsPage";
import NewEventPage from "./NewEventPage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };
const owners = [
  { field: ".spec.title", manager: "kubectl-client-side-apply", operation: "Update", byGateway: false },
  { field: ".spec.onSaleAt", manager: "sellout-gateway", operation: "Apply", byGateway: true },
];
const venue = {
  name: "hall",
  displayName: "The Hall",
  timezone: "Europe/London",
  capacity: 800,
  address: { line1: "1 High St", line2: null, city: "London", region: null, postalCode: "N1", country: "GB" },
  sections: [
    {
      name: "floor",
      generalAdmissionCapacity: 500,
      rows: null,
      seatsPerRow: null,
      seatLabels: [],
      tables: null,
      seatsPerTable: null,
    },
    {
      name: "stalls",
      generalAdmissionCapacity: null,
      rows: 3,
      seatsPerRow: 10,
      seatLabels: [],
      tables: null,
      seatsPerTable: null,
    },
    {
      name: "cabaret",
      generalAdmissionCapacity: null,
      rows: null,
      seatsPerRow: null,
      seatLabels: [],
      tables: 4,
      seatsPerTable: 6,
    },
  ],
  status: { ready: { status: "True", reason: "Reconciled", message: "" }, sectionCapacity: 584 },
  fieldOwners: [{ field: ".spec.displayName", manager: "gitops", operation: "Apply", byGateway: false }],
};
const event = {
  id: "u1",
  name: "summer",
  slug: "acme/summer",
  title: "Summer",
  description: null,
  venueName: "hall",
  venue: { name: "hall", displayName: "The Hall", timezone: "Europe/London", sections: [{ name: "floor" }] },
  currency: "GBP",
  days: [{ doorsAt: "2027-06-01T17:30:00Z", startsAt: "2027-06-01T18:30:00Z", endsAt: "2027-06-01T22:00:00Z" }],
  onSaleAt: "2027-03-01T09:00:00Z",
  offSaleAt: null,
  state: "DRAFT",
  holdTtlSeconds: 600,
  taxes: [],
  fees: [{ name: "Service", appliesTo: "TICKET", flatMinor: 150, percentBps: null }],
  promotions: [],
  generation: 1,
  workers: {
    checkout: { minReplicas: 1, maxReplicas: 4, prewarmReplicas: 2 },
    scan: { minReplicas: 1, maxReplicas: 2, prewarmReplicas: null },
    prewarmLeadSeconds: 900,
    replicaLimit: 10,
  },
  fieldOwners: owners,
  tiers: {
    nodes: [
      {
        name: "ga",
        displayName: "General admission",
        kind: "ADMISSION",
        priceMinor: 2550,
        currency: "GBP",
        quantity: 500,
        perOrder: { min: 1, max: 10 },
        section: null,
        tableSeats: null,
        visibility: "PUBLIC",
        status: { sold: 3, held: 1, available: 496 },
        fieldOwners: [],
      },
    ],
  },
};

const answers: Record<string, Answer> = {
  BackstageEvent: { data: { organization: { namespace: "acme", event } } },
  BackstageEventStatus: {
    data: {
      organization: {
        namespace: "acme",
        event: {
          id: "u1",
          state: "DRAFT",
          generation: 1,
          status: {
            phase: "DRAFT",
            ready: { status: "True", reason: "Reconciled", message: "ok" },
            upToDate: true,
            capacity: 500,
            sold: 3,
            held: 1,
            available: 496,
          },
        },
      },
    },
  },
  BackstageEvents: {
    data: {
      organization: {
        namespace: "acme",
        events: {
          pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: "a", endCursor: "b" },
          nodes: [
            {
              id: "u1",
              name: "summer",
              title: "Summer",
              state: "DRAFT",
              venueName: "hall",
              days: [{ startsAt: "2027-06-01T18:30:00Z" }],
              status: { phase: "DRAFT", capacity: 500, sold: 3 },
            },
          ],
        },
      },
    },
  },
  BackstageEventVenues: { data: { organization: { namespace: "acme", venues: { nodes: [venue] } } } },
  BackstageVenue: { data: { organization: { namespace: "acme", venue } } },
};

const client = () => clientAnswering((name) => answers[name] ?? {});

async function serious(container: HTMLElement) {
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

function render(ui: React.ReactElement) {
  return renderWith(<OrgContext.Provider value={org}>{ui}</OrgContext.Provider>, client());
}

describe("the events and venues pages", () => {
  it("event page: status, publish, tiers, ownership", async () => {
    const { container } = render(<EventPage route={{ name: "event", ns: "acme", event: "summer" }} />);
    await waitFor(() => expect(screen.getByTestId("event-phase").textContent).toBe("Draft"));
    expect(screen.getByTestId("event-ready").textContent).toBe("Ready");
    expect(screen.getByTestId("publish-event").textContent).toBe("Publish");
    expect(screen.getByTestId("tier-price-ga").textContent).toBe("£25.50");
    expect(screen.getByTestId("owner-title").textContent).toMatch(/Managed by kubectl-client-side-apply/);
    expect(await serious(container)).toEqual([]);
  });

  it("events list and new event form", async () => {
    const list = render(<EventsPage />);
    await screen.findByText("Summer");
    expect(await serious(list.container)).toEqual([]);
    list.unmount();
    const form = render(<NewEventPage />);
    await screen.findByTestId("event-venue");
    expect(await serious(form.container)).toEqual([]);
  });

  it("venue pages draw the plan", async () => {
    const page = render(<VenuePage route={{ name: "venue", ns: "acme", venue: "hall" }} />);
    await screen.findByTestId("venue-plan");
    expect(screen.getByTestId("owner-displayName").textContent).toMatch(/Managed by gitops/);
    expect(screen.getByTitle("Plan of The Hall")).toBeTruthy();
    expect(container(page).querySelectorAll('[data-testid="plan-section-cabaret"] .plan-table')).toHaveLength(4);
    expect(await serious(page.container)).toEqual([]);
    page.unmount();
    const form = render(<NewVenuePage />);
    expect(await serious(form.container)).toEqual([]);
  });
});

const container = (r: { container: HTMLElement }) => r.container;
