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

/**
 * Distinct texts → a number, for a column with hundreds of long spellings (a commune's supporters, one of them
 * on nearly every row). Each cell is a fresh string from the response: a Map hashes all its characters before
 * comparing it, where this table picks a slot from its length and four of its characters and compares the text
 * with what is there. The texts are not trusted to spread well: a slot is only a place to start comparing.
 */
export class TextNumbers {
  private keys: (string | undefined)[] = new Array<string | undefined>(1024).fill(undefined);
  private values = new Int32Array(1024);
  private size = 0;

  /** The number recorded for `text`, or undefined. */
  get(text: string): number | undefined {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = slotOfText(text) & mask; ; i = (i + 1) & mask) {
      const key = keys[i];
      if (key === undefined) return undefined;
      if (key === text) return this.values[i];
    }
  }

  /** Records `value` for `text`, which has none yet. */
  set(text: string, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = slotOfText(text) & mask;
    while (keys[i] !== undefined) i = (i + 1) & mask;
    keys[i] = text;
    this.values[i] = value;
    this.size++;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.values = new Int32Array(keys.length * 2);
    this.size = 0;
    keys.forEach((key, i) => {
      if (key !== undefined) this.set(key, values[i]!);
    });
  }
}

/** A slot number from a text's length and its last, second-last, middle and quarter characters. */
function slotOfText(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let h = Math.imul(n, 0x9e3779b1) ^ text.charCodeAt(n - 1);
  h = Math.imul(h, 0x85ebca6b) ^ text.charCodeAt(n >> 1);
  h = Math.imul(h, 0xc2b2ae35) ^ text.charCodeAt(n >> 2);
  if (n > 1) h = Math.imul(h, 0x27d4eb2f) ^ text.charCodeAt(n - 2);
  return (h ^ (h >>> 15)) >>> 0;
}
