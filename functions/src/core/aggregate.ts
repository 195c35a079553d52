// Counting entries per unit at an instant. A count "at T" includes what was entered at or before T; the state at
// the end of a period is therefore the count at (cutoff − 1 ms), since a row stamped at the cutoff belongs to the
// next period. Lateness depends only on the rows' own dates and stamps, so replays and offline runs agree.
import { DateTime } from "luxon";
import type { Campaign, Counts } from "../../../schemas/index.ts";
import { enteredMs, isoMs } from "./dedupe.ts";
import { type EntryTable, entryTable } from "./entry-table.ts";
import { DondocError } from "./errors.ts";
import type { AggregateEntry, Entry, LineListEntry } from "./model.ts";
import { campaignZone, firstCutoffAfter } from "./periods.ts";

export interface TimedEntry<E extends Entry = Entry> {
  entry: E;
  /** Entered time (stamp, else first seen) in epoch ms. */
  at: number;
  late: boolean;
}

/**
 * One unit's entries, ready to count at any instant. Each list of times is ascending, so "how many by T" is a
 * binary search: the province's standings ask a few instants of a million entries.
 */
export interface UnitLedger {
  unitId: string;
  /** Entered times of all its entries, citizens and reports. */
  entered: Float64Array;
  /** Entered times of its late entries. */
  late: Float64Array;
  /** Per indicator of the campaign the ledger was built for: entered times of the citizens counted for it. */
  ticked: Map<string, Float64Array>;
  /** Reports by entered time (input order among equal times). */
  reports: TimedEntry<AggregateEntry>[];
}

export type CountingCampaign = Pick<Campaign, "start" | "end" | "schedule" | "timezone" | "indicators">;

export function zeroCounts(c: Pick<Campaign, "indicators">): Counts {
  return Object.fromEntries(c.indicators.map((i) => [i.key, 0]));
}

export function addCounts(a: Counts, b: Counts): Counts {
  const out: Counts = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** a − b per indicator, never below zero (a cumulative report that went down adds nothing). */
export function subtractCounts(a: Counts, b: Counts): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(a)) out[k] = Math.max(0, v - (b[k] ?? 0));
  return out;
}

export function workDay(e: Entry): string {
  return e.mode === "line-list" ? e.date : e.reportDate;
}

/**
 * The deadline for work done on `day`: the first cutoff at or after the day is over. Null when the campaign has
 * no cutoff left (work dated after the campaign, which validation reports as an error of its own).
 */
export function deadlineFor(c: CountingCampaign, day: string): DateTime | null {
  const zone = campaignZone(c);
  const dayStart = DateTime.fromISO(day, { zone });
  if (!dayStart.isValid) return null;
  return firstCutoffAfter(c, dayStart.plus({ days: 1 }).startOf("day"));
}

/** Entered at or after the deadline of its work day (nhập muộn). */
export function isLate(c: CountingCampaign, e: Entry): boolean {
  const deadline = deadlineFor(c, workDay(e));
  return deadline !== null && enteredMs(e) >= deadline.toMillis();
}

function invalidEntryTime(e: Entry): DondocError {
  return new DondocError("invalid-entry-time", `Thời điểm nhập không hợp lệ ở dòng ${e.row}.`, {
    unitId: e.unitId,
    key: e.key,
  });
}

/** Sorts in place unless already ascending (sheets mostly list rows in the order they were entered). */
function ascending(times: Float64Array): Float64Array {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return times.sort();
  return times;
}

/**
 * Per kind of time, the times of the entries of that kind as one array cut into per-unit segments, each in input
 * order: the placing pass of a counting sort by unit, `counts[kind][u]` being unit u's number of entries of the
 * kind. Kind 0 is every entry; kind k > 0 the entries flagged in flags[k − 1]. Entries of unit −1 (unreadable
 * times) are left out. One pass over the entries for all kinds.
 */
