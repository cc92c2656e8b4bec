/**
 * A table of figures (counts, money): a header row of column headers
 * (`<th scope="col">`), an optional caption, and rows whose cells line up
 * under their columns, figures right-aligned. A totals row (`total`) has
 * a row header (`<th scope="row">`) and its figures in bold.
 *
 *     <FiguresTable columns={[{ label: "Code" }, { label: "Orders", numeric: true }]} caption="In EUR">
 *       <FiguresRow cells={["EARLY", 3]} />
 *       <FiguresRow total cells={["Total", 3]} />
 *     </FiguresTable>
 */
import { Table, type TableProps, type TableTrProps } from "@mantine/core";
import { createContext, useContext, type ReactNode } from "react";

export interface FiguresColumn {
  /** The column's header. */
  label: ReactNode;
  /** Its cells are figures: right-aligned, as is the header. */
  numeric?: boolean;
}

/** A cell across `span` columns (a charge named across the table, a note in place of a row's figures). */
export interface SpanningCell {
  span: number;
  content: ReactNode;
}

export function spanning(span: number, content: ReactNode): SpanningCell {
  return { span, content };
}

function isSpanning(cell: ReactNode | SpanningCell): cell is SpanningCell {
  return typeof cell === "object" && cell !== null && "span" in cell && "content" in cell;
}

const Columns = createContext<readonly FiguresColumn[]>([]);

export function FiguresTable({
  columns,
  caption,
  testId,
  children,
  ...props
}: {
  columns: readonly FiguresColumn[];
  /** Shown with the table and naming it for screen readers (e.g. "In EUR"). */
  caption?: ReactNode;
  testId?: string;
  /** The rows: `FiguresRow`s, or components that render one. */
  children: ReactNode;
} & Omit<TableProps, "children" | "data">) {
  return (
    <Table {...props} data-testid={testId}>
      {caption !== undefined && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          {columns.map((c, i) => (
            <Table.Th key={i} scope="col" ta={c.numeric ? "right" : undefined}>
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        <Columns.Provider value={columns}>{children}</Columns.Provider>
      </Table.Tbody>
    </Table>
  );
}

/**
 * One row of a `FiguresTable`: a cell per column, in order (a spanning
 * cell takes the place of several). `total` makes it a totals row.
 */
export function FiguresRow({
  cells,
  total = false,
  ...props
}: { cells: readonly (ReactNode | SpanningCell)[]; total?: boolean } & Omit<TableTrProps, "children">) {
  const columns = useContext(Columns);
  const spans = cells.map((c) => (isSpanning(c) ? c.span : 1));
  return (
    <Table.Tr {...props}>
      {cells.map((cell, i) => {
        const span = spans[i] ?? 1;
        const column = spans.slice(0, i).reduce((a, b) => a + b, 0);
        const content = isSpanning(cell) ? cell.content : cell;
        const colSpan = span > 1 ? span : undefined;
        if (total && i === 0)
          return (
            <Table.Th key={i} scope="row" colSpan={colSpan}>
              {content}
            </Table.Th>
          );
        const numeric = span === 1 && columns[column]?.numeric === true;
        return (
          <Table.Td key={i} colSpan={colSpan} ta={numeric ? "right" : undefined} fw={total ? 700 : undefined}>
            {content}
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
}
