/**
 * The geometry of a venue's plan, drawn by VenuePlan as SVG: each section
 * a band, one under the other — general admission a labelled box with its
 * capacity, a seated section a grid of seat dots (one row of dots per
 * row), a tables section circles labelled T1…Tn with their seats around.
 * Pure, so it is tested without a browser.
 */

export type SectionKind = "ga" | "seated" | "tables";

/** A section as the plan needs it (from the form or the API). */
export interface PlanSection {
  name: string;
  kind: SectionKind;
  /** GA: people it holds. */
  capacity?: number;
  /** Seated grid. */
  rows?: number;
  seatsPerRow?: number;
  /** Seated, irregular: the seats' labels. */
  seatLabels?: readonly string[];
  /** Tables. */
  tables?: number;
  seatsPerTable?: number;
}

export type Shape =
  | { kind: "box"; x: number; y: number; w: number; h: number }
  | { kind: "seat"; x: number; y: number; r: number }
  | { kind: "table"; x: number; y: number; r: number; label: string }
  | { kind: "text"; x: number; y: number; text: string; size: number; anchor: "start" | "middle" };

export interface PlanBand {
  name: string;
  /** What the band shows, in words (for the accessible description). */
  summary: string;
  y: number;
  height: number;
  shapes: Shape[];
}

export interface Plan {
  width: number;
  height: number;
  bands: PlanBand[];
  /** The whole plan in words. */
  summary: string;
}

export const PLAN_WIDTH = 600;
const PAD = 12;
const HEADER = 22;
const SEAT_GAP = 10;
const SEAT_R = 3;
/** Beyond this many seats a section is drawn as a box with its count (a picture, not a seat map). */
export const MAX_DOTS = 3000;
const TABLE_R = 14;
const TABLE_CELL = 48;
export const MAX_TABLES = 400;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Seats of a section (GA: its capacity; a table counts its seats). */
export function seatsOf(s: PlanSection): number {
  switch (s.kind) {
    case "ga":
      return s.capacity ?? 0;
    case "seated":
      return s.seatLabels?.length ? s.seatLabels.length : (s.rows ?? 0) * (s.seatsPerRow ?? 0);
    case "tables":
      return (s.tables ?? 0) * (s.seatsPerTable ?? 0);
  }
}

export function summaryOf(s: PlanSection): string {
  switch (s.kind) {
    case "ga":
      return `${s.name}: general admission for ${plural(s.capacity ?? 0, "person", "people")}`;
    case "seated":
      return s.seatLabels?.length
        ? `${s.name}: ${plural(s.seatLabels.length, "numbered seat")}`
        : `${s.name}: seated, ${plural(s.rows ?? 0, "row")} of ${plural(s.seatsPerRow ?? 0, "seat")}`;
    case "tables":
      return `${s.name}: ${plural(s.tables ?? 0, "table")} of ${plural(s.seatsPerTable ?? 0, "seat")}, each sold whole`;
  }
}

function countBox(y: number, text: string): { shapes: Shape[]; height: number } {
  const h = 60;
  return {
    height: h,
    shapes: [
      { kind: "box", x: PAD, y, w: PLAN_WIDTH - 2 * PAD, h },
      { kind: "text", x: PLAN_WIDTH / 2, y: y + h / 2 + 5, text, size: 14, anchor: "middle" },
    ],
  };
}

function band(s: PlanSection, top: number): PlanBand {
  const y0 = top + HEADER;
  const shapes: Shape[] = [{ kind: "text", x: PAD, y: top + 15, text: summaryOf(s), size: 12, anchor: "start" }];
  let height: number;
  const inner = PLAN_WIDTH - 2 * PAD;
  if (s.kind === "ga") {
    const b = countBox(y0, `Standing · ${s.capacity ?? 0}`);
    shapes.push(...b.shapes);
    height = b.height;
  } else if (s.kind === "seated") {
    const labelled = s.seatLabels?.length ?? 0;
    const perRow = labelled ? Math.min(labelled, Math.floor(inner / SEAT_GAP)) : (s.seatsPerRow ?? 0);
    const rows = labelled ? Math.ceil(labelled / Math.max(perRow, 1)) : (s.rows ?? 0);
    const total = labelled || rows * perRow;
    const gap = perRow > 0 ? Math.min(SEAT_GAP, inner / perRow) : SEAT_GAP;
    if (total === 0 || total > MAX_DOTS || gap < 2 * SEAT_R) {
      const b = countBox(y0, `${total} seats`);
      shapes.push(...b.shapes);
      height = b.height;
    } else {
      const width = perRow * gap;
      const x0 = (PLAN_WIDTH - width) / 2 + gap / 2;
      let n = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < perRow && n < total; c++, n++)
          shapes.push({ kind: "seat", x: x0 + c * gap, y: y0 + SEAT_GAP / 2 + r * SEAT_GAP, r: SEAT_R });
      height = rows * SEAT_GAP;
    }
  } else {
    const count = s.tables ?? 0;
    if (count === 0 || count > MAX_TABLES) {
      const b = countBox(y0, `${count} tables`);
      shapes.push(...b.shapes);
      height = b.height;
    } else {
      const cols = Math.max(1, Math.floor(inner / TABLE_CELL));
      const rows = Math.ceil(count / cols);
      const used = Math.min(cols, count) * TABLE_CELL;
      const x0 = (PLAN_WIDTH - used) / 2 + TABLE_CELL / 2;
      const seats = Math.min(s.seatsPerTable ?? 0, 24);
      for (let i = 0; i < count; i++) {
        const cx = x0 + (i % cols) * TABLE_CELL;
        const cy = y0 + TABLE_CELL / 2 + Math.floor(i / cols) * TABLE_CELL;
        shapes.push({ kind: "table", x: cx, y: cy, r: TABLE_R, label: `T${i + 1}` });
        for (let k = 0; k < seats; k++) {
          const a = (2 * Math.PI * k) / seats - Math.PI / 2;
          shapes.push({ kind: "seat", x: cx + Math.cos(a) * (TABLE_R + 5), y: cy + Math.sin(a) * (TABLE_R + 5), r: 2 });
        }
      }
      height = rows * TABLE_CELL;
    }
  }
  return { name: s.name, summary: summaryOf(s), y: top, height: HEADER + height + PAD, shapes };
}

export function layoutPlan(sections: readonly PlanSection[]): Plan {
  const bands: PlanBand[] = [];
  let y = PAD;
  for (const s of sections) {
    const b = band(s, y);
    bands.push(b);
    y += b.height;
  }
  const summary = sections.length
    ? `${plural(sections.length, "section")}: ${bands.map((b) => b.summary).join("; ")}.`
    : "No sections yet.";
  return { width: PLAN_WIDTH, height: Math.max(y + PAD, 80), bands, summary };
}
