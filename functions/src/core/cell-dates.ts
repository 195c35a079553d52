// Reading date and time cells. Adapters deliver dates as spreadsheet serial numbers (Sheets'
// UNFORMATTED_VALUE with SERIAL_NUMBER, exceljs normalised the same way) or as the text a unit typed.
// Calendar dates are wall dates: they are never shifted through the machine's zone.
import { DateTime } from "luxon";
import type { CellValue } from "../../../schemas/index.ts";

export type DateFailure =
  | "date-empty"
  | "date-formula"
  | "date-invalid"
  | "date-impossible"
  | "date-out-of-range";
export type DateResult = { ok: true; value: string } | { ok: false; code: DateFailure };
export type InstantResult = { ok: true; value: string } | { ok: false; code: DateFailure };

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

/**
 * Day 0 of the 1900 date system is 1899-12-30, not 1900-01-01: Lotus 1-2-3 counted a 29/02/1900 that never
 * existed and Excel and Sheets kept the numbering, so serials from 01/03/1900 on are exact from this epoch.
 * (Serials 1–60 are off by one day; they fall before any campaign and outside MIN_YEAR anyway.)
 */
const SERIAL_EPOCH_UTC_MS = Date.UTC(1899, 11, 30);
const MS_PER_DAY = 86_400_000;

const VN_DATE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

type WallResult = { ok: true; wall: WallTime } | { ok: false; code: DateFailure };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/**
 * The same verdict as luxon's DateTime.fromObject(wall, { zone: "UTC" }).isValid on the whole numbers the
 * readers produce, without building a DateTime for every cell of a million-row province: 31/02 is refused
 * instead of rolled over to 03/03 as Date would, and so are hour 24 (luxon takes 24:00 as the end of the day;
 * a unit typing it means a mistake, not tomorrow's midnight), minute 60 and second 60.
 */
function checkWall(wall: WallTime): WallResult {
  if (wall.year < MIN_YEAR || wall.year > MAX_YEAR) return { ok: false, code: "date-out-of-range" };
  const valid =
    wall.month >= 1 &&
    wall.month <= 12 &&
    wall.day >= 1 &&
    wall.day <= daysInMonth(wall.year, wall.month) &&
    wall.hour >= 0 &&
    wall.hour <= 23 &&
    wall.minute >= 0 &&
    wall.minute <= 59 &&
    wall.second >= 0 &&
    wall.second <= 59 &&
    wall.millisecond >= 0 &&
    wall.millisecond <= 999;
  return valid ? { ok: true, wall } : { ok: false, code: "date-impossible" };
}

/**
 * Zones whose offset is one constant over the years a fast path may serve: Asia/Ho_Chi_Minh has been UTC+7
 * without DST since 13/06/1975 (IANA tzdata). Any other zone, or an earlier wall time, goes through luxon.
 */
/** `suffix` is the six-character ISO offset ("+07:00"); fixedOffsetIso relies on its length. */
const FIXED_OFFSET_ZONES: ReadonlyMap<string, { minutes: number; suffix: string; fromYear: number }> =
  new Map([["Asia/Ho_Chi_Minh", { minutes: 420, suffix: "+07:00", fromYear: 1976 }]]);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const ZERO = 48;

/**
 * luxon's toISO() of a valid wall time in a fixed-offset zone, e.g. "2025-08-04T13:59:59.000+07:00", for years
 * 1000–9999. Built from character codes: a concatenation would be kept as a tree of string pieces (about 250
 * bytes instead of 56) and a province keeps a million of these stamps in its entries; joining an array is flat
 * too but several times slower.
 */
function fixedOffsetIso(w: WallTime, suffix: string): string {
  const { year: y, month: mo, day: d } = w;
  const date = [
    ZERO + Math.floor(y / 1000),
    ZERO + (Math.floor(y / 100) % 10),
    ZERO + (Math.floor(y / 10) % 10),
    ZERO + (y % 10),
    45,
    ZERO + Math.floor(mo / 10),
    ZERO + (mo % 10),
    45,
    ZERO + Math.floor(d / 10),
    ZERO + (d % 10),
  ];
  return isoFromCodes(date, w.hour, w.minute, w.second, w.millisecond, suffix);
}