function timesByUnit(
  at: Float64Array,
  unitOf: Int32Array,
  counts: readonly (readonly number[])[],
  flags: readonly Uint8Array[],
): { times: Float64Array; starts: Int32Array }[] {
  const units = counts[0]!.length;
  const kinds = counts.map((perUnit) => {
    const starts = new Int32Array(units + 1);
    perUnit.forEach((count, u) => {
      starts[u + 1] = starts[u]! + count;
    });
    return { times: new Float64Array(starts[units]!), starts, next: starts.slice(0, units) };
  });
  const all = kinds[0]!;
  const flagged = kinds.slice(1);
  for (let i = 0; i < at.length; i++) {
    const u = unitOf[i]!;
    if (u < 0) continue;
    const t = at[i]!;
    all.times[all.next[u]!++] = t;
    for (let k = 0; k < flagged.length; k++) {
      if (flags[k]![i] === 1) {
        const kind = flagged[k]!;
        kind.times[kind.next[u]!++] = t;
      }
    }
  }
  return kinds.map(({ times, starts }) => ({ times, starts }));
}

/**
 * Groups entries by unit with their entered times and lateness, computing each work day's deadline once.
 *
 * `counted` is the cross-unit dedupe's verdict by entry index (DedupeResult.counted): a later recording of a
 * shared citizen counts only the indicators it narrowed to, or nothing. It still counts as entered, for
 * "reported" and "late": the unit did the work, someone else had just recorded the citizen first.
 *
 * A province has a million entries, so this reads each entry object once into typed columns (unit, time,
 * lateness, counted indicators), then sorts the times by unit into one array per kind of time; a sheet's
 * line-list columns (all one unit's) put their times straight into arrays per kind of their own.
 */
