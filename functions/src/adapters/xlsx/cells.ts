// exceljs cell values ↔ the CellValue every adapter delivers. The target is what the Sheets API returns with
// valueRenderOption UNFORMATTED_VALUE and dateTimeRenderOption SERIAL_NUMBER, so the parser sees one shape
// whichever technology a unit used — with one deliberate difference: a formula is returned as its text
// ("=IMPORTXML(…)"), never its cached result, because what a unit typed is data and is never executed.
import ExcelJS from "exceljs";
import type { CellValue } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";

const MS_PER_DAY = 86_400_000;
/**
 * Serial of 1970-01-01 in the 1900 date system (epoch 1899-12-30, which absorbs Lotus' phantom 29/02/1900).
 * Sheets uses the same epoch, so serials from both adapters compare equal.
 */
const UNIX_EPOCH_SERIAL = 25_569;

/** Excel refuses to open a workbook with a longer cell text (it reports the file as corrupt). */
export const MAX_CELL_TEXT = 32_767;

/**
 * exceljs hands date cells over as JS Dates whose UTC fields are the wall-clock time written in the sheet
 * (it computes `(serial - 25569) * 86400000` ms with no zone); a 1904-system workbook is shifted by exceljs
 * itself. Reading the UTC fields back therefore gives the 1900-system serial the sheet would show in Sheets,
 * independent of the machine's zone. Rounded to the millisecond, as exceljs does on the way in.
 */
export function dateToSerial(d: Date): number {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new DondocError("cell-invalid-date", "Ô chứa ngày không hợp lệ.");
  // One division of exact integers yields the double nearest the true serial (14:00 → 45873.583333333336,
  // as Sheets reports it); adding the epoch after dividing would round twice.
  return (ms + UNIX_EPOCH_SERIAL * MS_PER_DAY) / MS_PER_DAY;
}

/** The inverse, for writing a serial into a date-formatted cell: a Date whose UTC fields are the wall clock. */
export function serialToDate(serial: number): Date {
  return new Date(Math.round((serial - UNIX_EPOCH_SERIAL) * MS_PER_DAY));
}

function richTextToString(v: ExcelJS.CellRichTextValue): string {
  return v.richText.map((run) => run.text).join("");
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function textOf(v: unknown): string {
  if (typeof v === "string") return v;
  if (isObject(v) && Array.isArray(v.richText))
    return richTextToString(v as unknown as ExcelJS.CellRichTextValue);
  return v === null || v === undefined ? "" : String(v);
}

function emptyToNull(s: string): CellValue {
  // Sheets omits a cell holding "" just like an untouched one; so must we, or a row of "" counts as filled.
  return s === "" ? null : s;
}

/**
 * Normalises one exceljs value. `cellType` is the cell's `type`: a merged cell other than the top-left one
 * reports its master's value in exceljs but is empty in Sheets, so it is passed to tell them apart.
 * For a shared formula's followers exceljs keeps only a reference to the master; pass the cell to
 * `readCell` to get the follower's own (translated) formula text.
 */
export function toCellValue(v: ExcelJS.CellValue, cellType?: ExcelJS.ValueType): CellValue {
  if (cellType === ExcelJS.ValueType.Merge) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return emptyToNull(v);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v;
  if (v instanceof Date) return dateToSerial(v);
  if ("richText" in v) return emptyToNull(richTextToString(v));
  if ("hyperlink" in v) return emptyToNull(textOf(v.text));
  if ("error" in v) return v.error;
  if ("formula" in v && typeof v.formula === "string") return `=${v.formula}`;
  if ("sharedFormula" in v) {
    // Without the cell the follower's own references are unknown; the master's text is the closest truth
    // and still a formula, so it is never mistaken for a value.
    return `=${typeof v.formula === "string" ? v.formula : v.sharedFormula}`;
  }
  throw new DondocError("cell-unknown-value", "Ô có kiểu giá trị không đọc được.", { value: String(v) });
}

/** One cell as the parser wants it (merge followers empty, shared formulas translated to their own text). */
export function readCell(cell: ExcelJS.Cell): CellValue {
  if (cell.type === ExcelJS.ValueType.Merge) return null;
  const v = cell.value;
  if (isObject(v) && "sharedFormula" in v) return `=${cell.formula}`;
  return toCellValue(v, cell.type);
}

/**
 * A CellValue to write with exceljs. Strings are written as strings even when they start with "=": exceljs
 * only makes a formula from a `{ formula }` object, so a unit's "=IMPORTXML(…)" is stored as the text it was.
 */
export function fromCellValue(v: CellValue): ExcelJS.CellValue {
  if (typeof v === "string" && v.length > MAX_CELL_TEXT) {
    throw new DondocError(
      "cell-too-long",
      `Nội dung ô dài ${v.length} ký tự, vượt giới hạn ${MAX_CELL_TEXT} ký tự của Excel.`,
      { length: v.length },
    );
  }
  if (typeof v === "number" && !Number.isFinite(v)) {
    throw new DondocError("cell-not-finite", `Không thể ghi số ${v} vào ô.`);
  }
  return v;
}

/** 1 → "A", 27 → "AA": the column letters RowIssue.column uses. */
export function columnLetter(index: number): string {
  if (!Number.isInteger(index) || index < 1) {
    throw new DondocError("invalid-column", `Số thứ tự cột không hợp lệ: ${index}.`);
  }
  let s = "";
  let k = index;
  while (k > 0) {
    const r = (k - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    k = Math.floor((k - 1) / 26);
  }
  return s;
}

/** "A" → 1, "AA" → 27; null for anything that is not a column reference. */
export function columnIndex(letter: string): number | null {
  if (!/^[A-Z]{1,3}$/.test(letter)) return null;
  let n = 0;
  for (const ch of letter) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}
