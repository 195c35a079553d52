// Vietnamese mobile numbers after the 2018 renumbering (Decision 798/QĐ-BTTTT): 10 digits, "0" + a mobile
// prefix. Phones are personal data: results carry the normalised number for the caller to use in the core
// only; nothing here formats a phone into a message.
import type { CellValue } from "../../../schemas/index.ts";

export type PhoneFailure =
  | "phone-formula"
  | "phone-not-digits"
  | "phone-length"
  | "phone-prefix"
  | "phone-old-11-digit"
  | "phone-landline";

export type PhoneResult =
  /** phone: null when the cell is empty (the column is optional). zeroAdded: a dropped leading 0 was restored. */
  { ok: true; phone: string | null; zeroAdded: boolean } | { ok: false; code: PhoneFailure; digits: number };

/** Mobile prefixes in service after the 2018 renumbering. */
export const MOBILE_PREFIXES: readonly string[] = [
  ...["032", "033", "034", "035", "036", "037", "038", "039"],
  ...["052", "055", "056", "058", "059"],
  ...["070", "076", "077", "078", "079"],
  ...["081", "082", "083", "084", "085", "086", "087", "088", "089"],
  ...["090", "091", "092", "093", "094", "095", "096", "097", "098", "099"],
];
const PREFIX_SET = new Set(MOBILE_PREFIXES);

const SEPARATORS = /[\s\u00A0\u202F.\-()]/g;
const TEN_DIGITS_FROM_ZERO = /^0\d{9}$/;

function digitsOf(cell: string | number): { ok: true; digits: string } | { ok: false; code: PhoneFailure } {
  if (typeof cell === "number") {
    if (!Number.isSafeInteger(cell) || cell < 0) return { ok: false, code: "phone-not-digits" };
    return { ok: true, digits: cell.toFixed(0) };
  }
  const trimmed = cell.trim().replace(/^'/, "");
  if (/^[=\-@]/.test(trimmed) || (trimmed.startsWith("+") && !/^\+\s*\(?\s*84/.test(trimmed))) {
    return { ok: false, code: "phone-formula" };
  }
  let text = trimmed.replace(SEPARATORS, "");
  // International forms: +84 912…, 0084 912…, 84 912… (the last only at full length, see below).
  if (text.startsWith("+84")) text = `0${text.slice(3)}`;
  else if (text.startsWith("0084")) text = `0${text.slice(4)}`;
  return /^\d+$/.test(text) ? { ok: true, digits: text } : { ok: false, code: "phone-not-digits" };
}

/**
 * Reads a phone cell → "0912345678". Accepts "+84 912 345 678", "84912345678", "0912.345.678",
 * "0912-345-678" and the number 912345678 whose leading zero a spreadsheet dropped (zeroAdded, so the caller
 * warns). Old 11-digit 01x mobiles and landlines are refused with their own codes.
 */
export function parsePhone(cell: CellValue): PhoneResult {
  // The common case, "0912345678" in a text column, needs no cleaning ("0084…" does: it is 0084 + 6 digits).
  if (
    typeof cell === "string" &&
    cell.length === 10 &&
    TEN_DIGITS_FROM_ZERO.test(cell) &&
    !cell.startsWith("0084")
  ) {
    if (cell.startsWith("02")) return { ok: false, code: "phone-landline", digits: 10 };
    if (!PREFIX_SET.has(cell.slice(0, 3))) return { ok: false, code: "phone-prefix", digits: 10 };
    return { ok: true, phone: cell, zeroAdded: false };
  }
  if (cell === null || (typeof cell === "string" && cell.trim() === "")) {
    return { ok: true, phone: null, zeroAdded: false };
  }
  if (typeof cell === "boolean") return { ok: false, code: "phone-not-digits", digits: 0 };
  const read = digitsOf(cell);
  if (!read.ok) return { ...read, digits: 0 };
  let digits = read.digits;
  // "84912345678": 84 + 9 national digits. An 11-digit number starting 84 cannot be a valid domestic form.
  if (digits.length === 11 && digits.startsWith("84")) digits = `0${digits.slice(2)}`;
  let zeroAdded = false;
  if (digits.length === 9 && digits[0] !== "0") {
    digits = `0${digits}`;
    zeroAdded = true;
  }
  if (digits.length === 11 && digits.startsWith("01")) {
    return { ok: false, code: "phone-old-11-digit", digits: digits.length };
  }
  if (digits.length === 11 && digits.startsWith("02")) {
    return { ok: false, code: "phone-landline", digits: digits.length };
  }
  if (digits.length !== 10 || digits[0] !== "0")
    return { ok: false, code: "phone-length", digits: digits.length };
  if (digits.startsWith("02")) return { ok: false, code: "phone-landline", digits: digits.length };
  if (!PREFIX_SET.has(digits.slice(0, 3))) return { ok: false, code: "phone-prefix", digits: digits.length };
  return { ok: true, phone: digits, zeroAdded };
}
