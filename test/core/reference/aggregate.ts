// Test-only snapshot of functions/src/core/aggregate.ts as of 3aa0293, before the large-province
// speed-up: the equivalence test (test/core/standings-equivalence.test.ts) compares the live core against it.
// Counting entries per unit at an instant. A count "at T" includes what was entered at or before T; the state at
// the end of a period is therefore the count at (cutoff − 1 ms), since a row stamped at the cutoff belongs to the
// next period. Lateness depends only on the rows' own dates and stamps, so replays and offline runs agree.
import { DateTime } from "luxon";
import { DondocError } from "../../../functions/src/core/errors.ts";
import type { AggregateEntry, Entry, LineListEntry } from "../../../functions/src/core/model.ts";
import { campaignZone, firstCutoffAfter } from "../../../functions/src/core/periods.ts";
import type { Campaign, Counts } from "../../../schemas/index.ts";
import { enteredTime } from "./dedupe.ts";

export interface TimedEntry<E extends Entry = Entry> {
  entry: E;
  /** Entered time (stamp, else first seen) in epoch ms. */
  at: number;
  late: boolean;
}

/** One unit's entries, ready to count at any instant. Both lists are sorted by entered time. */
export interface UnitLedger {
  unitId: string;
  citizens: TimedEntry<LineListEntry>[];
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
  return deadline !== null && Date.parse(enteredTime(e)) >= deadline.toMillis();
}

/** Groups entries by unit with their entered times and lateness, computing each work day's deadline once. */
export function buildLedgers(c: CountingCampaign, entries: readonly Entry[]): Map<string, UnitLedger> {
  const deadlines = new Map<string, number | null>();
  const deadlineMs = (day: string) => {
    let due = deadlines.get(day);
    if (due === undefined) {
      due = deadlineFor(c, day)?.toMillis() ?? null;
      deadlines.set(day, due);
    }
    return due;
  };
  const ledgers = new Map<string, UnitLedger>();
  for (const e of entries) {
    let ledger = ledgers.get(e.unitId);
    if (!ledger) {
      ledger = { unitId: e.unitId, citizens: [], reports: [] };
      ledgers.set(e.unitId, ledger);
    }
    const at = Date.parse(enteredTime(e));
    if (Number.isNaN(at)) {
      throw new DondocError("invalid-entry-time", `Thời điểm nhập không hợp lệ ở dòng ${e.row}.`, {
        unitId: e.unitId,
        key: e.key,
      });
    }
    const due = deadlineMs(workDay(e));
    const late = due !== null && at >= due;
    if (e.mode === "line-list") ledger.citizens.push({ entry: e, at, late });
    else ledger.reports.push({ entry: e, at, late });
  }
  for (const l of ledgers.values()) {
    l.citizens.sort((a, b) => a.at - b.at);
    l.reports.sort((a, b) => a.at - b.at);
  }
  return ledgers;
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
  for (const t of ledger.citizens) {
    if (t.at > atMs) break;
    const ticked = t.entry.indicators;
    for (const key of keys) if (ticked[key] === true) out[key]! += 1;
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
  if (!ledger) return false;
  const inside = (t: TimedEntry) => t.at >= startMs && t.at <= atMs;
  return ledger.citizens.some(inside) || ledger.reports.some(inside);
}

/** Late entries entered at or before `atMs`. */
export function lateCount(ledger: UnitLedger | undefined, atMs: number): number {
  if (!ledger) return 0;
  const late = (t: TimedEntry) => t.late && t.at <= atMs;
  return ledger.citizens.filter(late).length + ledger.reports.filter(late).length;
}
