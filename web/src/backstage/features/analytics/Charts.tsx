/**
 * The analytics charts (@mantine/charts, on recharts): loaded lazily with
 * the analytics page only, so no other page carries the chart library.
 */
import "@mantine/charts/styles.css";
import { AreaChart, BarChart } from "@mantine/charts";
import { grossKey, type Row } from "./analytics";

const COLORS = ["blue.6", "teal.6", "grape.6", "orange.6", "cyan.6"];

export function SalesChart({ rows, currencies }: { rows: Row[]; currencies: string[] }) {
  return (
    <AreaChart
      h={260}
      data={rows}
      dataKey="label"
      series={[
        { name: "tickets", label: "Tickets", color: "indigo.6", yAxisId: "left" },
        ...currencies.map((c, i) => ({
          name: grossKey(c),
          label: `Paid (${c})`,
          color: COLORS[i % COLORS.length] ?? "blue.6",
          yAxisId: "right",
        })),
      ]}
      withRightYAxis={currencies.length > 0}
      curveType="monotone"
      withLegend
      tickLine="y"
    />
  );
}

export function CheckInChart({ rows }: { rows: Row[] }) {
  return (
    <BarChart
      h={240}
      data={rows}
      dataKey="label"
      series={[
        { name: "checkIns", label: "Checked in", color: "teal.6" },
        { name: "undone", label: "Undone", color: "red.6" },
      ]}
      withLegend
      tickLine="y"
    />
  );
}

export function PromoChart({ rows }: { rows: Row[] }) {
  return (
    <BarChart
      h={Math.max(160, rows.length * 36)}
      data={rows}
      dataKey="code"
      orientation="vertical"
      series={[
        { name: "orders", label: "Orders", color: "grape.6" },
        { name: "tickets", label: "Tickets", color: "orange.6" },
      ]}
      withLegend
      tickLine="x"
    />
  );
}