/** "YYYY-MM-DD" as character codes, then the time of day and the offset: one flat string (see fixedOffsetIso). */
function isoFromCodes(c: readonly number[], h: number, mi: number, s: number, ms: number, x: string): string {
  return String.fromCharCode(
    c[0]!,
    c[1]!,
    c[2]!,
    c[3]!,
    45, // -
    c[5]!,
    c[6]!,
    45,
    c[8]!,
    c[9]!,
    84, // T
    ZERO + Math.floor(h / 10),
    ZERO + (h % 10),
    58, // :
    ZERO + Math.floor(mi / 10),
    ZERO + (mi % 10),
    58,
    ZERO + Math.floor(s / 10),
    ZERO + (s % 10),
    46, // .
    ZERO + Math.floor(ms / 100),
    ZERO + (Math.floor(ms / 10) % 10),
    ZERO + (ms % 10),
    x.charCodeAt(0),
    x.charCodeAt(1),
    x.charCodeAt(2),
    x.charCodeAt(3),
    x.charCodeAt(4),
    x.charCodeAt(5),
  );
}

/**
 * The ISO text of the instant `ms` at a fixed UTC offset (minutes, east positive), as luxon's toISO() writes it
 * for a zone at that offset (e.g. "2025-08-04T13:59:59.000+07:00"; a zero offset is "+00:00", where luxon's UTC is
 * "Z"); null outside the years 1000–9999 or for an offset that is not whole minutes within ±18 h. Stored stamps
 * are read back from their ms with it (core/unit-snapshot.ts).
 */
