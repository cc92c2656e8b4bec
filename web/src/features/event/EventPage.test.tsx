import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { clientAnswering, type Answer } from "../../test/client";
import { renderWith } from "../../test/render";
import { EventPage } from "./EventPage";

// Intl puts (narrow) no-break spaces in places; compare with plain ones
const plain = (s: string | null | undefined) => (s ?? "").replace(/[\u00a0\u202f]/g, " ");

interface TierData {
  name: string;
  displayName: string;
  priceMinor: number;
  currency: string;
  perOrderMax: number;
  available: number | null;
  kind: "ADMISSION" | "ADD_ON";
  seating: "GENERAL_ADMISSION" | "SEATED" | "TABLE";
  tableSeats: number | null;
  salesState: "ON_SALE" | "NOT_YET_ON_SALE" | "SALES_ENDED" | "SOLD_OUT";
  salesStartAt: string;
  salesEndAt: string | null;
}

const tier = (name: string, displayName: string, available: number | null, more: Partial<TierData> = {}): TierData => ({
  name,
  displayName,
  priceMinor: 2500,
  currency: "EUR",
  perOrderMax: 4,
  available,
  kind: "ADMISSION",
  seating: "GENERAL_ADMISSION",
  tableSeats: null,
  salesState: available === 0 ? "SOLD_OUT" : "ON_SALE",
  salesStartAt: "2020-01-01T10:00:00Z",
  salesEndAt: null,
  ...more,
});

const DAY = {
  day: 1,
  doorsAt: "2027-05-01T18:00:00Z",
  startsAt: "2027-05-01T19:00:00Z",
  endsAt: "2027-05-01T23:00:00Z",
  doorsAtLocal: "2027-05-01T19:00:00+01:00",
  startsAtLocal: "2027-05-01T20:00:00+01:00",
  endsAtLocal: "2027-05-02T00:00:00+01:00",
};

function event(
  onSaleAt: string,
  tiers: TierData[] = [tier("ga", "General admission", 3), tier("vip", "VIP", 0)],
  more: Record<string, unknown> = {},
) {
  return {
    data: {
      event: {
        id: "e-1",
        slug: "acme/show",
        title: "The Show",
        currency: "EUR",
        description: null,
        onSaleAt,
        offSaleAt: "2999-05-01T23:00:00Z",
        timezone: "Europe/London",
        days: [DAY],
        state: "Published",
        venue: { name: "hall", displayName: "The Hall", city: "Leeds", country: "GB" },
        tiers,
        analytics: null,
        ...more,
      },
    },
  };
}

const seatMap = (tierName: string, tables = false): Answer => ({
  data: {
    seatMap: {
      event: "acme/show",
      tier: tierName,
      section: tierName,
      tables,
      seatsPerTable: tables ? 8 : null,
      free: 2,
      rows: [
        {
          name: tables ? "" : "A",
          seats: [
            { label: tables ? "T1" : "A1", state: "FREE" },
            { label: tables ? "T2" : "A2", state: "HELD" },
          ],
        },
      ],
    },
  },
});

function page(answers: Record<string, Answer | ((vars: Record<string, unknown>) => Answer)>) {
  const asked: { name: string; variables: Record<string, unknown> }[] = [];
  const client = clientAnswering((name, op) => {
    const variables = (op.variables ?? {}) as Record<string, unknown>;
    asked.push({ name, variables });
    const a = answers[name];
    return typeof a === "function" ? a(variables) : (a ?? { data: null });
  });
  renderWith(<EventPage slug="acme/show" />, client);
  return asked;
}

