/** The door, orders, order and refunds pages against a mock API: what they show, what they send, and axe. */
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { clientAnswering, type Answer } from "../../test/client";
import { renderWith } from "../../test/render";
import { OrgContext, type Org } from "../session/org";
import DoorPage from "./door/DoorPage";
import OrderPage from "./orders/OrderPage";
import OrdersPage from "./orders/OrdersPage";
import RefundsPage from "./refunds/RefundsPage";

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

const events = {
  organization: {
    namespace: "acme",
    events: {
      nodes: [{ id: "e1", name: "gig", slug: "acme/gig", title: "The Gig", state: "CANCELLED", currency: "EUR" }],
    },
  },
};

describe("door", () => {
  it("scans a typed code and shows the answer and the live counts", async () => {
    const { container, sent } = page(<DoorPage />, (name) => {
      switch (name) {
        case "BackstageScanDays":
          return {
            data: {
              scanDays: [
                {
                  event: "acme/gig",
                  title: "The Gig",
                  venue: "Hall",
                  day: 1,
                  doorsAt: "2026-12-07T18:00:00Z",
                  startsAt: "2026-12-07T19:00:00Z",
                  endsAt: "2026-12-07T23:00:00Z",
                  checkedIn: 3,
                },
                {
                  ...{ event: "other/x", title: "X", venue: "Y", day: 1 },
                  doorsAt: "",
                  startsAt: "",
                  endsAt: "",
                  checkedIn: 0,
                },
              ],
            },
          };
        case "BackstageDoorSetup":
          return { data: { scannerKit: { eventUid: "u", gates: [], tiers: [] } } };
        case "BackstageDoorTotals":
          return {
            data: {
              organization: {
                namespace: "acme",
                event: {
                  id: "e1",
                  name: "gig",
                  status: { sold: 10 },
                  tiers: { nodes: [{ name: "ga", displayName: "General", kind: "ADMISSION", status: { sold: 10 } }] },
                },
              },
            },
          };
        case "BackstageCheckInCounts":
          return {
            data: {
              checkInCounts: {
                days: [
                  {
                    day: 1,
                    checkedIn: 3,
                    admissions: 3,
                    redeemed: 0,
                    byGate: [{ name: "Main entrance", checkedIn: 3, admissions: 3 }],
                    byTier: [{ name: "ga", checkedIn: 3, admissions: 3 }],
                  },
                ],
              },
            },
          };
        case "BackstageScan":
          return {
            data: {
              scan: {
                outcome: "ALREADY_ADMITTED",
                message: "Already admitted today",
                ticketId: "t1",
                tier: "ga",
                tierDisplayName: "General",
                holderName: "Ada",
                seat: null,
                day: 1,
                admissions: 1,
                standing: { at: "2026-12-07T19:04:00Z", gate: "North", device: "d", staff: "s", offline: false },
                validDays: [],
                retry: false,
              },
            },
          };
        default:
          return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
      }
    });
    const picker = await screen.findByTestId("door-event");
    expect(
      within(picker)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["The Gig (Hall)"]);
    const total = await waitFor(() => {
      const card = screen.getAllByTestId("scanned-in").find((c) => c.dataset.kind === "total");
      expect(card).toBeDefined();
      return card as HTMLElement;
    });
    expect(within(total).getByTestId("scanned-in-count").textContent).toBe("3");
    expect(within(total).getByTestId("scanned-in-total").textContent).toContain("of 10");

    fireEvent.change(screen.getByLabelText("Ticket code"), { target: { value: "CODE1" } });
    fireEvent.click(screen.getByTestId("manual-submit"));
    const result = await screen.findByTestId("scan-result");
    expect(result.dataset.outcome).toBe("ALREADY_ADMITTED");
    expect(result.textContent).toContain("Already in");
    const scan = sent.find((s) => s.name === "BackstageScan");
    expect(scan?.vars).toMatchObject({ event: "acme/gig", code: "CODE1", gate: "Main entrance" });
    expect(String(scan?.vars.scanId)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await serious(container)).toEqual([]);
  });
});

const orderNode = (id: string, number: string) => ({
  id,
  number,
  event: "acme/gig",
  state: "COMPLETED",
  totalMinor: 2500,
  refundedMinor: 0,
  currency: "EUR",
  placedAtMs: 1_765_000_000_000,
  buyer: { name: "Ada Lovelace", email: "ada@example.com" },
});

