// Cutoffs and reporting periods. Every computation names the campaign's zone explicitly, so the result is the
// same whatever process.env.TZ or luxon's Settings.defaultZone say on the machine that runs it.
//
// Period k is the half-open interval [cutoff k-1, cutoff k) (campaign start for k = 0): the letters ask for
// reports "before 14:00", so a row stamped 14:00:00.000 already belongs to the next period.
import { DateTime } from "luxon";
import type { Campaign, Period } from "../../../schemas/index.ts";
import { DondocError } from "./errors.ts";
import { DEFAULT_ZONE } from "./format.ts";

/** The campaign fields periods depend on (the whole Campaign fits). */
export type PeriodCampaign = Pick<Campaign, "start" | "end" | "schedule"> & { timezone?: string };

export type InstantInput = Date | DateTime;

export function campaignZone(c: PeriodCampaign): string {
  return c.timezone || DEFAULT_ZONE;
}

function dateInZone(iso: string, zone: string, field: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) {
    throw new DondocError("invalid-campaign-date", `Ngày ${field} của chiến dịch không hợp lệ: ${iso}.`, {
      field,
      value: iso,
      reason: dt.invalidReason,
    });
  }
  return dt.startOf("day");
}

/** The start date at 00:00 in the campaign's zone. */
export function campaignStart(c: PeriodCampaign): DateTime {
  return dateInZone(c.start, campaignZone(c), "bắt đầu");
}

/** The day after the last day at 00:00: the campaign's exclusive end. */
export function campaignEnd(c: PeriodCampaign): DateTime {
  return dateInZone(c.end, campaignZone(c), "kết thúc").plus({ days: 1 }).startOf("day");
}

function clock(time: string): { hour: number; minute: number } {
  const [h = "0", m = "0"] = time.split(":");
  return { hour: Number(h), minute: Number(m) };
}

function scheduledCutoffs(c: PeriodCampaign, start: DateTime, end: DateTime): DateTime[] {
  const { hour, minute } = clock(c.schedule.time);
  const at = (day: DateTime) => day.set({ hour, minute, second: 0, millisecond: 0 });
  const out: DateTime[] = [];
  if (c.schedule.kind === "weekly") {
    const weekdays = new Set(c.schedule.weekdays);
    for (let day = start; day <= end; day = day.plus({ days: 1 })) {
      if (weekdays.has(day.weekday)) out.push(at(day));
    }
  } else {
    for (let month = start.startOf("month"); month <= end; month = month.plus({ months: 1 })) {
      const last = month.daysInMonth ?? 28;
      // 30 and 31 both land on the 30th of a 30-day month: one cutoff, not two.
      const days = [...new Set(c.schedule.days.map((d) => Math.min(d, last)))].sort((a, b) => a - b);
      for (const d of days) out.push(at(month.set({ day: d })));
    }
  }
  // A cutoff on the launch day itself would ask units to report before they could start (seed 001 starts on a
  // Monday with Monday cutoffs; its first report is due on Thursday), so the first period always spans it.
  const firstDay = start.plus({ days: 1 });
  return out.filter((t) => t >= firstDay && t <= end).sort((a, b) => a.toMillis() - b.toMillis());
}

// Standings look up the period of every entry; the schedule only depends on these fields, so cache by them.
const cache = new Map<string, DateTime[]>();

/**
 * Every cutoff in ascending order: the scheduled ones after the start day and at or before the end, then the
 * campaign's end itself when the schedule stops short of it (the last period runs to the end).
 */
export function cutoffs(c: PeriodCampaign): DateTime[] {
  const key = JSON.stringify([c.start, c.end, campaignZone(c), c.schedule]);
  const hit = cache.get(key);
  if (hit) return hit;
  const start = campaignStart(c);
  const end = campaignEnd(c);
  if (end <= start) {
    throw new DondocError(
      "campaign-ends-before-start",
      `Chiến dịch kết thúc (${c.end}) trước khi bắt đầu (${c.start}).`,
      { start: c.start, end: c.end },
    );
  }
  const list = scheduledCutoffs(c, start, end);
  const lastScheduled = list.at(-1);
  if (lastScheduled === undefined || lastScheduled < end) list.push(end);
  if (cache.size > 256) cache.clear();
  cache.set(key, list);
  return list;
}

function toDateTime(at: InstantInput, zone: string): DateTime {
  return at instanceof Date ? DateTime.fromJSDate(at, { zone }) : at.setZone(zone);
}

