// The input tab as it is sent and checked. One shaping step shared by "check now" and the push, so the local
// check sees exactly the rows the server will see.
import type { CellValue } from "../../schemas/index.ts";
import { isBlankCell, type Layout, rowHasContent } from "./layout.ts";
import type { InputGrid } from "./ports.ts";

/**
 * Rows a unit sees as empty become [] and trailing ones are dropped. A checkbox column holds FALSE in rows that
 * were ticked and unticked, and the whole tab is covered by checkboxes, so without this every such row would be
 * sent, and read, as a row with its required cells missing.
 */
export function shapeGrid(grid: InputGrid, layout: Layout): InputGrid {
  const rows: CellValue[][] = grid.rows.map((row) => (rowHasContent(row, layout) ? trimRow(row) : []));
  let end = rows.length;
  while (end > 0 && rows[end - 1]!.length === 0) end--;
  return { header: trimRow(grid.header), rows: rows.slice(0, end) };
}

function trimRow(row: readonly CellValue[]): CellValue[] {
  let end = row.length;
  while (end > 0 && isBlankCell(row[end - 1]) && row[end - 1] !== false) end--;
  return row.slice(0, end);
}

export function filledRowCount(grid: InputGrid): number {
  return grid.rows.filter((r) => r.length > 0).length;
}
