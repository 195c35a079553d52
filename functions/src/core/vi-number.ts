// Reading numbers the way Vietnamese units type them: "." groups thousands, "," marks decimals ("19.662",
// "1.234,5"). Results are discriminated with codes so the parser can word a precise message for each cell.
import type { CellValue } from "../../../schemas/index.ts";

export type NumberFailure = "empty" | "formula" | "ambiguous" | "not-a-number";
export type NumberResult = { ok: true; value: number } | { ok: false; code: NumberFailure };

export type CountFailure =
  | "count-empty"
  | "count-formula"
  | "count-ambiguous"
  | "count-not-a-number"
  | "count-negative"
  | "count-not-whole"
  | "count-too-large";
export type CountResult = { ok: true; value: number } | { ok: false; code: CountFailure };

// Spaces of every kind people paste from documents: NBSP, narrow NBSP, thin space, zero-width.
const SPACES = /[\s\u00A0\u2007\u202F\u2009\u200B-\u200D\uFEFF]/g;
const PLAIN = /^\d+$/;
// "1.012", "19.662", "1.234.567": the first group cannot start with 0, so "0.500" is not five hundred.
const DOT_THOUSANDS = /^[1-9]\d{0,2}(?:\.\d{3})+$/;
const DOT_THOUSANDS_COMMA_DECIMAL = /^(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+),\d+$/;
// "1.5", "0.25", "3.14": English decimals. Under Vietnamese conventions they mean nothing definite.
const DOT_DECIMAL = /^\d+\.\d+$/;

/** True when the text would be taken as a formula by a spreadsheet ("=…", "+…", "-…", "@…"). */
export function looksLikeFormula(text: string): boolean {
  return /^[=+\-@]/.test(text.trim());
}

function parseUnsigned(body: string): NumberResult {
  if (PLAIN.test(body)) return { ok: true, value: Number(body) };
  if (DOT_THOUSANDS.test(body)) return { ok: true, value: Number(body.replace(/\./g, "")) };
  if (DOT_THOUSANDS_COMMA_DECIMAL.test(body)) {
    return { ok: true, value: Number(body.replace(/\./g, "").replace(",", ".")) };
  }
  if (DOT_DECIMAL.test(body)) return { ok: false, code: "ambiguous" };
  return { ok: false, code: "not-a-number" };
}

/**
 * Reads a number cell. Numbers pass as they are (NaN and ±Infinity are refused). Text is read in Vietnamese
 * style: "1.012" → 1012, "1.234,5" → 1234.5, "2,5" → 2.5; a lone dot followed by exactly three digits groups
 * thousands, any other dot ("1.5") is ambiguous and refused rather than guessed. Spaces are ignored.
 *
 * Refused on purpose: scientific notation in text ("1e3" — a spreadsheet sends real numbers as numbers, so
 * typed exponent text is a mistake), English thousands ("1,234,567"), units ("12 người") and anything
 * formula-like ("=1+1", "-3+1"); a leading "-" or "+" before an otherwise valid number is read as its sign,
 * so that "-3" can be reported as negative rather than as a formula.
 */
export function parseViNumber(cell: CellValue): NumberResult {
  if (cell === null) return { ok: false, code: "empty" };
  if (typeof cell === "boolean") return { ok: false, code: "not-a-number" };
  if (typeof cell === "number") {
    return Number.isFinite(cell) ? { ok: true, value: cell } : { ok: false, code: "not-a-number" };
  }
  const text = cell.replace(SPACES, "");
  if (text === "") return { ok: false, code: "empty" };
  if (text.startsWith("=") || text.startsWith("@")) return { ok: false, code: "formula" };
  const sign = text[0] === "-" ? -1 : 1;
  const body = text[0] === "-" || text[0] === "+" ? text.slice(1) : text;
  const read = parseUnsigned(body);
  if (!read.ok) {
    // "-3+1", "+A1": a sign followed by something that is not a number is a formula, not a typo.
    return body !== text && read.code === "not-a-number" ? { ok: false, code: "formula" } : read;
  }
  // -0 would print as "0" but compare oddly in Object.is; normalise it.
  return { ok: true, value: sign * read.value + 0 };
}

/** Reads a count: a whole number ≥ 0 (cumulative figures, people). */
export function parseCount(cell: CellValue): CountResult {
  const read = parseViNumber(cell);
  if (!read.ok) {
    switch (read.code) {
      case "empty":
        return { ok: false, code: "count-empty" };
      case "formula":
        return { ok: false, code: "count-formula" };
      case "ambiguous":
        return { ok: false, code: "count-ambiguous" };
      case "not-a-number":
        return { ok: false, code: "count-not-a-number" };
    }
  }
  if (read.value < 0) return { ok: false, code: "count-negative" };
  if (!Number.isInteger(read.value)) return { ok: false, code: "count-not-whole" };
  if (!Number.isSafeInteger(read.value)) return { ok: false, code: "count-too-large" };
  return { ok: true, value: read.value };
}
