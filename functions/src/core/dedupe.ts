// The same citizen counted by two units is counted once: the first to record them keeps them. "First" is
// decided by data alone (stamps, then stable ids), so every run and every input order agree.
import type { RowIssue } from "../../../schemas/index.ts";
import { type EntryTable, entryTable } from "./entry-table.ts";
import { idHashCode } from "./id-hash-code.ts";
import type { Entry, LineListEntry } from "./model.ts";

export interface DuplicateCitizen {
  entry: LineListEntry;
  keptBy: LineListEntry;
}

export interface DedupeResult {
  kept: Entry[];
  duplicates: DuplicateCitizen[];
  /**
   * What the later recordings of shared citizens count as, by index in the input: a copy narrowed to the
   * indicators nobody ticked before, or null when they add nothing (duplicates). Entries not in it count whole;
   * `kept` applies it.
   */
  counted: ReadonlyMap<number, LineListEntry | null>;
  /** One warning per duplicate, on the losing unit's row. */
  issues: RowIssue[];
}

/** The time a row counts from: the sheet's stamp when there is one, else when the server first saw it. */
export function enteredTime(e: Entry): string {
  return e.enteredAt ?? e.firstSeenAt;
}

function plain(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** enteredTime(e) in epoch ms; NaN when it cannot be read. */
export function enteredMs(e: Entry): number {
  return isoMs(enteredTime(e));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The character at s[i] less "0": a digit's value, anything else below 0 or above 9. */
function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

// The last date isoMs read, as YYYYMMDD, and its day number: a province's stamps come from a few dozen days, row
// after row from the same one, and the calendar arithmetic (divisions) cost more than reading the digits.
let lastDate = -1;
let lastDays = 0;

/**
 * Date.parse, exactly and more cheaply, for the form every stored time takes: YYYY-MM-DDTHH:mm:ss, optional .sss, then Z
 * or ±HH:mm. A province has a million of them to read. Anything else, including fields out of range (V8 rolls
 * 30/02 over into March and reads 24:00 as the next midnight), goes to Date.parse itself.
 */
export function isoMs(iso: string): number {
  const n = iso.length;
  if (
    n < 20 ||
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58
  ) {
    return Date.parse(iso);
  }
  // Each character is read once: a string read costs more than the arithmetic around it. A value d is a digit
  // when both d and 9 − d are non-negative, so one sign test over their OR checks them all.
  const y0 = digit(iso, 0);
  const y1 = digit(iso, 1);
  const y2 = digit(iso, 2);
  const y3 = digit(iso, 3);
  const mo0 = digit(iso, 5);
  const mo1 = digit(iso, 6);
  const d0 = digit(iso, 8);
  const d1 = digit(iso, 9);
  const h0 = digit(iso, 11);
  const h1 = digit(iso, 12);
  const mi0 = digit(iso, 14);
  const mi1 = digit(iso, 15);
  const s0 = digit(iso, 17);
  const s1 = digit(iso, 18);
  const year4 = y0 | (9 - y0) | y1 | (9 - y1) | y2 | (9 - y2) | y3 | (9 - y3);
  const monthDay = mo0 | (9 - mo0) | mo1 | (9 - mo1) | d0 | (9 - d0) | d1 | (9 - d1);
  const time =
    h0 | (9 - h0) | h1 | (9 - h1) | mi0 | (9 - mi0) | mi1 | (9 - mi1) | s0 | (9 - s0) | s1 | (9 - s1);
  if ((year4 | monthDay | time) < 0) return Date.parse(iso);
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return Date.parse(iso);
  let zone = 19;
  let milli = 0;
  if (iso.charCodeAt(19) === 46) {
    // .sss
    const f0 = digit(iso, 20);
    const f1 = digit(iso, 21);
    const f2 = digit(iso, 22);
    if ((f0 | (9 - f0) | f1 | (9 - f1) | f2 | (9 - f2)) < 0) return Date.parse(iso);
    milli = f0 * 100 + f1 * 10 + f2;
    zone = 23;
  }
  let offsetMinutes = 0;
  const sign = iso.charCodeAt(zone);
  if (sign === 43 || sign === 45) {
    // ±HH:mm
    if (n !== zone + 6 || iso.charCodeAt(zone + 3) !== 58) return Date.parse(iso);
    const oh0 = digit(iso, zone + 1);
    const oh1 = digit(iso, zone + 2);
    const om0 = digit(iso, zone + 4);
    const om1 = digit(iso, zone + 5);
    if ((oh0 | (9 - oh0) | oh1 | (9 - oh1) | om0 | (9 - om0) | om1 | (9 - om1)) < 0) return Date.parse(iso);
    const hours = oh0 * 10 + oh1;
    const minutes = om0 * 10 + om1;
    if (hours > 23 || minutes > 59) return Date.parse(iso);
    offsetMinutes = sign === 43 ? hours * 60 + minutes : -(hours * 60 + minutes);
  } else if (sign !== 90 || n !== zone + 1) return Date.parse(iso); // not Z
  const date = (year * 100 + month) * 100 + day;
  if (date !== lastDate) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
    if (day > monthDays) return Date.parse(iso);
    lastDays = daysFromCivil(year, month, day);
    lastDate = date;
  }
  const minutes = (lastDays * 24 + hour) * 60 + minute - offsetMinutes;
  return minutes * 60_000 + second * 1000 + milli;
}

function ms(iso: string): number {
  const t = isoMs(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** A line-list entry with its position in the input and its times read once, for sorting. */
interface Recording {
  entry: LineListEntry;
  index: number;
  entered: number;
  firstSeen: number;
}

function recording(entry: LineListEntry, index: number): Recording {
  return { entry, index, entered: ms(enteredTime(entry)), firstSeen: ms(entry.firstSeenAt) };
}

/** compareRecorded, then input order (what a stable sort of the entries themselves would keep). */
function compareRecordings(a: Recording, b: Recording): number {
  return (
    a.entered - b.entered ||
    a.firstSeen - b.firstSeen ||
    plain(a.entry.unitId, b.entry.unitId) ||
    a.entry.row - b.entry.row ||
    plain(a.entry.key, b.entry.key) ||
    a.index - b.index
  );
}

/** Earlier recording first; ties broken by ids only, which are ASCII, so no collation is needed. */
export function compareRecorded(a: LineListEntry, b: LineListEntry): number {
  return compareRecordings(recording(a, 0), recording(b, 0));
}

/**
 * The warning a unit sees on its duplicate row. It names the other unit but nothing about the person or the
 * other unit's row: the other unit's data is not this unit's to see.
 */
export function duplicateIssue(d: DuplicateCitizen, unitName: (unitId: string) => string): RowIssue {
  return {
    code: "duplicate-citizen",
    severity: "warning",
    unitId: d.entry.unitId,
    row: d.entry.row,
    column: "",
    header: "",
    message: `${unitName(d.entry.unitId)}, dòng ${d.entry.row}: người dân này đã được ${unitName(d.keptBy.unitId)} ghi nhận trước; không tính trùng.`,
  };
}

const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;

/** Bits of an id-hash code that pick its bit in the first pass's sets (2 MB each: they stay in the cache). */
const SEEN_BITS = 24;

/**
 * The citizens recorded more than once, each as the indexes of its line-list entries in input order. Each entry's
 * id hash has a 32-bit code (made once, with the hash). A first pass marks the top 24 bits of every code in a bit
 * set, and a second set those met twice: only entries whose bits were met twice can share a hash (the true
 * duplicates, ≈ 1 %, and ≈ 6 % more whose bits collide). Those are radix-sorted by code (three stable passes of
 * 11 bits, with the entry indexes alongside), so entries with equal codes end up side by side in input order,
 * and only those are compared as strings. Sorting every entry's code took ≈ 160 ms a million entries; the two
 * passes over bit sets that fit in the cache take a fraction of it.
 */
function sharedCitizens(table: EntryTable): number[][] {
  const n = table.length;
  let codes = new Int32Array(n);
  let order = new Int32Array(n);
  let m = 0;
  const objects = table.objects;
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i]!;
    if (e.mode !== "line-list") continue;
    codes[m] = idHashCode(e.idHash);
    order[m++] = i;
  }
  table.sheets.forEach((sheet, s) => {
    const start = table.starts[s]!;
    codes.set(sheet.codes, m);
    for (let j = 0; j < sheet.length; j++) order[m++] = start + j;
  });
  const seen = new Int32Array(1 << (SEEN_BITS - 5));
  const twice = new Int32Array(1 << (SEEN_BITS - 5));
  for (let k = 0; k < m; k++) {
    const top = codes[k]! >>> (32 - SEEN_BITS);
    const word = top >>> 5;
    const bit = 1 << (top & 31);
    if ((seen[word]! & bit) !== 0) twice[word]! |= bit;
    else seen[word]! |= bit;
  }
  let candidates = 0;
  for (let k = 0; k < m; k++) {
    const top = codes[k]! >>> (32 - SEEN_BITS);
    if ((twice[top >>> 5]! & (1 << (top & 31))) !== 0) {
      codes[candidates] = codes[k]!;
      order[candidates++] = order[k]!;
    }
  }
  m = candidates;
  codes = codes.subarray(0, m);
  order = order.subarray(0, m);
  let codesTo = new Int32Array(m);
  let orderTo = new Int32Array(m);
  const starts = new Int32Array(RADIX);
  for (let shift = 0; shift < 32; shift += RADIX_BITS) {
    starts.fill(0);
    for (let k = 0; k < m; k++) starts[(codes[k]! >>> shift) & (RADIX - 1)]! += 1;
    let sum = 0;
    for (let bucket = 0; bucket < RADIX; bucket++) {
      const count = starts[bucket]!;
      starts[bucket] = sum;
      sum += count;
    }
    for (let k = 0; k < m; k++) {
      const code = codes[k]!;
      const at = starts[(code >>> shift) & (RADIX - 1)]!++;
      codesTo[at] = code;
      orderTo[at] = order[k]!;
    }
    [codes, codesTo] = [codesTo, codes];
    [order, orderTo] = [orderTo, order];
  }
  const groups: number[][] = [];
  for (let k = 0; k < m; ) {
    let end = k + 1;
    while (end < m && codes[end] === codes[k]) end++;
    if (end - k > 1) sameIdHash(table, order.subarray(k, end), groups);
    k = end;
  }
  return groups;
}

/** The groups of equal id hashes among these entry indexes (ascending), each of two or more, in input order. */
function sameIdHash(table: EntryTable, indexes: Int32Array, groups: number[][]): void {
  const hashOf = (index: number) => table.idHash(index);
  const grouped = new Uint8Array(indexes.length);
  for (let a = 0; a < indexes.length; a++) {
    if (grouped[a] === 1) continue;
    const hash = hashOf(indexes[a]!);
    const group = [indexes[a]!];
    for (let b = a + 1; b < indexes.length; b++) {
      if (grouped[b] === 0 && hashOf(indexes[b]!) === hash) {
        grouped[b] = 1;
        group.push(indexes[b]!);
      }
    }
    if (group.length > 1) groups.push(group);
  }
}

/** What standings need of the dedupe: everything but the kept list, which would be a million-entry copy. */
export type DedupeVerdicts = Omit<DedupeResult, "kept">;

/**
 * dedupeCitizens without `kept`: what each shared citizen's later recordings count as, and the duplicates. Indexes
 * are the table's (objects first, then each sheet's columns); only shared citizens' entries are made objects.
 */
export function dedupeVerdicts(
  entries: readonly Entry[] | EntryTable,
  unitName: (unitId: string) => string,
): DedupeVerdicts {
  const table = entryTable(entries);
  const counted = new Map<number, LineListEntry | null>();
  const duplicates: { recording: Recording; keptBy: LineListEntry }[] = [];
  for (const indexes of sharedCitizens(table)) {
    const group = indexes.map((index) => recording(table.entry(index) as LineListEntry, index));
    group.sort(compareRecordings);
    const first = group[0]!.entry;
    const ticked = new Set<string>();
    // By entry, as the same entry object may be listed twice: it is then a duplicate both times.
    const countedAs = new Map<LineListEntry, LineListEntry | null>();
    group.forEach(({ entry: e }, i) => {
      const fresh = Object.keys(e.indicators).filter((k) => e.indicators[k] && !ticked.has(k));
      for (const k of fresh) ticked.add(k);
      if (i === 0) return;
      if (fresh.length === 0) countedAs.set(e, null);
      else if (fresh.length < Object.values(e.indicators).filter(Boolean).length) {
        const indicators = Object.fromEntries(Object.keys(e.indicators).map((k) => [k, fresh.includes(k)]));
        countedAs.set(e, { ...e, indicators });
      }
    });
    for (const r of group) {
      const verdict = countedAs.get(r.entry);
      if (verdict !== undefined) counted.set(r.index, verdict);
      if (verdict === null) duplicates.push({ recording: r, keptBy: first });
    }
  }
  duplicates.sort((a, b) => compareRecordings(a.recording, b.recording));
  const sorted = duplicates.map(({ recording, keptBy }) => ({ entry: recording.entry, keptBy }));
  return { duplicates: sorted, counted, issues: sorted.map((d) => duplicateIssue(d, unitName)) };
}

/**
 * Counts each citizen once per indicator across units: for every indicator, the first recording that ticked it
 * counts it. A later recording by another unit keeps only the indicators nobody ticked before (VNeID done by a
 * village, the signature later by a school: both count); a recording with nothing new is a duplicate of the
 * citizen's first recording. Aggregate entries pass through. `kept` preserves the input order of the entries it
 * keeps (narrowed copies where indicators were already counted); duplicates come in recording order.
 */
export function dedupeCitizens(entries: Entry[], unitName: (unitId: string) => string): DedupeResult {
  const verdicts = dedupeVerdicts(entries, unitName);
  const kept: Entry[] = [];
  entries.forEach((e, i) => {
    const countedAs = verdicts.counted.get(i);
    if (countedAs === undefined) kept.push(e);
    else if (countedAs !== null) kept.push(countedAs);
  });
  return { kept, ...verdicts };
}
