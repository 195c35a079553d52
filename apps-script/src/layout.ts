// Where the input columns are in the unit's tab. Units reorder columns and retype headers, so every module finds
// columns through the same header matcher the server's parser uses, never by fixed position.

import { type InputColumn, inputColumns } from "../../functions/src/core/columns.ts";
import { type HeaderMatch, readHeader } from "../../functions/src/core/header.ts";
import { isBlankText } from "../../functions/src/core/vi-text.ts";
import type { Campaign, CellValue } from "../../schemas/index.ts";

export const INPUT_TAB = "Nhập liệu";

export interface Layout {
  columns: InputColumn[];
  match: HeaderMatch;
  /** 1-based column of the stamp ("Thời điểm nhập"), or null when the header has none. */
  stampCol: number | null;
  /** 0-based indexes of the input columns other than the stamp: what makes a row "filled". */
  contentIndexes: number[];
  /** 1-based column where row-level issues are shown: the first input column a unit types into. */
  rowIssueCol: number;
}

export function layoutOf(campaign: Campaign, header: CellValue[]): Layout {
  const columns = inputColumns(campaign);
  const match = readHeader(header, columns);
  const stamp = columns.find((c) => c.type === "stamp");
  const stampIndex = stamp === undefined ? undefined : match.index.get(stamp.key);
  const contentIndexes = columns
    .filter((c) => c.type !== "stamp")
    .map((c) => match.index.get(c.key))
    .filter((i): i is number => i !== undefined)
    .sort((a, b) => a - b);
  return {
    columns,
    match,
    stampCol: stampIndex === undefined ? null : stampIndex + 1,
    contentIndexes,
    rowIssueCol: (contentIndexes[0] ?? 0) + 1,
  };
}

/**
 * Blank as a unit sees it: nothing, whitespace, or an unticked checkbox (a checkbox column holds FALSE in every
 * row it covers, so FALSE alone must not make an empty row look filled).
 */
export function isBlankCell(cell: CellValue | undefined): boolean {
  return (
    cell === undefined || cell === null || cell === false || (typeof cell === "string" && isBlankText(cell))
  );
}

/** A row counts as filled when any input column other than the stamp holds something. */
export function rowHasContent(row: readonly CellValue[], layout: Layout): boolean {
  return layout.contentIndexes.some((i) => !isBlankCell(row[i]));
}

/** "A" → 1, "AA" → 27; 0 for anything that is not a column letter. */
export function columnNumber(letters: string): number {
  if (!/^[A-Z]{1,3}$/.test(letters)) return 0;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