export function buildLedgers(
  c: CountingCampaign,
  entries: readonly Entry[] | EntryTable,
  counted: ReadonlyMap<number, LineListEntry | null> = new Map(),
): Map<string, UnitLedger> {
  const table = entryTable(entries);
  const keys = Object.keys(zeroCounts(c));
  const deadlines = new Map<string, number | null>();
  const deadlineMs = (day: string) => {
    let due = deadlines.get(day);
    if (due === undefined) {
      due = deadlineFor(c, day)?.toMillis() ?? null;
      deadlines.set(day, due);
    }
    return due;
  };
  // The objects' columns; a sheet's entries are placed apart (below).
  const n = table.objects.length;
  const unitIds: string[] = [];
  const unitIndex = new Map<string, number>();
  const reports: TimedEntry<AggregateEntry>[][] = [];
  const unitOf = new Int32Array(n);
  const at = new Float64Array(n);
  const late = new Uint8Array(n);
  const ticked = keys.map(() => new Uint8Array(n));
  // Per kind of time (all, late, then counted per indicator), how many each unit has.
  const counts: number[][] = [[], [], ...keys.map(() => [])];
  // Rows arrive unit by unit and mostly day by day: remember the last unit and day rather than look them up.
  let unitId: string | undefined;
  let unit = -1;
  let day: string | undefined;
  let due: number | null = null;
  // An unreadable time on a duplicate is reported only if no counted entry has one (it would not be counted).
  let unreadableDuplicate: Entry | undefined;
  const unitNumber = (id: string): number => {
    let u = unitIndex.get(id);
    if (u === undefined) {
      u = unitIds.length;
      unitIds.push(id);
      unitIndex.set(id, u);
      reports.push([]);
      sheetParts.push([]);
      for (const perUnit of counts) perUnit.push(0);
    }
    return u;
  };
  // Walked alongside the entries: a lookup per entry would cost more than the rest of the loop.
  const shared = [...counted.keys()].sort((a, b) => a - b);
  const sheetParts: { times: Float64Array[]; lengths: Int32Array }[][] = [];
  let nextShared = 0;
  const objects = table.objects;
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i]!;
    const t = enteredMs(e);
    let countedAs: LineListEntry | null | undefined;
    if (shared[nextShared] === i) countedAs = counted.get(shared[nextShared++]!);
    if (Number.isNaN(t)) {
      if (countedAs !== null) throw invalidEntryTime(e);
      unreadableDuplicate ??= e;
      unitOf[i] = -1;
      continue;
    }
    if (e.unitId !== unitId) {
      unitId = e.unitId;
      unit = unitNumber(unitId);
    }
    const work = workDay(e);
    if (work !== day) {
      day = work;
      due = deadlineMs(work);
    }
    const isLate = due !== null && t >= due;
    unitOf[i] = unit;
    at[i] = t;
    counts[0]![unit]! += 1;
    if (isLate) {
      late[i] = 1;
      counts[1]![unit]! += 1;
    }
    if (e.mode === "aggregate") reports[unit]!.push({ entry: e, at: t, late: isLate });
    else if (countedAs !== null) {
      const indicators = (countedAs ?? e).indicators;
      for (let k = 0; k < keys.length; k++) {
        if (indicators[keys[k]!] === true) {
          ticked[k]![i] = 1;
          counts[k + 2]![unit]! += 1;
        }
      }
    }
  }
  // A sheet's columns: one unit, tick masks in the sheet's indicator order, stamps already in ms, dates as
  // indexes. Its times go straight into arrays of its own, one per kind, in order: no per-entry unit, time and
  // flags to place afterwards (the objects' counting sort above).
  table.sheets.forEach((sheet, s) => {
    const start = table.starts[s]!;
    const u = unitNumber(sheet.unitId);
    // The ledger's kind of time (2 + the campaign's index of the indicator) for each bit of the sheet's masks.
    const kindOfBit = new Int32Array(32).fill(-1);
    keys.forEach((key, k) => {
      const bit = sheet.indicatorKeys.indexOf(key);
      if (bit >= 0) kindOfBit[bit] = k + 2;
    });
    const { enteredMs: stamps, ticks, dateAt, texts } = sheet;
    // Each date's deadline, looked up once: NaN for none (no time is at or after it).
    const dues = new Float64Array(texts.length);
    const known = new Uint8Array(texts.length);
    const times = counts.map(() => new Float64Array(sheet.length));
    const lengths = new Int32Array(times.length);
    const all = times[0]!;
    const lateTimes = times[1]!;
    let entered = 0;
    let lateCount = 0;
    for (let j = 0; j < sheet.length; j++) {
      const i = start + j;
      let t = stamps[j]!;
      if (Number.isNaN(t) && sheet.enteredAt(j) === null) t = isoMs(sheet.firstSeen(j));
      let countedAs: LineListEntry | null | undefined;
      if (shared[nextShared] === i) countedAs = counted.get(shared[nextShared++]!);
      if (Number.isNaN(t)) {
        if (countedAs !== null) throw invalidEntryTime(sheet.entry(j));
        unreadableDuplicate ??= sheet.entry(j);
        continue;
      }
      const d = dateAt[j]!;
      if (known[d] === 0) {
        known[d] = 1;
        dues[d] = deadlineMs(texts[d]!) ?? Number.NaN;
      }
      all[entered++] = t;
      if (t >= dues[d]!) lateTimes[lateCount++] = t;
      if (countedAs === null) continue;
      if (countedAs === undefined) {
        // Each set bit in turn, lowest first.
        for (let mask = ticks[j]!; mask !== 0; mask &= mask - 1) {
          const kind = kindOfBit[31 - Math.clz32(mask & -mask)]!;
          if (kind >= 0) times[kind]![lengths[kind]!++] = t;
        }
      } else {
        for (let k = 0; k < keys.length; k++) {
          if (countedAs.indicators[keys[k]!] === true) times[k + 2]![lengths[k + 2]!++] = t;
        }
      }
    }
    lengths[0] = entered;
    lengths[1] = lateCount;
    sheetParts[u]!.push({ times, lengths });
  });
  if (unreadableDuplicate) throw invalidEntryTime(unreadableDuplicate);
  // Per kind of time (all, late, counted per indicator), the objects' times in one array for all units, then
  // each unit's with its sheets' appended; ledgers hold views of them.
  const kinds = timesByUnit(at, unitOf, counts, [late, ...ticked]);
  const segment = (kind: number, u: number) => {
    const { times, starts } = kinds[kind]!;
    const own = times.subarray(starts[u]!, starts[u + 1]!);
    const parts = sheetParts[u] ?? [];
    if (parts.length === 0) return ascending(own);
    if (own.length === 0 && parts.length === 1) {
      return ascending(parts[0]!.times[kind]!.subarray(0, parts[0]!.lengths[kind]!));
    }
    const out = new Float64Array(own.length + parts.reduce((sum, p) => sum + p.lengths[kind]!, 0));
    out.set(own);
    let at = own.length;
    for (const p of parts) {
      out.set(p.times[kind]!.subarray(0, p.lengths[kind]!), at);
      at += p.lengths[kind]!;
    }
    return ascending(out);
  };
  const ledgers = new Map<string, UnitLedger>();
  unitIds.forEach((id, u) => {
    ledgers.set(id, {
      unitId: id,
      entered: segment(0, u),
      late: segment(1, u),
      ticked: new Map(keys.map((key, k) => [key, segment(k + 2, u)])),
      reports: reports[u]!.sort((x, y) => x.at - y.at),
    });
  });
  return ledgers;
}

