// Counting entries per unit at an instant. A count "at T" includes what was entered at or before T; the state at
// the end of a period is therefore the count at (cutoff − 1 ms), since a row stamped at the cutoff belongs to the
// next period. Lateness depends only on the rows' own dates and stamps, so replays and offline runs agree.
import { DateTime } from "luxon";
import type { Campaign, Counts } from "../../../schemas/index.ts";
import { enteredMs } from "./dedupe.ts";
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

/** For each unit 0 … units − 1, the indexes of its entries in input order (a counting sort of `unitOf`). */
function indexesByUnit(unitOf: Int32Array, units: number): Int32Array[] {
  const starts = new Int32Array(units + 1);
  for (let i = 0; i < unitOf.length; i++) if (unitOf[i]! >= 0) starts[unitOf[i]! + 1]! += 1;
  for (let u = 0; u < units; u++) starts[u + 1]! += starts[u]!;
  const order = new Int32Array(starts[units]!);
  const next = starts.slice(0, units);
  for (let i = 0; i < unitOf.length; i++) if (unitOf[i]! >= 0) order[next[unitOf[i]!]!++] = i;
  return Array.from({ length: units }, (_, u) => order.subarray(starts[u]!, starts[u + 1]!));
}

/** Sorts in place unless already ascending (sheets mostly list rows in the order they were entered). */
function ascending(times: Float64Array): Float64Array {
  for (let i = 1; i < times.length; i++) if (times[i]! < times[i - 1]!) return times.sort();
  return times;
}

/**
 * One unit's times, ascending: of all the entries at `indexes`, and of those raised in each of `flags` (late,
 * then one column per indicator). Two passes over the unit: count, then fill arrays of the exact size.
 */
function unitTimes(
  at: Float64Array,
  indexes: Int32Array,
  flags: readonly Uint8Array[],
): { entered: Float64Array; flagged: Float64Array[] } {
  const counts = new Int32Array(flags.length);
  for (let j = 0; j < indexes.length; j++) {
    for (let f = 0; f < flags.length; f++) counts[f]! += flags[f]![indexes[j]!]!;
  }
  const entered = new Float64Array(indexes.length);
  const flagged = Array.from(counts, (count) => new Float64Array(count));
  const filled = new Int32Array(flags.length);
  for (let j = 0; j < indexes.length; j++) {
    const i = indexes[j]!;
    entered[j] = at[i]!;
    for (let f = 0; f < flags.length; f++) if (flags[f]![i] === 1) flagged[f]![filled[f]!++] = at[i]!;
  }
  return { entered: ascending(entered), flagged: flagged.map(ascending) };
}

/**
 * Groups entries by unit with their entered times and lateness, computing each work day's deadline once.
 *
 * `counted` is the cross-unit dedupe's verdict (DedupeResult.counted): a later recording of a shared citizen
 * counts only the indicators it narrowed to, or nothing. It still counts as entered, for "reported" and
 * "late": the unit did the work, someone else had just recorded the citizen first.
 *
 * A province has a million entries, so this reads each entry once into typed columns (unit, time, lateness,
 * counted indicators), then cuts the columns into each unit's ascending lists.
 */
export function buildLedgers(
  c: CountingCampaign,
  entries: readonly Entry[],
  counted: ReadonlyMap<LineListEntry, LineListEntry | null> = new Map(),
): Map<string, UnitLedger> {
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
  const n = entries.length;
  const unitIds: string[] = [];
  const unitIndex = new Map<string, number>();
  const reports: TimedEntry<AggregateEntry>[][] = [];
  const unitOf = new Int32Array(n);
  const at = new Float64Array(n);
  const late = new Uint8Array(n);
  const ticked = keys.map(() => new Uint8Array(n));
  // Rows arrive unit by unit and mostly day by day: remember the last unit and day rather than look them up.
  let unitId: string | undefined;
  let unit = -1;
  let day: string | undefined;
  let due: number | null = null;
  // An unreadable time on a duplicate is reported only if no counted entry has one (it would not be counted).
  let unreadableDuplicate: Entry | undefined;
  for (let i = 0; i < n; i++) {
    const e = entries[i]!;
    const t = enteredMs(e);
    const countedAs = e.mode === "line-list" ? counted.get(e) : undefined;
    if (Number.isNaN(t)) {
      if (countedAs !== null) throw invalidEntryTime(e);
      unreadableDuplicate ??= e;
      unitOf[i] = -1;
      continue;
    }
    if (e.unitId !== unitId) {
      unitId = e.unitId;
      let u = unitIndex.get(unitId);
      if (u === undefined) {
        u = unitIds.length;
        unitIds.push(unitId);
        unitIndex.set(unitId, u);
        reports.push([]);
      }
      unit = u;
    }
    const work = workDay(e);
    if (work !== day) {
      day = work;
      due = deadlineMs(work);
    }
    const isLate = due !== null && t >= due;
    unitOf[i] = unit;
    at[i] = t;
    late[i] = isLate ? 1 : 0;
    if (e.mode === "aggregate") reports[unit]!.push({ entry: e, at: t, late: isLate });
    else if (countedAs !== null) {
      const indicators = (countedAs ?? e).indicators;
      for (let k = 0; k < keys.length; k++) if (indicators[keys[k]!] === true) ticked[k]![i] = 1;
    }
  }
  if (unreadableDuplicate) throw invalidEntryTime(unreadableDuplicate);
  const ledgers = new Map<string, UnitLedger>();
  indexesByUnit(unitOf, unitIds.length).forEach((indexes, u) => {
    const { entered, flagged } = unitTimes(at, indexes, [late, ...ticked]);
    ledgers.set(unitIds[u]!, {
      unitId: unitIds[u]!,
      entered,
      late: flagged[0]!,
      ticked: new Map(keys.map((key, k) => [key, flagged[k + 1]!])),
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