describe("orders", () => {
  it("lists orders once each, with links, and pages on", async () => {
    const { container, sent } = page(<OrdersPage />, (name, vars) => {
      if (name === "BackstageEventChoices") return { data: events };
      if (name === "BackstageOrders")
        return {
          data: {
            orders: {
              pageInfo: { hasNextPage: !vars.after, endCursor: vars.after ? "c2" : "c1" },
              nodes: vars.after
                ? [orderNode("o3", "SO-3")]
                : [orderNode("o1", "SO-1"), orderNode("o2", "SO-2"), orderNode("o1", "SO-1")],
            },
          },
        };
      return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
    });
    await waitFor(() => expect(screen.getAllByTestId("order-row")).toHaveLength(2));
    const first = screen.getAllByTestId("order-row")[0] as HTMLElement;
    expect(first.dataset.orderId).toBe("o1");
    expect(within(first).getByRole("link", { name: "SO-1" }).getAttribute("href")).toContain("/acme/orders/gig/o1");
    expect(first.textContent).toContain("€25.00");
    expect(await serious(container)).toEqual([]);
    fireEvent.click(screen.getByTestId("page-next"));
    await waitFor(() => expect(screen.getAllByTestId("order-row").map((r) => r.dataset.orderId)).toEqual(["o3"]));
    expect(sent.filter((s) => s.name === "BackstageOrders").at(-1)?.vars).toMatchObject({
      organization: "acme",
      after: "c1",
    });
  });

  it("refunds one ticket after confirmation and shows a refusal", async () => {
    let refused = true;
    const order = {
      ...orderNode("o1", "SO-1"),
      paymentIntentId: null,
      paymentError: null,
      buyer: { name: "Ada", email: "ada@example.com", phone: null },
      lines: [{ tier: "ga", description: "General", quantity: 1, unitPriceMinor: 2500, amountMinor: 2500 }],
      charges: [],
      tickets: [{ id: "t1", tier: "ga", label: "General 1 of 1", seat: null, admissions: 1, refunded: false }],
      refunds: [],
      customer: null,
    };
    const { container, sent } = page(
      <OrderPage route={{ name: "order", ns: "acme", event: "gig", orderId: "o1" }} />,
      (name) => {
        if (name === "BackstageOrder") return { data: { order } };
        if (name === "BackstageRefundTickets") {
          if (refused) {
            refused = false;
            return { errors: [{ message: "Stripe is not answering", extensions: { code: "PAYMENT_UNAVAILABLE" } }] };
          }
          return {
            data: {
              refundTickets: { id: "r1", amountMinor: 2500, currency: "EUR", state: "Done", feesReturned: true },
            },
          };
        }
        return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
      },
    );
    fireEvent.click(await screen.findByTestId("refund-ticket"));
    fireEvent.click(await screen.findByRole("button", { name: "Confirm refund" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Stripe is not answering");
    fireEvent.click(screen.getByRole("button", { name: "Confirm refund" }));
    expect((await screen.findByTestId("order-notice")).textContent).toContain("€25.00");
    const refunds = sent.filter((s) => s.name === "BackstageRefundTickets");
    expect(refunds).toHaveLength(2);
    expect(refunds[0]?.vars.refundId).toBe(refunds[1]?.vars.refundId);
    expect(refunds[0]?.vars).toMatchObject({ event: "acme/gig", orderId: "o1", ticketIds: ["t1"] });
    expect(await serious(container)).toEqual([]);
  });
});

describe("refunds", () => {
  it("shows an event's figures and previews the refund of a cancelled event", async () => {
    window.history.replaceState(null, "", "/backstage/acme/refunds?event=gig");
    const { container, sent } = page(<RefundsPage />, (name, vars) => {
      if (name === "BackstageEventChoices") return { data: events };
      if (name === "BackstageRefundStats")
        return {
          data: {
            refundStats: {
              refunds: 2,
              tickets: 3,
              amountMinor: 7500,
              feesReturnedMinor: 300,
              currency: "EUR",
              ordersFullyRefunded: 1,
            },
          },
        };
      if (name === "BackstageRefundSeries") return { data: { salesSeries: [] } };
      if (name === "BackstageRefundEvent")
        return {
          data: {
            refundEvent: {
              dryRun: vars.dryRun,
              orders: 4,
              tickets: 6,
              amountMinor: 15000,
              feesReturnedMinor: 600,
              currency: "EUR",
              failedOrders: [],
            },
          },
        };
      return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
    });
    const stats = await screen.findByTestId("refund-stats");
    expect(within(stats).getByTestId("refund-count").textContent).toBe("3");
    expect(within(stats).getByTestId("refund-amount").textContent).toBe("€75.00");
    fireEvent.click(screen.getByTestId("refund-event-preview"));
    expect((await screen.findByTestId("refund-event-dry-run")).textContent).toBe(
      "Would refund 4 orders (6 tickets): €150.00, of which €6.00 fees.",
    );
    fireEvent.click(screen.getByRole("button", { name: "Confirm refund" }));
    expect((await screen.findByTestId("refund-event-report")).textContent).toContain("Refunded 4 orders");
    expect(sent.filter((s) => s.name === "BackstageRefundEvent").map((s) => s.vars.dryRun)).toEqual([true, false]);
    expect(await serious(container)).toEqual([]);
    window.history.replaceState(null, "", "/");
  });
});