/** How many of the ascending `times` are not after `atMs` (all of them when atMs is NaN, as a scan would). */
function countBy(times: Float64Array, atMs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > atMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** How many of the ascending `times` are before `startMs`. */
function countBefore(times: Float64Array, startMs: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! >= startMs) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The latest report (by report date) entered at or before `atMs`; a later stamp wins a same-date tie. */
export function latestReport(ledger: UnitLedger, atMs: number): AggregateEntry | null {
  let best: TimedEntry<AggregateEntry> | null = null;
  for (const r of ledger.reports) {
    if (r.at > atMs) break;
    if (best === null || r.entry.reportDate >= best.entry.reportDate) best = r;
  }
  return best?.entry ?? null;
}

/**
 * Cumulative counts of one unit at `atMs`: citizens entered so far with each indicator ticked, plus the figures
 * of its latest report.
 */
export function countsAt(
  c: Pick<Campaign, "indicators">,
  ledger: UnitLedger | undefined,
  atMs: number,
): Counts {
  const out = zeroCounts(c);
  if (!ledger) return out;
  const keys = Object.keys(out);
  for (const key of keys) {
    const ticked = ledger.ticked.get(key);
    if (!ticked) throw new Error(`The ledger of ${ledger.unitId} was built without indicator ${key}.`);
    out[key] = countBy(ticked, atMs);
  }
  const report = latestReport(ledger, atMs);
  if (report) for (const key of keys) out[key]! += report.counts[key] ?? 0;
  return out;
}

/** Counts added in [startMs, atMs]: the cumulative figure at `atMs` minus the one just before the start. */
export function countsAddedBetween(
  c: Pick<Campaign, "indicators">,
  ledger: UnitLedger | undefined,
  startMs: number,
  atMs: number,
): Counts {
  return subtractCounts(countsAt(c, ledger, atMs), countsAt(c, ledger, startMs - 1));
}

/** Whether the unit entered anything in [startMs, atMs]. */
export function enteredBetween(ledger: UnitLedger | undefined, startMs: number, atMs: number): boolean {
  if (!ledger || Number.isNaN(startMs) || Number.isNaN(atMs)) return false;
  const first = countBefore(ledger.entered, startMs);
  return first < ledger.entered.length && ledger.entered[first]! <= atMs;
}

/** Late entries entered at or before `atMs`. */
export function lateCount(ledger: UnitLedger | undefined, atMs: number): number {
  if (!ledger || Number.isNaN(atMs)) return 0;
  return countBy(ledger.late, atMs);
}
