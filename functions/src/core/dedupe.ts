// The same citizen counted by two units is counted once: the first to record them keeps them. "First" is
// decided by data alone (stamps, then stable ids), so every run and every input order agree.
import type { RowIssue } from "../../../schemas/index.ts";
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

/** The digit at s[i]; a non-digit reads as a number so negative that any field containing it is out of range. */
function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -100_000;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Date.parse, exactly and more cheaply, for the form every stored time takes: YYYY-MM-DDTHH:mm:ss, optional .sss, then Z
 * or ±HH:mm. A province has a million of them to read. Anything else, including fields out of range (V8 rolls
 * 30/02 over into March and reads 24:00 as the next midnight), goes to Date.parse itself. Small helpers and no
 * closures, so that V8 inlines them all.
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
  // Each character is read once: a string read costs more than the arithmetic around it.
  const year = digitAt(iso, 0) * 1000 + digitAt(iso, 1) * 100 + digitAt(iso, 2) * 10 + digitAt(iso, 3);
  const month = digitAt(iso, 5) * 10 + digitAt(iso, 6);
  const day = digitAt(iso, 8) * 10 + digitAt(iso, 9);
  const hour = digitAt(iso, 11) * 10 + digitAt(iso, 12);
  const minute = digitAt(iso, 14) * 10 + digitAt(iso, 15);
  const second = digitAt(iso, 17) * 10 + digitAt(iso, 18);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return Date.parse(iso);
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return Date.parse(iso);
  let zone = 19;
  let milli = 0;
  if (iso.charCodeAt(19) === 46) {
    // .sss
    milli = digitAt(iso, 20) * 100 + digitAt(iso, 21) * 10 + digitAt(iso, 22);
    if (milli < 0) return Date.parse(iso);
    zone = 23;
  }
  let offsetMinutes = 0;
  const sign = iso.charCodeAt(zone);
  if (sign === 43 || sign === 45) {
    // ±HH:mm
    if (n !== zone + 6 || iso.charCodeAt(zone + 3) !== 58) return Date.parse(iso);
    const hours = digitAt(iso, zone + 1) * 10 + digitAt(iso, zone + 2);
    const minutes = digitAt(iso, zone + 4) * 10 + digitAt(iso, zone + 5);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return Date.parse(iso);
    offsetMinutes = sign === 43 ? hours * 60 + minutes : -(hours * 60 + minutes);
  } else if (sign !== 90 || n !== zone + 1) return Date.parse(iso); // not Z
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays) return Date.parse(iso);
  const minutes = (daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offsetMinutes;
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

/** A cheap hash of a citizen's id hash: its first and last 8 characters (HMAC hex: random enough) and length. */
function idHashCode(id: string): number {
  const n = id.length;
  const head = Math.min(n, 8);
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < head; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, n - 8); i < n; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * The citizens recorded more than once, each as the indexes of its line-list entries in input order. Nearly every
 * citizen is recorded once, so this is an open-addressing table that makes a list only on a second recording: a
 * Map of a million 64-character keys costs twice as much and allocates as it grows. Each slot holds an id's hash
 * code next to 1 + the index of its first entry (0: free), so a probe rarely has to look at another entry.
 */
function sharedCitizens(entries: readonly Entry[]): number[][] {
  let slots = 16;
  while (slots < entries.length * 2) slots *= 2;
  const mask = slots - 1;
  const table = new Int32Array(slots * 2);
  const groupAt = new Map<number, number[]>();
  const groups: number[][] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.mode !== "line-list") continue;
    const code = idHashCode(e.idHash);
    let slot = code & mask;
    for (;;) {
      const held = table[2 * slot + 1]!;
      if (held === 0) {
        table[2 * slot] = code;
        table[2 * slot + 1] = i + 1;
        break;
      }
      if (table[2 * slot] === code && (entries[held - 1] as LineListEntry).idHash === e.idHash) {
        let group = groupAt.get(slot);
        if (!group) {
          group = [held - 1];
          groupAt.set(slot, group);
          groups.push(group);
        }
        group.push(i);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return groups;
}

/** What standings need of the dedupe: everything but the kept list, which would be a million-entry copy. */
export type DedupeVerdicts = Omit<DedupeResult, "kept">;

/** dedupeCitizens without `kept`: what each shared citizen's later recordings count as, and the duplicates. */
export function dedupeVerdicts(
  entries: readonly Entry[],
  unitName: (unitId: string) => string,
): DedupeVerdicts {
  const counted = new Map<number, LineListEntry | null>();
  const duplicates: { recording: Recording; keptBy: LineListEntry }[] = [];
  for (const indexes of sharedCitizens(entries)) {
    const group = indexes.map((index) => recording(entries[index] as LineListEntry, index));
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
