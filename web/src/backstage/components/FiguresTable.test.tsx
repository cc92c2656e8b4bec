import { screen, within } from "@testing-library/react";
import axe from "axe-core";
import { describe, expect, it } from "vitest";
import { renderWith } from "../../test/render";
import { FiguresRow, FiguresTable, spanning } from "./FiguresTable";

const columns = [{ label: "Item" }, { label: "Quantity", numeric: true }, { label: "Amount", numeric: true }];

describe("FiguresTable", () => {
  it("has a caption, column headers and a totals row with a row header, figures right-aligned", async () => {
    const { container } = renderWith(
      <FiguresTable columns={columns} caption="In EUR" testId="figures">
        <FiguresRow data-testid="line" cells={["General", 2, "€50.00"]} />
        <FiguresRow cells={[spanning(2, "Booking fee"), "€2.00"]} />
        <FiguresRow total cells={[spanning(2, "Total"), "€52.00"]} />
      </FiguresTable>,
    );
    const table = screen.getByRole("table", { name: "In EUR" });
    expect(table.dataset.testid).toBe("figures");
    expect(
      within(table)
        .getAllByRole("columnheader")
        .map((h) => [h.textContent, h.getAttribute("scope")]),
    ).toEqual([
      ["Item", "col"],
      ["Quantity", "col"],
      ["Amount", "col"],
    ]);
    const line = screen.getByTestId("line");
    const cells = within(line).getAllByRole("cell");
    expect(cells.map((c) => c.textContent)).toEqual(["General", "2", "€50.00"]);
    expect(cells.map((c) => c.style.textAlign)).toEqual(["", "right", "right"]);

    const fee = within(table).getByRole("cell", { name: "Booking fee" });
    expect(fee.getAttribute("colspan")).toBe("2");
    expect(within(table).getByRole("cell", { name: "€2.00" }).style.textAlign).toBe("right");

    const total = within(table).getByRole("rowheader", { name: "Total" });
    expect(total.getAttribute("scope")).toBe("row");
    expect(total.getAttribute("colspan")).toBe("2");
    expect(within(table).getByRole("cell", { name: "€52.00" }).style.textAlign).toBe("right");

    const result = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  });
});
