// What a text cell says once tidied, and whether a cell holds anything. Shared by the full row reader
// (parse-sheet.ts) and the line-list fast path (line-list-fast.ts), which must agree to the character.
import type { CellValue } from "../../../schemas/index.ts";
import { keepShapes } from "./shapes.ts";
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

/**
 * Typed text → value for a column that holds a few distinct spellings ("Có", a village, a provider). Every
 * cell is a fresh string, and comparing it with up to eight known spellings is cheaper than hashing it for a
 * Map lookup; a column with more spellings than that continues in a Map.
 */
export class SpellingCache<V> {
  private readonly texts: string[] = [];
  private readonly values: V[] = [];
  private readonly more = new Map<string, V>();

  get(text: string): V | undefined {
    const texts = this.texts;
    for (let i = 0; i < texts.length; i++) if (texts[i] === text) return this.values[i];
    return this.more.size === 0 ? undefined : this.more.get(text);
  }

  set(text: string, value: V): void {
    if (this.texts.length < 8) {
      this.texts.push(text);
      this.values.push(value);
    } else this.more.set(text, value);
  }
}

keepShapes(new SpellingCache<unknown>());