export function isoAtOffset(ms: number, offsetMinutes: number): string | null {
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 18 * 60 || !Number.isFinite(ms))
    return null;
  const wall = new Date(ms + offsetMinutes * 60_000);
  const year = wall.getUTCFullYear();
  if (year < 1000 || year > 9999) return null;
  const abs = Math.abs(offsetMinutes);
  const suffix = `${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  return fixedOffsetIso(
    {
      year,
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      millisecond: wall.getUTCMilliseconds(),
    },
    suffix,
  );
}

// The day isIsoAtOffset last met: its start (wall ms at the offset) and the text's date part and offset suffix.
let isoDayStart = Number.NaN;
let isoDayOffset = Number.NaN;
let isoDayDate = "";
let isoDaySuffix = "";

/** Whether `text` is isoAtOffset(ms, offsetMinutes), without making that text (a unit has ten thousand). */
export function isIsoAtOffset(text: string, ms: number, offsetMinutes: number): boolean {
  if (text.length !== 29 || !Number.isFinite(ms)) return false;
  const wall = ms + offsetMinutes * 60_000;
  const dayStart = Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
  if (dayStart !== isoDayStart || offsetMinutes !== isoDayOffset) {
    const iso = isoAtOffset(dayStart - offsetMinutes * 60_000, offsetMinutes);
    if (iso === null) return false;
    isoDayStart = dayStart;
    isoDayOffset = offsetMinutes;
    isoDayDate = iso.slice(0, 11); // "YYYY-MM-DDT"
    isoDaySuffix = iso.slice(23); // "+07:00"
  }
  if (!text.startsWith(isoDayDate) || !text.endsWith(isoDaySuffix)) return false;
  let rest = wall - dayStart;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  const two = (at: number, n: number) =>
    text.charCodeAt(at) === ZERO + Math.floor(n / 10) && text.charCodeAt(at + 1) === ZERO + (n % 10);
  return (
    two(11, h) &&
    text.charCodeAt(13) === 58 &&
    two(14, mi) &&
    text.charCodeAt(16) === 58 &&
    two(17, sec) &&
    text.charCodeAt(19) === 46 &&
    text.charCodeAt(20) === ZERO + Math.floor(milli / 100) &&
    two(21, milli % 100)
  );
}

/** Serials past 31/12/9999 are left to Date, whose range decides what they mean. */
const MAX_ARITHMETIC_SERIAL = 2_958_466;
/** Days from 0000-03-01 (the proleptic Gregorian era start the arithmetic below counts from) to 1899-12-30. */
const SERIAL_EPOCH_DAYS = 693_899;

/**
 * Day count → civil date with integer arithmetic (H. Hinnant's days_from_civil inverse), the same answer as
 * Date's UTC getters without building a Date per cell.
 */
function wallFromSerialArithmetic(ms: number): WallTime {
  const dayNumber = Math.floor(ms / MS_PER_DAY);
  let rest = ms - dayNumber * MS_PER_DAY;
  const z = dayNumber + SERIAL_EPOCH_DAYS;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - Math.floor((153 * mp + 2) / 5) + 1,
    hour,
    minute,
    second,
    millisecond: rest - second * 1000,
  };
}

function wallFromSerial(serial: number): WallResult {
  if (!Number.isFinite(serial) || serial < 1) return { ok: false, code: "date-invalid" };
  // Rounded to the millisecond: a serial's binary fraction (0.5833333…) carries float noise below that.
  const ms = Math.round(serial * MS_PER_DAY);
  if (serial < MAX_ARITHMETIC_SERIAL) return checkWall(wallFromSerialArithmetic(ms));
  const d = new Date(SERIAL_EPOCH_UTC_MS + ms);
  return checkWall({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  });
}

function wallFromVnText(text: string): WallResult | null {
  const m = VN_DATE.exec(text);
  if (m === null) return null;
  return checkWall({
    day: Number(m[1]),
    month: Number(m[3]),
    year: Number(m[4]),
    hour: m[5] === undefined ? 0 : Number(m[5]),
    minute: m[6] === undefined ? 0 : Number(m[6]),
    second: m[7] === undefined ? 0 : Number(m[7]),
    millisecond: 0,
  });
}

function fromIsoText(
  text: string,
  zone: string,
): { ok: true; dt: DateTime } | { ok: false; code: DateFailure } {
  const dateOnly = ISO_DATE.exec(text);
  if (dateOnly !== null) {
    const wall = checkWall({
      year: Number(dateOnly[1]),
      month: Number(dateOnly[2]),
      day: Number(dateOnly[3]),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
    });
    return wall.ok ? { ok: true, dt: DateTime.fromObject(wall.wall, { zone }) } : wall;
  }
  if (!ISO_DATE_TIME.test(text)) return { ok: false, code: "date-invalid" };
  const dt = DateTime.fromISO(text.replace(" ", "T"), { zone });
  if (!dt.isValid) {
    return { ok: false, code: dt.invalidReason === "unit out of range" ? "date-impossible" : "date-invalid" };
  }
  if (dt.year < MIN_YEAR || dt.year > MAX_YEAR) return { ok: false, code: "date-out-of-range" };
  return { ok: true, dt };
}

function textOf(cell: string): { ok: true; text: string } | { ok: false; code: DateFailure } {
  const text = cell.replace(/[\u00A0\u202F]/g, " ").trim();
  if (text === "") return { ok: false, code: "date-empty" };
  if (/^[=+\-@]/.test(text)) return { ok: false, code: "date-formula" };
  return { ok: true, text };
}

function isoDate(w: WallTime): string {
  return `${String(w.year).padStart(4, "0")}-${pad2(w.month)}-${pad2(w.day)}`;
}

/**
 * Reads a calendar date → "YYYY-MM-DD". Accepts dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy (a time after
 * it is ignored), serial numbers (the fraction is a time of day and is ignored) and ISO yyyy-mm-dd with or
 * without a time; an ISO time with an offset is first moved into `zone`, so "2025-07-31T20:00:00Z" is
 * 01/08/2025 in Vietnam. Impossible dates (31/02/2025) and years outside 1900–2100 are refused, never rolled.
 */
export function parseDateCell(cell: CellValue, zone: string): DateResult {
  if (cell === null) return { ok: false, code: "date-empty" };
  if (typeof cell === "boolean") return { ok: false, code: "date-invalid" };
  if (typeof cell === "number") {
    const wall = wallFromSerial(cell);
    return wall.ok ? { ok: true, value: isoDate(wall.wall) } : wall;
  }
  const t = textOf(cell);
  if (!t.ok) return t;
  const vn = wallFromVnText(t.text);
  if (vn !== null) return vn.ok ? { ok: true, value: isoDate(vn.wall) } : vn;
  const iso = fromIsoText(t.text, zone);
  return iso.ok ? { ok: true, value: iso.dt.toISODate() ?? "" } : iso;
}

/**
 * Reads an instant (the "Thời điểm nhập" stamp) → ISO with the zone's offset, e.g.
 * "2025-08-04T13:59:59.000+07:00". Serials and "dd/mm/yyyy hh:mm[:ss]" are wall time in `zone`; ISO text
 * with an offset is that instant, without one it is wall time in `zone`. A bare date is its midnight.
 */
export function parseInstantCell(cell: CellValue, zone: string): InstantResult {
  const read = readInstantCell(cell, zone);
  return read.ok ? { ok: true, value: read.value } : read;
}

/** A wall time in `zone` → its instant, as ISO with offset and as epoch ms. */
function zonedWall(wall: WallTime, zone: string): { ok: true; value: string; ms: number } | null {
  const fixed = FIXED_OFFSET_ZONES.get(zone);
  if (fixed !== undefined && wall.year >= fixed.fromYear) {
    const ms =
      Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) -
      fixed.minutes * 60_000;
    return { ok: true, value: fixedOffsetIso(wall, fixed.suffix), ms };
  }
  return null;
}

/** A calendar day of the serial arithmetic, with the character codes of its "YYYY-MM-DD". */
interface SerialDay {
  year: number;
  codes: number[];
}

/** Days by day number; at most one per day of 1900–2100 (about 73,000), so the memo stays bounded. */
const serialDays = new Map<number, SerialDay>();

function serialDay(dayNumber: number): SerialDay {
  let day = serialDays.get(dayNumber);
  if (day === undefined) {
    const w = wallFromSerialArithmetic(dayNumber * MS_PER_DAY);
    const iso = isoDate(w);
    day = { year: w.year, codes: Array.from(iso, (ch) => ch.charCodeAt(0)) };
    serialDays.set(dayNumber, day);
  }
  return day;
}

/**
 * Serial stamps of one fixed-offset zone, read for a hot loop (a province has a million of them): `iso(serial)`
 * is the value readInstantCell gives, built from the day's memoised digits and the time of day without a wall
 * time, and leaves the instant's epoch ms in `ms`; no object is made per call. It answers null where the general
 * path might answer differently (out of range, before the zone's fixed offset began), so the caller falls back
 * to readInstantCell.
 */
export interface SerialStampReader {
  iso(serial: number): string | null;
  /** The epoch ms of the last stamp `iso` read. */
  ms: number;
  /** The epoch ms of the stamp `iso(serial)` would read, without making its text; NaN where `iso` gives null. */
  msOf(serial: number): number;
}

/** The zone's SerialStampReader; null when the zone's offset is not fixed (see FIXED_OFFSET_ZONES). */
export function serialStampReader(zone: string): SerialStampReader | null {
  const fixed = FIXED_OFFSET_ZONES.get(zone);
  if (fixed === undefined) return null;
  const offsetMs = fixed.minutes * 60_000;
  // Stamps come row after row from the same few days: the last day's digits are kept at hand.
  let lastDay = Number.NaN;
  let lastCodes: readonly number[] = [];
  let lastInRange = false;
  const dayOf = (dayNumber: number): boolean => {
    if (dayNumber !== lastDay) {
      const day = serialDay(dayNumber);
      lastDay = dayNumber;
      lastCodes = day.codes;
      lastInRange = day.year >= fixed.fromYear && day.year >= MIN_YEAR && day.year <= MAX_YEAR;
    }
    return lastInRange;
  };
  const reader: SerialStampReader = {
    ms: 0,
    msOf(serial: number): number {
      if (!(serial >= 1 && serial < MAX_ARITHMETIC_SERIAL)) return Number.NaN;
      const ms = Math.round(serial * MS_PER_DAY);
      return dayOf(Math.floor(ms / MS_PER_DAY)) ? SERIAL_EPOCH_UTC_MS + ms - offsetMs : Number.NaN;
    },
    iso(serial: number): string | null {
      if (!(serial >= 1 && serial < MAX_ARITHMETIC_SERIAL)) return null;
      const ms = Math.round(serial * MS_PER_DAY);
      const dayNumber = Math.floor(ms / MS_PER_DAY);
      if (!dayOf(dayNumber)) return null;
      let rest = ms - dayNumber * MS_PER_DAY;
      const h = Math.floor(rest / 3_600_000);
      rest -= h * 3_600_000;
      const mi = Math.floor(rest / 60_000);
      rest -= mi * 60_000;
      const s = Math.floor(rest / 1000);
      reader.ms = SERIAL_EPOCH_UTC_MS + ms - offsetMs;
      return isoFromCodes(lastCodes, h, mi, s, rest - s * 1000, fixed.suffix);
    },
  };
  return reader;
}

/** One SerialStampReader per fixed-offset zone, for readInstantCell. */
const stampReaders = new Map<string, SerialStampReader | null>();

/** As parseInstantCell, with the instant's epoch ms as well (the parser compares stamps with its clock). */
export function readInstantCell(
  cell: CellValue,
  zone: string,
): { ok: true; value: string; ms: number } | { ok: false; code: DateFailure } {
  if (cell === null) return { ok: false, code: "date-empty" };
  if (typeof cell === "boolean") return { ok: false, code: "date-invalid" };
  let dt: DateTime;
  if (typeof cell === "number") {
    let stamps = stampReaders.get(zone);
    if (stamps === undefined) {
      stamps = serialStampReader(zone);
      stampReaders.set(zone, stamps);
    }
    if (stamps !== null) {
      const quick = stamps.iso(cell);
      if (quick !== null) return { ok: true, value: quick, ms: stamps.ms };
    }
    const wall = wallFromSerial(cell);
    if (!wall.ok) return wall;
    const fast = zonedWall(wall.wall, zone);
    if (fast !== null) return fast;
    dt = DateTime.fromObject(wall.wall, { zone });
  } else {
    const t = textOf(cell);
    if (!t.ok) return t;
    const vn = wallFromVnText(t.text);
    if (vn !== null) {
      if (!vn.ok) return vn;
      const fast = zonedWall(vn.wall, zone);
      if (fast !== null) return fast;
      dt = DateTime.fromObject(vn.wall, { zone });
    } else {
      const iso = fromIsoText(t.text, zone);
      if (!iso.ok) return iso;
      dt = iso.dt.setZone(zone);
    }
  }
  // Only an unknown zone name gets here (luxon moves DST-gap wall times forward rather than failing).
  if (!dt.isValid) return { ok: false, code: "date-invalid" };
  return { ok: true, value: dt.toISO() ?? "", ms: dt.toMillis() };
}

/** Serial number of a wall date-time (for writing stamps and test fixtures). */
export function serialFromWall(wall: {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
}): number {
  const ms = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour ?? 0,
    wall.minute ?? 0,
    wall.second ?? 0,
  );
  return (ms - SERIAL_EPOCH_UTC_MS) / MS_PER_DAY;
}
