// The 12-digit personal identification number (số định danh cá nhân, printed on the căn cước card):
// PPP G YY RRRRRR = province of birth registration, gender/century digit, last two digits of the birth year,
// random part (Circular 07/2016/TT-BCA, Article 7). Only structure is checked; nothing here can tell a real
// person's number from a well-formed invention.
import type { CellValue } from "../../../schemas/index.ts";
import { isProvinceCode } from "./province-codes.ts";

export type CitizenIdFailure = "id-empty" | "id-formula" | "id-not-digits" | "id-length" | "id-province";

export interface CitizenId {
  id: string;
  provinceCode: string;
  gender: "male" | "female";
  /** Only the year of birth is encoded; day and month are not. */
  birthYear: number;
  /** Leading zeros that a spreadsheet dropped and that were put back (0 when none). */
  zerosAdded: number;
}

export type CitizenIdResult =
  | ({ ok: true } & CitizenId)
  /** `digits`: how many digits the cell held, for "phải có 12 chữ số (đang có N)". */
  | { ok: false; code: CitizenIdFailure; digits: number };

export const CITIZEN_ID_LENGTH = 12;
export const MIN_AGE = 14;

// Inner separators people type when copying from a card: "001 095 012345", "001.095.012345".
const INNER_SEPARATORS = /[\s\u00A0\u202F.-]/g;

/** Reads the digits of an id cell; numbers are converted exactly (no float formatting, no exponent). */
function digitsOf(
  cell: string | number,
): { ok: true; digits: string } | { ok: false; code: CitizenIdFailure } {
  if (typeof cell === "number") {
    // Every 12-digit number is below 2^53, so a safe integer is exact; 1.2345678901e11 is 123456789010.
    if (!Number.isSafeInteger(cell) || cell < 0) return { ok: false, code: "id-not-digits" };
    return { ok: true, digits: cell.toFixed(0) };
  }
  const trimmed = cell.trim().replace(/^'/, "");
  if (/^[=+\-@]/.test(trimmed)) return { ok: false, code: "id-formula" };
  const digits = trimmed.replace(INNER_SEPARATORS, "");
  if (digits === "") return { ok: false, code: "id-empty" };
  return /^\d+$/.test(digits) ? { ok: true, digits } : { ok: false, code: "id-not-digits" };
}

const TWELVE_DIGITS = /^\d{12}$/;

function decode(id: string, zerosAdded: number): { ok: true } & CitizenId {
  const g = Number(id[3]);
  return {
    ok: true,
    id,
    provinceCode: id.slice(0, 3),
    gender: g % 2 === 0 ? "male" : "female",
    // 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s.
    birthYear: 1900 + Math.floor(g / 2) * 100 + Number(id.slice(4, 6)),
    zerosAdded,
  };
}

/**
 * Reads a citizen id cell. Spreadsheets turn "001095012345" into the number 1095012345, so 10- and 11-digit
 * values get their leading zeros back — but only when that yields a known province code; otherwise a digit is
 * really missing and the length is reported. Callers must warn when `zerosAdded > 0`.
 */
export function parseCitizenId(cell: CellValue): CitizenIdResult {
  // What the template's text column holds almost always: twelve digits and nothing to clean.
  if (typeof cell === "string" && cell.length === CITIZEN_ID_LENGTH && TWELVE_DIGITS.test(cell)) {
    if (!isProvinceCode(cell.slice(0, 3)))
      return { ok: false, code: "id-province", digits: CITIZEN_ID_LENGTH };
    return decode(cell, 0);
  }
  if (cell === null) return { ok: false, code: "id-empty", digits: 0 };
  if (typeof cell === "boolean") return { ok: false, code: "id-not-digits", digits: 0 };
  const read = digitsOf(cell);
  if (!read.ok) return { ...read, digits: 0 };
  const { digits } = read;
  if (digits.length === CITIZEN_ID_LENGTH) {
    if (!isProvinceCode(digits.slice(0, 3))) return { ok: false, code: "id-province", digits: digits.length };
    return decode(digits, 0);
  }
  // Province codes run 001–096, so at most two leading zeros can have been lost.
  if (digits.length === 11 || digits.length === 10) {
    const padded = digits.padStart(CITIZEN_ID_LENGTH, "0");
    if (isProvinceCode(padded.slice(0, 3))) {
      return decode(padded, CITIZEN_ID_LENGTH - digits.length);
    }
  }
  return { ok: false, code: "id-length", digits: digits.length };
}

/**
 * Age by birth year only (the id encodes no day or month): someone born in 2011 counts as 14 for the whole
 * of 2025. This errs toward accepting a person a few months short of 14, never toward refusing an adult.
 */
export function ageInYear(birthYear: number, year: number): number {
  return year - birthYear;
}

export function isOldEnough(birthYear: number, helpedOn: string): boolean {
  return ageInYear(birthYear, Number(helpedOn.slice(0, 4))) >= MIN_AGE;
}

/**
 * Masked 12-digit ids by their visible digits (first three, last two: 100.000 possible), made once each. A
 * province's million entries then share some thousands of strings instead of holding one each, which the
 * garbage collector would copy and mark a million times. Referentially transparent: a cache, not state.
 */
const maskedByDigits: (string | undefined)[] = new Array<string | undefined>(100_000).fill(undefined);

/**
 * The visible digits of a 12-character id (first three, last two) as one number below 100.000; -1 when any of
 * them is not a digit or the id is not 12 characters long.
 */
export function maskCodeOf(id: string): number {
  if (id.length !== CITIZEN_ID_LENGTH) return -1;
  const a = id.charCodeAt(0) - 48;
  const b = id.charCodeAt(1) - 48;
  const c = id.charCodeAt(2) - 48;
  const y = id.charCodeAt(10) - 48;
  const z = id.charCodeAt(11) - 48;
  const digits =
    a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9 && y >= 0 && y <= 9 && z >= 0 && z <= 9;
  return digits ? a * 10_000 + b * 1000 + c * 100 + y * 10 + z : -1;
}

/** maskCitizenId of any 12-character id whose maskCodeOf is `code` (0 ≤ code < 100.000), made once per code. */
export function maskedCitizenId(code: number): string {
  const known = maskedByDigits[code];
  if (known !== undefined) return known;
  // One flat string from character codes: slices and a concatenation would make three strings.
  const digit = (place: number) => 48 + (Math.floor(code / place) % 10);
  const star = 42;
  const masked = String.fromCharCode(
    digit(10_000),
    digit(1000),
    digit(100),
    star,
    star,
    star,
    star,
    star,
    star,
    star,
    digit(10),
    digit(1),
  );
  maskedByDigits[code] = masked;
  return masked;
}

/** "001095012389" → "001*******89": enough for the unit to recognise its row, useless to anyone else. */
export function maskCitizenId(id: string): string {
  if (id.length === CITIZEN_ID_LENGTH) {
    const code = maskCodeOf(id);
    if (code >= 0) return maskedCitizenId(code);
    // Twelve characters that are not all digits where they show: masked from their own characters.
    return `${id.slice(0, 3)}*******${id.slice(10)}`;
  }
  if (id.length < 6) return "*".repeat(id.length);
  return `${id.slice(0, 3)}${"*".repeat(id.length - 5)}${id.slice(-2)}`;
}