describe("EventPage", () => {
  it("shows the event, its days on the venue's clock and when sales end, and no status line", async () => {
    page({ EventPage: event("2020-01-01T10:00:00Z") });
    expect(await screen.findByRole("heading", { level: 1, name: "The Show" })).toBeTruthy();
    expect(screen.getByText("The Hall, Leeds")).toBeTruthy();
    const days = screen.getByRole("list", { name: "Dates" });
    expect(plain(within(days).getByRole("listitem").textContent)).toBe(
      "Sat, May 1, 2027 · doors 7:00 PM · 8:00 PM–12:00 AM (Europe/London)",
    );
    expect(plain(screen.getByTestId("sales-end").textContent)).toMatch(/^Sales end on .*2999.*\(Europe\/London\)\.$/);
    expect(screen.queryByText(/Status:/)).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("falls back to the offset of the local times without a timezone, and names each of several days", async () => {
    const day2 = {
      ...DAY,
      day: 2,
      doorsAt: "2027-05-02T16:00:00Z",
      startsAt: "2027-05-02T17:00:00Z",
      endsAt: "2027-05-02T21:30:00Z",
      startsAtLocal: "2027-05-02T19:00:00+02:00",
    };
    page({
      EventPage: event("2020-01-01T10:00:00Z", undefined, {
        timezone: null,
        days: [{ ...DAY, startsAtLocal: "2027-05-01T21:00:00+02:00" }, day2],
      }),
    });
    const days = await screen.findByRole("list", { name: "Dates" });
    expect(
      within(days)
        .getAllByRole("listitem")
        .map((li) => plain(li.textContent)),
    ).toEqual([
      "Day 1: Sat, May 1, 2027 · doors 8:00 PM · 9:00 PM–1:00 AM (UTC+02:00)",
      "Day 2: Sun, May 2, 2027 · doors 6:00 PM · 7:00 PM–11:30 PM (UTC+02:00)",
    ]);
  });

  it("writes the description as plain text paragraphs, never as HTML", async () => {
    page({
      EventPage: event("2020-01-01T10:00:00Z", undefined, {
        description: "An evening of **songs**.\nDoors early.\n\n<img src=x onerror=alert(1)> <b>bold</b>",
      }),
    });
    const d = await screen.findByTestId("event-description");
    const ps = d.querySelectorAll("p");
    expect(Array.from(ps).map((p) => p.textContent)).toEqual([
      "An evening of **songs**.\nDoors early.",
      "<img src=x onerror=alert(1)> <b>bold</b>",
    ]);
    expect(d.querySelector("img, b")).toBeNull();
  });

  it("offers each tier up to what is left, and says what is sold out (no picker)", async () => {
    page({ EventPage: event("2020-01-01T10:00:00Z") });
    const ga = await screen.findByLabelText("Number of tickets: General admission");
    expect(
      within(ga)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["0", "1", "2", "3"]);
    expect(screen.getByText("3 left")).toBeTruthy();
    expect(screen.getByTestId("sales-vip").textContent).toBe("Sold out");
    expect(screen.queryByLabelText("Number of tickets: VIP")).toBeNull();
  });

  it("takes live figures from the availability subscription: 0 left is sold out, more undoes it", async () => {
    page({
      EventPage: event("2020-01-01T10:00:00Z"),
      Availability: {
        data: {
          availability: {
            event: "acme/show",
            tiers: [
              { name: "ga", available: 0 },
              { name: "vip", available: 2 },
            ],
          },
        },
      },
    });
    await waitFor(() => expect(screen.getByText("2 left")).toBeTruthy());
    expect(screen.getByTestId("sales-ga").textContent).toBe("Sold out");
    expect(screen.queryByLabelText("Number of tickets: General admission")).toBeNull();
    const vip = screen.getByLabelText("Number of tickets: VIP");
    expect(within(vip).getAllByRole("option")).toHaveLength(3);
  });

  it("says when a tier's sales open or that they ended, with no picker", async () => {
    page({
      EventPage: event("2020-01-01T10:00:00Z", [
        tier("early", "Early bird", 5, { salesState: "SALES_ENDED", salesEndAt: "2021-01-01T00:00:00Z" }),
        tier("late", "Late", 5, { salesState: "NOT_YET_ON_SALE", salesStartAt: "2999-03-01T12:00:00Z" }),
        tier("ga", "General admission", 5),
      ]),
    });
    await screen.findByLabelText("Number of tickets: General admission");
    expect(screen.getByTestId("sales-early").textContent).toBe("Sales have ended");
    expect(plain(screen.getByTestId("sales-late").textContent)).toMatch(/^On sale from .*2999.*\(Europe\/London\)$/);
    expect(screen.queryByLabelText("Number of tickets: Early bird")).toBeNull();
    expect(screen.queryByLabelText("Number of tickets: Late")).toBeNull();
  });

  it("lists add-ons under Extras after the admission tiers", async () => {
    page({
      EventPage: event("2020-01-01T10:00:00Z", [
        tier("parking", "Parking", 50, { kind: "ADD_ON" }),
        tier("ga", "General admission", 100),
        tier("vip", "VIP", 10),
      ]),
    });
    await screen.findByLabelText("Number of tickets: Parking");
    const headings = screen.getAllByRole("heading").map((h) => h.textContent);
    expect(headings.slice(headings.indexOf("Tickets"))).toEqual([
      "Tickets",
      "General admission",
      "VIP",
      "Extras",
      "Parking",
    ]);
  });

  it("asks for seat maps of SEATED and TABLE tiers only; the others get a number", async () => {
    const asked = page({
      EventPage: event("2020-01-01T10:00:00Z", [
        tier("ga", "General admission", 100),
        tier("balcony", "Balcony", 6, { seating: "SEATED" }),
        tier("table", "Table for 8", 3, { seating: "TABLE", tableSeats: 8, priceMinor: 40000 }),
        tier("parking", "Parking", 50, { kind: "ADD_ON" }),
      ]),
      TierSeatMap: (v) => seatMap(String(v.tier), v.tier === "table"),
    });
    expect(await screen.findByRole("button", { name: "Seat A1, free" })).toBeTruthy();
    expect(await screen.findByRole("button", { name: "Table T1, free" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Table T2, held" })).toBeTruthy();
    expect(screen.getByLabelText("Number of tickets: General admission")).toBeTruthy();
    expect(screen.getByLabelText("Number of tickets: Parking")).toBeTruthy();
    expect(screen.getByText("€400.00 per table of 8")).toBeTruthy();
    const maps = asked.filter((a) => a.name === "TierSeatMap").map((a) => a.variables.tier);
    expect([...new Set(maps)].sort()).toEqual(["balcony", "table"]);
  });

  it("before the sale opens says when it does, and nothing can be picked", async () => {
    page({
      EventPage: event("2999-01-01T10:00:00Z", [
        tier("ga", "General admission", 3, { salesState: "NOT_YET_ON_SALE", salesStartAt: "2999-01-01T10:00:00Z" }),
      ]),
    });
    expect((await screen.findByTestId("not-on-sale")).textContent).toMatch(/^Tickets go on sale on .*2999/);
    expect(screen.queryByLabelText("Number of tickets: General admission")).toBeNull();
    expect(screen.getByTestId("sales-ga").textContent).toMatch(/^On sale from /);
    expect((screen.getByRole("button", { name: "Continue" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("says that a cancelled event was cancelled", async () => {
    page({ EventPage: event("2020-01-01T10:00:00Z", undefined, { state: "Cancelled" }) });
    expect((await screen.findByRole("alert")).textContent).toBe("This event was cancelled.");
  });

  it("shows a draft as a preview in which nothing can be bought", async () => {
    page({ EventPage: event("2020-01-01T10:00:00Z", undefined, { state: "Draft" }) });
    expect((await screen.findByTestId("draft")).textContent).toBe("Preview: this event is a draft and not on sale.");
    expect((screen.getByLabelText("Number of tickets: General admission") as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Continue" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("asks for a pick before continuing", async () => {
    page({ EventPage: event("2020-01-01T10:00:00Z") });
    fireEvent.click(await screen.findByRole("button", { name: "Continue" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Pick at least one ticket to continue.");
  });

  it("says plainly when there is no such event", async () => {
    page({ EventPage: { data: { event: null } } });
    expect((await screen.findByRole("alert")).textContent).toBe("We could not find this event.");
  });
});
