// Vietnamese presentation of numbers, dates and names. Numbers are formatted by hand rather than with
// toLocaleString because the ICU data a runtime ships decides the separators, and the letters' "19.662"
// must come out the same on every machine.
import { DateTime } from "luxon";
import { DondocError } from "./errors.ts";

/** The campaigns' zone; every campaign defaults to it. */
export const DEFAULT_ZONE = "Asia/Ho_Chi_Minh";

/** An instant as callers hold it: a Date, a luxon DateTime, or an ISO string (with or without offset). */
export type InstantLike = Date | DateTime | string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Rounds half away from zero at `digits` decimals. Shifting through the exponent string avoids the binary
 * artefacts of `n * 10 ** digits` (1.005 * 100 = 100.49999…), so 25.55 → 25.6 as a person expects.
 */
export function roundTo(n: number, digits: number): number {
  if (!Number.isFinite(n)) return n;
  const sign = n < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(n)}e${digits}`));
  return sign * Number(`${shifted}e-${digits}`);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}

function assertFinite(n: number): void {
  if (!Number.isFinite(n)) throw new DondocError("format-not-finite", `Không thể hiển thị số ${n}.`);
}

/** Whole number with dot thousands: 19662 → "19.662", -3 → "-3". Fractions are rounded half away from zero. */
export function formatViNumber(n: number): string {
  assertFinite(n);
  const r = roundTo(n, 0);
  const body = groupThousands(Math.abs(r).toFixed(0));
  return r < 0 ? `-${body}` : body;
}

/**
 * Fixed decimals, comma separator, dot thousands: 25.5 → "25,5", 1234.56 → "1.234,6". Trailing zeros are kept
 * ("25,0"), so a column of figures lines up and a reader sees the precision; digits = 0 gives a whole number.
 */
export function formatViDecimal(n: number, digits = 1): string {
  assertFinite(n);
  const r = roundTo(n, digits);
  const [whole = "0", frac] = Math.abs(r).toFixed(digits).split(".");
  const negative = r < 0 && Number(`${whole}${frac ?? ""}`) !== 0;
  const body = frac === undefined ? groupThousands(whole) : `${groupThousands(whole)},${frac}`;
  return negative ? `-${body}` : body;
}

/** A number already ×100: 25.5 → "25,5%". */
export function formatViPercent(n: number, digits = 1): string {
  return `${formatViDecimal(n, digits)}%`;
}

/** Reads an instant in `zone`; an ISO string without offset is taken as wall time in that zone. */
export function toZoned(at: InstantLike, zone: string = DEFAULT_ZONE): DateTime {
  let dt: DateTime;
  if (at instanceof Date) dt = DateTime.fromJSDate(at, { zone });
  else if (typeof at === "string") dt = DateTime.fromISO(at, { zone });
  else dt = at.setZone(zone);
  if (!dt.isValid) {
    throw new DondocError("invalid-instant", `Thời điểm không hợp lệ: ${String(at)}.`, {
      reason: dt.invalidReason,
    });
  }
  return dt;
}

/** "04/08/2025". A bare YYYY-MM-DD is a calendar date and is not shifted; instants are shown in `zone`. */
export function formatViDate(at: InstantLike, zone: string = DEFAULT_ZONE): string {
  if (typeof at === "string" && ISO_DATE.test(at)) {
    const [y, m, d] = at.split("-");
    return `${d}/${m}/${y}`;
  }
  return toZoned(at, zone).toFormat("dd/MM/yyyy");
}

/** "14:00". */
export function formatViTime(at: InstantLike, zone: string = DEFAULT_ZONE): string {
  return toZoned(at, zone).toFormat("HH:mm");
}

/** "14:00 04/08/2025". */
export function formatViDateTime(at: InstantLike, zone: string = DEFAULT_ZONE): string {
  return toZoned(at, zone).toFormat("HH:mm dd/MM/yyyy");
}

/** The letters' clock style: "16h00", "9h30" → "09h30" (two-digit hours keep columns aligned). */
export function formatViClock(at: InstantLike, zone: string = DEFAULT_ZONE): string {
  return toZoned(at, zone).toFormat("HH'h'mm");
}

const WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"] as const;

/** ISO weekday (1 = Monday … 7 = Sunday) → "thứ Hai" … "Chủ nhật". */
export function weekdayName(isoWeekday: number): string {
  const name = WEEKDAYS[isoWeekday - 1];
  if (!Number.isInteger(isoWeekday) || name === undefined) {
    throw new DondocError("invalid-weekday", `Thứ trong tuần không hợp lệ: ${isoWeekday}.`);
  }
  return name;
}

/** "14:00 thứ Hai, 04/08/2025": the deadline wording of reminders and the "Chưa báo cáo" tab. */
export function formatDeadline(at: InstantLike, zone: string = DEFAULT_ZONE): string {
  const dt = toZoned(at, zone);
  return `${dt.toFormat("HH:mm")} ${weekdayName(dt.weekday)}, ${dt.toFormat("dd/MM/yyyy")}`;
}

/**
 * Made at the first comparison, not when the module loads: creating the first collator loads ICU's collation
 * data, ~28 ms of every function's cold start on the bench machine, and not every request sorts names.
 */
let viCollator: Intl.Collator | undefined;

/** Vietnamese collation: "Đình Bảng" < "Đông Ngàn" < "Đồng Nguyên" (đ after d, tones after base letters). */
export function compareVi(a: string, b: string): number {
  viCollator ??= new Intl.Collator("vi");
  return viCollator.compare(a.normalize("NFC"), b.normalize("NFC"));
}

/**
 * Masks runs of 9–12 digits (citizen ids, phone numbers) as "001*******89". Issue messages are written without
 * personal data; this is the second line of defence before text reaches leaders' tabs or standings.
 */
export function maskDigitRuns(text: string): string {
  return text.replace(
    /(?<!\d)\d{9,12}(?!\d)/g,
    (run) => `${run.slice(0, 3)}${"*".repeat(run.length - 5)}${run.slice(-2)}`,
  );
}
