/** The orders list's paging against a mock API: the page is in the address, only the first page follows new orders. */
import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clientAnswering, type Answer } from "../../../test/client";
import { renderWith } from "../../../test/render";
import { OrgContext, type Org } from "../../session/org";
import { LIVE_MS } from "./orders";
import OrdersPage from "./OrdersPage";

const org: Org = { namespace: "acme", name: "acme", displayName: "Acme", role: "BOX_OFFICE" };

const node = (id: string) => ({
  id,
  number: `SO-${id}`,
  event: "acme/gig",
  state: "COMPLETED",
  totalMinor: 2500,
  refundedMinor: 0,
  currency: "EUR",
  placedAtMs: 1_765_000_000_000,
  buyer: { name: "Ada", email: "ada@example.com" },
});

const events = {
  organization: {
    namespace: "acme",
    events: {
      nodes: [{ id: "e1", name: "gig", slug: "acme/gig", title: "The Gig", state: "PUBLISHED", currency: "EUR" }],
    },
  },
};

/** Pages of two, newest first; `arrived` puts a new order on top, so the first page ends one order earlier. */
function setup() {
  let arrived = false;
  const asked: Record<string, unknown>[] = [];
  const pages: Record<string, { ids: string[]; end: string | null }> = {
    first: { ids: ["o9", "o8"], end: "after-o8" },
    arrived: { ids: ["o10", "o9"], end: "after-o9" },
    "after-o8": { ids: ["o7", "o6"], end: "after-o6" },
    "after-o9": { ids: ["o8", "o7"], end: "after-o7" },
    "after-o6": { ids: ["o5"], end: null },
  };
  const client = clientAnswering((name, op): Answer => {
    const vars = (op.variables ?? {}) as Record<string, unknown>;
    if (name === "BackstageEventChoices") return { data: events };
    if (name !== "BackstageOrders")
      return { errors: [{ message: `unexpected ${name}`, extensions: { code: "BAD_REQUEST" } }] };
    asked.push(vars);
    const key = vars.after ? String(vars.after) : arrived ? "arrived" : "first";
    const p = pages[key];
    if (!p) return { errors: [{ message: "after is not a cursor of this list", extensions: { code: "BAD_REQUEST" } }] };
    return {
      data: { orders: { pageInfo: { hasNextPage: p.end !== null, endCursor: p.end }, nodes: p.ids.map(node) } },
    };
  });
  renderWith(
    <OrgContext.Provider value={org}>
      <OrdersPage />
    </OrgContext.Provider>,
    client,
  );
  return { asked, arrive: () => (arrived = true) };
}

const shown = () => screen.queryAllByTestId("order-row").map((r) => r.dataset.orderId);
const afters = () => new URLSearchParams(window.location.search).getAll("after");

beforeEach(() => vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] }));
afterEach(() => {
  vi.useRealTimers();
  window.history.replaceState(null, "", "/");
});

describe("paging the orders", () => {
  it("keeps the page in the address, so a reload shows it again, and Previous goes back page by page", async () => {
    window.history.replaceState(null, "", "/backstage/acme/orders?event=gig&after=after-o8&after=after-o6");
    const { asked } = setup();
    await waitFor(() => expect(shown()).toEqual(["o5"]));
    expect(screen.getByTestId("page-number").textContent).toBe("Page 3");
    expect(asked.at(-1)).toMatchObject({ event: "acme/gig", after: "after-o6" });
    expect((screen.getByTestId("page-next") as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByTestId("page-previous"));
    await waitFor(() => expect(shown()).toEqual(["o7", "o6"]));
    expect(screen.getByTestId("page-number").textContent).toBe("Page 2");
    expect(afters()).toEqual(["after-o8"]);

    fireEvent.click(screen.getByTestId("page-previous"));
    await waitFor(() => expect(shown()).toEqual(["o9", "o8"]));
    expect(screen.getByTestId("page-number").textContent).toBe("Page 1");
    expect(afters()).toEqual([]);
    expect(new URLSearchParams(window.location.search).get("event")).toBe("gig");
  });

  it("follows new orders on the first page only, and Next goes on from the first page as it is now", async () => {
    window.history.replaceState(null, "", "/backstage/acme/orders?after=after-o8");
    const { asked, arrive } = setup();
    await waitFor(() => expect(shown()).toEqual(["o7", "o6"]));
    const before = asked.length;
    arrive();
    act(() => void vi.advanceTimersByTime(LIVE_MS * 2));
    expect(asked.length).toBe(before);
    expect(shown()).toEqual(["o7", "o6"]);

    fireEvent.click(screen.getByTestId("page-previous"));
    await waitFor(() => expect(shown()).toEqual(["o10", "o9"]));
    act(() => void vi.advanceTimersByTime(LIVE_MS));
    await waitFor(() => expect(asked.filter((v) => v.after === null).length).toBeGreaterThanOrEqual(2));

    fireEvent.click(screen.getByTestId("page-next"));
    await waitFor(() => expect(shown()).toEqual(["o8", "o7"]));
    expect(afters()).toEqual(["after-o9"]);
  });

  it("goes back to the first page when a filter changes", async () => {
    window.history.replaceState(null, "", "/backstage/acme/orders?after=after-o8");
    const { asked } = setup();
    await waitFor(() => expect(shown()).toEqual(["o7", "o6"]));
    fireEvent.change(screen.getByTestId("order-state-filter"), { target: { value: "REFUNDED" } });
    await waitFor(() => expect(asked.at(-1)).toMatchObject({ after: null, states: ["REFUNDED"] }));
    expect(afters()).toEqual([]);
  });
});
