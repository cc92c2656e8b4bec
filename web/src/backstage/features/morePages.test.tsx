/** The box office, customers and analytics pages against a mock API: what they send and show, and axe. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import axe from "axe-core";
import { afterEach, describe, expect, it } from "vitest";
import { clientAnswering, type Answer } from "../../test/client";
import { renderWith } from "../../test/render";
import { OrgContext, type Org } from "../session/org";
import AnalyticsPage from "./analytics/AnalyticsPage";
import CustomersPage from "./customers/CustomersPage";
import BoxOfficePage from "./orders/BoxOfficePage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "ADMIN" };

async function serious(container: HTMLElement) {
  const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

function page(ui: React.ReactElement, answer: (name: string, vars: Record<string, unknown>) => Answer) {
  const sent: { name: string; vars: Record<string, unknown> }[] = [];
  const client = clientAnswering((name, op) => {
    const vars = (op.variables ?? {}) as Record<string, unknown>;
    sent.push({ name, vars });
    return answer(name, vars);
  });
  const r = renderWith(<OrgContext.Provider value={org}>{ui}</OrgContext.Provider>, client);
  return { ...r, sent };
}

const unexpected = (name: string): Answer => ({
  errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }],
});

const events = {
  organization: {
    namespace: "acme",
    events: {
      nodes: [{ id: "e1", name: "gig", slug: "acme/gig", title: "The Gig", state: "PUBLISHED", currency: "EUR" }],
    },
  },
};

afterEach(() => window.history.replaceState(null, "", "/"));

describe("box office", () => {
  it("holds a hidden tier, then sells the hold as a comp", async () => {
    window.history.replaceState(null, "", "/backstage/acme/box-office?event=gig");
    const { container, sent } = page(<BoxOfficePage />, (name, vars) => {
      switch (name) {
        case "BackstageEventChoices":
          return { data: events };
        case "BackstageBoxOfficeTiers":
          return {
            data: {
              organization: {
                namespace: "acme",
                event: {
                  ...events.organization.events.nodes[0],
                  tiers: {
                    nodes: [
                      {
                        name: "guest",
                        displayName: "Guest list",
                        kind: "ADMISSION",
                        priceMinor: 3000,
                        currency: "EUR",
                        visibility: "HIDDEN",
                        tableSeats: null,
                        perOrder: { min: 1, max: 10 },
                        status: { available: 20 },
                      },
                    ],
                  },
                },
              },
            },
          };
        case "BackstageHold":
          return {
            data: { hold: { id: vars.holdId, tier: "guest", quantity: vars.quantity, seats: [], expiresAtMs: 0 } },
          };
        case "BackstageCreateBoxOfficeOrder":
          return {
            data: {
              createBoxOfficeOrder: {
                id: "o9",
                number: "SO-9",
                event: "acme/gig",
                state: "COMPLETED",
                totalMinor: 0,
                currency: "EUR",
                buyer: { name: "Bo", email: "bo@example.com" },
                tickets: [
                  { id: "t1", label: "Guest 1 of 2", seat: null },
                  { id: "t2", label: "Guest 2 of 2", seat: null },
                ],
              },
            },
          };
        default:
          return unexpected(name);
      }
    });
    await screen.findByTestId("box-office-tier");
    expect(screen.getByRole("option", { name: /Guest list · €30\.00 · hidden/ })).toBeDefined();
    fireEvent.change(screen.getByTestId("box-office-quantity"), { target: { value: "2" } });
    fireEvent.click(screen.getByLabelText("Complimentary (free)"));
    fireEvent.change(screen.getByTestId("buyer-email"), { target: { value: "bo@example.com" } });
    fireEvent.click(screen.getByTestId("box-office-sell"));
    expect((await screen.findByTestId("box-office-sold")).textContent).toContain("SO-9");
    const hold = sent.find((s) => s.name === "BackstageHold");
    expect(hold?.vars).toMatchObject({ event: "acme/gig", tier: "guest", quantity: 2 });
    const sale = sent.find((s) => s.name === "BackstageCreateBoxOfficeOrder");
    expect(sale?.vars).toMatchObject({
      event: "acme/gig",
      holds: [{ holdId: hold?.vars.holdId, tier: "guest", quantity: 2, seats: [] }],
      buyer: { email: "bo@example.com", name: null },
      payment: "COMP",
    });
    expect(await serious(container)).toEqual([]);
  });
});

describe("customers", () => {
  it("lists customers with their lifetime value", async () => {
    const { container } = page(<CustomersPage />, (name) =>
      name === "BackstageCustomers"
        ? {
            data: {
              customers: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  {
                    email: "ada@example.com",
                    name: "Ada",
                    currency: "GBP",
                    orders: 3,
                    lifetimeValueMinor: 12345,
                    refundedMinor: 500,
                    firstOrderAtMs: 1_760_000_000_000,
                    lastOrderAtMs: 1_765_000_000_000,
                  },
                ],
              },
            },
          }
        : unexpected(name),
    );
    expect((await screen.findByTestId("customer-ltv")).textContent).toBe("£123.45");
    expect(await serious(container)).toEqual([]);
  });
});

describe("analytics", () => {
  it("asks for the bucket chosen and writes the totals out", async () => {
    window.history.replaceState(null, "", "/backstage/acme/analytics?bucket=HOUR&days=90");
    const b = { start: "2026-12-01T19:00:00Z", orders: 2, tickets: 3, addOns: 0, grossMinor: 9000, refundedMinor: 0 };
    const sales = { ...b, compTickets: 0, boxOfficeOrders: 0, promoOrders: 1 };
    const ci = { start: "2026-12-01T19:00:00Z", checkIns: 2, admissions: 2, undone: 0, offline: 0 };
    const { container, sent } = page(<AnalyticsPage />, (name) => {
      if (name === "BackstageEventChoices") return { data: events };
      if (name === "BackstageBuyerMap")
        return { data: { buyerMap: [{ latitude: 53.95, longitude: -1.05, buyers: 5, orders: 7 }] } };
      if (name === "BackstageAnalytics")
        return {
          data: {
            salesSeries: [{ currency: "EUR", buckets: [sales], total: sales }],
            checkInSeries: { buckets: [ci], total: ci },
            promoUsage: [{ code: "EARLY", orders: 1, tickets: 2, grossMinor: 5000, currency: "EUR" }],
          },
        };
      return unexpected(name);
    });
    expect((await screen.findByTestId("total-gross")).textContent).toBe("€90.00");
    expect(screen.getByTestId("total-check-ins").textContent).toBe("2");
    const vars = sent.find((s) => s.name === "BackstageAnalytics")?.vars;
    expect(vars).toMatchObject({ ns: "acme", event: null, bucket: "HOUR" });
    const hours = (Date.parse(String(vars?.to)) - Date.parse(String(vars?.from))) / 3_600_000;
    expect(hours).toBeLessThanOrEqual(2000);
    // The charts' module (recharts) is big: it loads slowly on a busy machine.
    await waitFor(() => expect(screen.queryAllByText("Loading the chart…")).toEqual([]), { timeout: 15_000 });
    // Buyers' areas as a table (jsdom draws no WebGL map, and says so).
    expect((await screen.findByTestId("buyer-area")).textContent).toBe("53.95, -1.0557");
    expect(await screen.findByTestId("buyer-map-unavailable")).toBeTruthy();
    expect(await serious(container)).toEqual([]);
  }, 30_000);
});
