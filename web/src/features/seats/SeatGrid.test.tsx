import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { renderWith } from "../../test/render";
import { SeatGrid } from "./SeatGrid";
import type { SeatMapData } from "./types";

const seated: SeatMapData = {
  tier: "balcony",
  tables: false,
  seatsPerTable: null,
  free: 4,
  rows: [
    {
      name: "A",
      seats: [
        { label: "A1", state: "FREE" },
        { label: "A2", state: "HELD" },
        { label: "A3", state: "SOLD" },
      ],
    },
    {
      name: "B",
      seats: [
        { label: "B1", state: "FREE" },
        { label: "B2", state: "FREE" },
        { label: "B3", state: "FREE" },
      ],
    },
  ],
};

const tables: SeatMapData = {
  tier: "table",
  tables: true,
  seatsPerTable: 6,
  free: 2,
  rows: [
    {
      name: "",
      seats: [
        { label: "T1", state: "FREE" },
        { label: "T2", state: "SOLD" },
        { label: "T3", state: "FREE" },
      ],
    },
  ],
};

describe("SeatGrid", () => {
  it("names each seat with its state; free ones can be picked, held and sold ones cannot", () => {
    const onToggle = vi.fn();
    renderWith(<SeatGrid map={seated} tierName="Balcony" selected={[]} max={4} onToggle={onToggle} />);
    expect(screen.getByRole("group", { name: "Seats: Balcony" })).toBeTruthy();
    expect(screen.getByRole("group", { name: "Row A" })).toBeTruthy();
    const free = screen.getByRole("button", { name: "Seat A1, free" });
    const held = screen.getByRole("button", { name: "Seat A2, held" });
    const sold = screen.getByRole("button", { name: "Seat A3, sold" });
    expect((free as HTMLButtonElement).disabled).toBe(false);
    expect((held as HTMLButtonElement).disabled).toBe(true);
    expect((sold as HTMLButtonElement).disabled).toBe(true);
    expect(free.getAttribute("aria-pressed")).toBe("false");
    fireEvent.click(free);
    expect(onToggle).toHaveBeenCalledWith("A1");
    fireEvent.click(held);
    expect(onToggle).toHaveBeenCalledTimes(1);
  });

  it("shows the buyer's picks as pressed and lets them be put back", () => {
    const onToggle = vi.fn();
    renderWith(<SeatGrid map={seated} tierName="Balcony" selected={["B2"]} max={4} onToggle={onToggle} />);
    const picked = screen.getByRole("button", { name: "Seat B2, free" });
    expect(picked.getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByText("Picked: B2")).toBeTruthy();
    fireEvent.click(picked);
    expect(onToggle).toHaveBeenCalledWith("B2");
  });

  it("takes no more than the order may: the other free seats wait", () => {
    renderWith(<SeatGrid map={seated} tierName="Balcony" selected={["B1", "B2"]} max={2} onToggle={() => undefined} />);
    expect((screen.getByRole("button", { name: "Seat B3, free" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Seat B1, free" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("calls tables tables", () => {
    renderWith(<SeatGrid map={tables} tierName="Tables" selected={[]} max={2} onToggle={() => undefined} />);
    expect(screen.getByRole("group", { name: "Tables: Tables" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Table T1, free" })).toBeTruthy();
    expect((screen.getByRole("button", { name: "Table T2, sold" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("6 people per table")).toBeTruthy();
  });

  it("disables everything while the tier is not on sale", () => {
    renderWith(<SeatGrid map={seated} tierName="Balcony" selected={[]} max={4} disabled onToggle={() => undefined} />);
    expect((screen.getByRole("button", { name: "Seat A1, free" }) as HTMLButtonElement).disabled).toBe(true);
  });
});
