// What a text cell says once tidied, and whether a cell holds anything. Shared by the full row reader
// (parse-sheet.ts) and the line-list fast path (line-list-fast.ts), which must agree to the character.
import type { CellValue } from "../../../schemas/index.ts";
import { isBlankText } from "./vi-text.ts";

// Whitespace that textCell must rewrite: any run of two, or any single one other than a plain space.
const UNTIDY_SPACE = /\s{2,}|[^\S ]/;

/** A cell as text: NFC, inner whitespace runs collapsed to one space, trimmed; "" for an empty cell. */
export function textCell(cell: CellValue): string {
  if (cell === null) return "";
  const text = String(cell).normalize("NFC");
  // Most cells are already tidy; skip the rewrite (and its new string) for them.
  return UNTIDY_SPACE.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim();
}

export function isEmptyCell(cell: CellValue): boolean {
  return cell === null || (typeof cell === "string" && isBlankText(cell));
}

/** Empty, or an unticked checkbox (Google Sheets returns FALSE for every checkbox cell of an empty row). */
export function isUntouchedCell(cell: CellValue): boolean {
  return cell === false || isEmptyCell(cell);
}