function makePeriod(c: PeriodCampaign, index: number): Period | null {
  const list = cutoffs(c);
  const end = list[index];
  if (end === undefined || index < 0 || !Number.isInteger(index)) return null;
  const start = index === 0 ? campaignStart(c) : list[index - 1]!;
  return { index, start: start.toISO()!, end: end.toISO()! };
}

/** Index of the first cutoff strictly after `ms`, or list.length. */
function firstAfter(list: DateTime[], ms: number, inclusive: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = list[mid]!.toMillis();
    if (inclusive ? t >= ms : t > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The period containing `at`; null before the campaign's start or at/after its end. */
export function periodAt(c: PeriodCampaign, at: InstantInput): Period | null {
  const ms = toDateTime(at, campaignZone(c)).toMillis();
  if (ms < campaignStart(c).toMillis() || ms >= campaignEnd(c).toMillis()) return null;
  return makePeriod(c, firstAfter(cutoffs(c), ms, false));
}

export function periodByIndex(c: PeriodCampaign, index: number): Period | null {
  return makePeriod(c, index);
}

export function periods(c: PeriodCampaign): Period[] {
  return cutoffs(c).map((_, i) => makePeriod(c, i)!);
}

/** The period to report on at `at`: the one containing it, the last one once the campaign is over, null before. */
export function currentPeriod(c: PeriodCampaign, at: InstantInput): Period | null {
  const ms = toDateTime(at, campaignZone(c)).toMillis();
  if (ms < campaignStart(c).toMillis()) return null;
  if (ms >= campaignEnd(c).toMillis()) return makePeriod(c, cutoffs(c).length - 1);
  return periodAt(c, at);
}

/** Share of the campaign's time elapsed at `at`, in [0, 1]: the expected pace toward the target. */
export function elapsedShare(c: PeriodCampaign, at: InstantInput): number {
  const start = campaignStart(c).toMillis();
  const end = campaignEnd(c).toMillis();
  const ms = toDateTime(at, campaignZone(c)).toMillis();
  return Math.min(1, Math.max(0, (ms - start) / (end - start)));
}

/**
 * The deadline ahead at `at`: the cutoff closing the period `at` falls in (strictly after `at`, since a cutoff
 * instant opens the next period). Before the campaign, its first cutoff; null once the campaign is over.
 */
export function nextCutoff(c: PeriodCampaign, at: InstantInput): DateTime | null {
  const list = cutoffs(c);
  return list[firstAfter(list, toDateTime(at, campaignZone(c)).toMillis(), false)] ?? null;
}

/**
 * The first cutoff at or after `at`; null when none is left. Lateness uses it with the end of a work day: work
 * done on day D is due by the first cutoff once D is over, and a cutoff exactly at midnight (the campaign's own
 * end) is that deadline rather than a reason to wait for the next one.
 */
export function firstCutoffAfter(c: PeriodCampaign, at: InstantInput): DateTime | null {
  const list = cutoffs(c);
  return list[firstAfter(list, toDateTime(at, campaignZone(c)).toMillis(), true)] ?? null;
}

/**
 * The last instant of a period (its end − 1 ms). Standings computed at it describe the period as it closed:
 * what a digest or a report "to 16h00 on Sunday" needs, since at the cutoff itself the next period has begun.
 */
export function closingInstant(p: Period): Date {
  return new Date(Date.parse(p.end) - 1);
}

/** The latest period closed at or before `at` (null while the first is still open). */
export function lastClosedPeriod(c: PeriodCampaign, at: InstantInput): Period | null {
  const list = cutoffs(c);
  const ms = toDateTime(at, campaignZone(c)).toMillis();
  const closed = firstAfter(list, ms, false);
  return closed === 0 ? null : makePeriod(c, closed - 1);
}

/**
 * The instant a finished campaign's standings describe. When the schedule has a cutoff on the campaign's last day
 * (seed 000: "đến 16h00 ngày 23/02/2025"; seed 001: the last Monday 14:00), that cutoff is the final deadline and the
 * standings are those just before it; otherwise the campaign's last millisecond.
 */
export function campaignFinalInstant(c: PeriodCampaign): Date {
  const list = cutoffs(c);
  const end = campaignEnd(c);
  const lastDay = end.minus({ days: 1 });
  const scheduled = list.filter((t) => t.toMillis() !== end.toMillis());
  const last = scheduled.at(-1);
  if (last?.hasSame(lastDay, "day")) return new Date(last.toMillis() - 1);
  return new Date(end.toMillis() - 1);
}
