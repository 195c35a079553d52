// Who gets which reminder when, and when the leaders' digest goes: a pure function of the calendar, the standings
// and the ledger. The app step turns its answer into mail and records each send in the ledger.
//
// Scheduling, per cutoff k (period k is [cutoff k-1, cutoff k)):
// - one slot per offset in campaign.reminders.offsetsHours at cutoff − offset;
// - a slot inside quiet hours moves to the quiet hours' end; when that end is at or after the cutoff, it moves to
//   the last minute before the quiet hours began (the latest moment before the cutoff outside quiet hours);
// - a slot earlier than the period's own start is dropped: before it, units are still reporting on the previous
//   period, so a reminder about the next deadline would contradict the one they are acting on;
// - two slots landing on the same instant are one slot (the smaller offset names it);
// - the campaign's closing instant that periods.ts appends when the schedule stops short of the end (seed 001:
//   19/08 00:00 after the last Monday 14:00) is not a reporting deadline the letters set, so it has no reminders;
//   it does close a period, so a final digest follows it.
//
// "Due at T": among a cutoff's slots at or before T (and the cutoff still after T) only the latest goes. Earlier
// ones are covered by it and never go later, so one run never sends two reminders for one deadline. The ledger
// key names the slot by its offset (reminder~p3~cho-don-thon-1~2h): the 24 h reminder and the 2 h reminder are
// different sends, each at most once, and a late run that finds both due records only the 2 h one.
import type { DateTime } from "luxon";
import type { Campaign, Standings, Unit } from "../../../schemas/index.ts";
import { DondocError } from "./errors.ts";
import { formatDeadline } from "./format.ts";
import type { LedgerRecord, UnitSyncState } from "./model.ts";
import { campaignStart, campaignZone, cutoffs } from "./periods.ts";

export const DEFAULT_MESSAGE_ID_DOMAIN = "dondoc.local";

export interface ReminderSlot {
  /** The offset that names the slot (hours before the cutoff). */
  offsetHours: number;
  /** cutoff − offset, before any quiet-hours move. */
  nominal: DateTime;
  /** When it goes. */
  at: DateTime;
  moved: "none" | "quiet-end" | "before-quiet";
}

interface PlannedBase {
  /** Ledger document id: one send per id, ever. */
  ledgerId: string;
  /** Deterministic RFC 5322 Message-ID with angle brackets. */
  messageId: string;
  periodIndex: number;
  /** The cutoff concerned, ISO with the campaign's offset. */
  cutoff: string;
  /** When it became due, ISO. */
  scheduledAt: string;
  /** Deduplicated (case-insensitively), sorted addresses. */
  to: string[];
  /** The ledger holds a pending claim for it (a crash or a concurrent run between claim and send). */
  pending: boolean;
}

export interface PlannedReminder extends PlannedBase {
  kind: "reminder";
  unitId: string;
  offsetHours: number;
  /** Why the unit is reminded: no report in the period, and/or errors still in its sheet. */
  notReported: boolean;
  errors: number;
}

export interface PlannedDigest extends PlannedBase {
  kind: "digest";
  /** The cutoff is the campaign's end rather than a scheduled deadline: the digest is the final one. */
  final: boolean;
}

export type Planned = PlannedReminder | PlannedDigest;

export interface UnreachableUnit {
  unitId: string;
  name: string;
  periodIndex: number;
  notReported: boolean;
  errors: number;
}

export interface NotPlanned {
  ledgerId: string;
  kind: "reminder" | "digest";
  reason: "already-sent" | "no-leaders";
}

export interface ReminderPlan {
  /** Messages to send now, reminders first (their deadline is ahead), then the digest. */
  due: Planned[];
  /** Units that needed a reminder at a due slot but have no e-mail address. */
  unreachable: UnreachableUnit[];
  /** Due by the calendar but not to be sent. */
  notPlanned: NotPlanned[];
  /** Earlier slots of the current cutoff that the latest due slot covers (they will never go). */
  covered: { periodIndex: number; offsetHours: number; at: string }[];
}

export interface ReminderInput {
  campaign: Campaign;
  units: Unit[];
  /** Standings as of `now`; they must describe the period `now` falls in when a reminder is due. */
  standings: Standings;
  unitStates: UnitSyncState[];
  now: Date;
  ledger: LedgerRecord[];
  /** Right-hand side of Message-IDs; default dondoc.local. */
  messageIdDomain?: string;
}

function minutesOf(clock: string): number {
  const [h = "0", m = "0"] = clock.split(":");
  return Number(h) * 60 + Number(m);
}

function atMinutes(day: DateTime, minutes: number): DateTime {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 });
}

/**
 * The quiet window containing `t` as [start, end), or null when `t` is outside quiet hours. Quiet hours may wrap
 * midnight (21:00–07:00) or not (12:00–13:30); equal start and end mean there are none.
 */
export function quietWindowAt(
  t: DateTime,
  quiet: { start: string; end: string },
): { start: DateTime; end: DateTime } | null {
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return null;
  const day = t.startOf("day");
  if (s < e) {
    const start = atMinutes(day, s);
    const end = atMinutes(day, e);
    return t >= start && t < end ? { start, end } : null;
  }
  const eveningStart = atMinutes(day, s);
  if (t >= eveningStart) return { start: eveningStart, end: atMinutes(day.plus({ days: 1 }), e) };
  const morningEnd = atMinutes(day, e);
  if (t < morningEnd) return { start: atMinutes(day.minus({ days: 1 }), s), end: morningEnd };
  return null;
}

/** Whether a cutoff is one the schedule sets, as opposed to the campaign's end closing the last period. */
export function isScheduledCutoff(c: Campaign, cutoff: DateTime): boolean {
  const sched = c.schedule;
  if (cutoff.toFormat("HH:mm") !== sched.time) return false;
  if (sched.kind === "weekly") return sched.weekdays.includes(cutoff.weekday);
  const last = cutoff.daysInMonth ?? 28;
  return sched.days.some((d) => Math.min(d, last) === cutoff.day);
}

function cutoffList(c: Campaign): DateTime[] {
  const zone = campaignZone(c);
  return cutoffs(c).map((t) => t.setZone(zone));
}

function periodStartOf(c: Campaign, list: DateTime[], k: number): DateTime {
  return k === 0 ? campaignStart(c) : list[k - 1]!;
}

/** The reminder slots of cutoff k, ascending; empty for the campaign's closing instant and unknown k. */
export function reminderSlots(c: Campaign, k: number): ReminderSlot[] {
  const list = cutoffList(c);
  const cutoff = list[k];
  if (cutoff === undefined || !isScheduledCutoff(c, cutoff)) return [];
  const periodStart = periodStartOf(c, list, k);
  const byInstant = new Map<number, ReminderSlot>();
  const offsets = [...new Set(c.reminders.offsetsHours)].sort((a, b) => a - b);
  for (const offsetHours of offsets) {
    const nominal = cutoff.minus({ milliseconds: Math.round(offsetHours * 3_600_000) });
    const slot = placeOutsideQuiet(nominal, cutoff, c.reminders.quietHours);
    if (slot === null || slot.at < periodStart) continue;
    const key = slot.at.toMillis();
    // Offsets ascend, so the first to claim an instant is the smallest: the one the unit would expect last.
    if (!byInstant.has(key)) byInstant.set(key, { offsetHours, nominal, ...slot });
  }
  return [...byInstant.values()].sort((a, b) => a.at.toMillis() - b.at.toMillis());
}

function placeOutsideQuiet(
  nominal: DateTime,
  cutoff: DateTime,
  quiet: { start: string; end: string },
): Pick<ReminderSlot, "at" | "moved"> | null {
  const window = quietWindowAt(nominal, quiet);
  if (window === null) return { at: nominal, moved: "none" };
  if (window.end < cutoff) return { at: window.end, moved: "quiet-end" };
  // The cutoff itself lies in (or right at the end of) these quiet hours: the last minute before they began is
  // the latest moment before the cutoff that is not quiet.
  const before = window.start.minus({ minutes: 1 });
  return before < cutoff ? { at: before, moved: "before-quiet" } : null;
}

/** When the digest after cutoff k goes: cutoff + delay, moved out of quiet hours unless that passes the next cutoff. */
export function digestTime(c: Campaign, k: number): DateTime | null {
  const list = cutoffList(c);
  const cutoff = list[k];
  if (cutoff === undefined) return null;
  const at = cutoff.plus({ milliseconds: Math.round(c.reminders.digestDelayHours * 3_600_000) });
  const window = quietWindowAt(at, c.reminders.quietHours);
  const next = list[k + 1];
  if (window !== null && (next === undefined || window.end < next)) return window.end;
  return at;
}

/**
 * Every instant at which something becomes due over the campaign, ascending: each reminder slot and each digest
 * time. Running the step at exactly these instants (a replay of the timeline) sends every message once, on time.
 */
export function reminderInstants(c: Campaign): DateTime[] {
  const list = cutoffList(c);
  const all = new Map<number, DateTime>();
  list.forEach((_, k) => {
    for (const s of reminderSlots(c, k)) all.set(s.at.toMillis(), s.at);
    const d = digestTime(c, k);
    if (d) all.set(d.toMillis(), d);
  });
  return [...all.values()].sort((a, b) => a.toMillis() - b.toMillis());
}

function offsetLabel(hours: number): string {
  // Ledger ids are storage keys: "2h", "1.5h", never "1,5h" or exponent forms.
  return `${Number(hours.toFixed(4))}h`;
}

export function reminderLedgerId(periodIndex: number, unitId: string, offsetHours: number): string {
  return `reminder~p${periodIndex}~${unitId}~${offsetLabel(offsetHours)}`;
}

export function digestLedgerId(periodIndex: number): string {
  return `digest~p${periodIndex}`;
}

/** Ledger id of one part of a message split by recipient count (parts are numbered from 1). */
export function partLedgerId(ledgerId: string, part: number): string {
  return `${ledgerId}~part${part}`;
}

/** `<ledgerId.campaignId@domain>`: the same send always carries the same Message-ID, so clients dedupe resends. */
export function messageIdFor(
  ledgerId: string,
  campaignId: string,
  domain = DEFAULT_MESSAGE_ID_DOMAIN,
): string {
  return `<${ledgerId}.${campaignId}@${domain}>`;
}

export function normaliseRecipients(addresses: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const a of addresses) {
    const t = a.trim();
    if (t !== "" && !seen.has(t.toLowerCase())) seen.set(t.toLowerCase(), t);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The whole plan at `now`: what to send, who cannot be reached, what the calendar made due but is not sent. */
export function planReminders(input: ReminderInput): ReminderPlan {
  const { campaign: c, now } = input;
  const zone = campaignZone(c);
  const domain = input.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;
  const list = cutoffList(c);
  const nowMs = now.getTime();
  const ledger = new Map(input.ledger.map((r) => [r.id, r]));
  const plan: ReminderPlan = { due: [], unreachable: [], notPlanned: [], covered: [] };

  const k = list.findIndex((t) => t.toMillis() > nowMs);
  if (k >= 0) {
    const slots = reminderSlots(c, k).filter((s) => s.at.toMillis() <= nowMs);
    const latest = slots.at(-1);
    for (const s of slots.slice(0, -1)) {
      plan.covered.push({ periodIndex: k, offsetHours: s.offsetHours, at: s.at.toISO()! });
    }
    if (latest) planUnitReminders(input, plan, k, list[k]!, latest, ledger, domain);
  }

  // Only the latest closed cutoff can have its digest due: the rule stops each digest at the next cutoff.
  const closed = k === -1 ? list.length - 1 : k - 1;
  if (closed >= 0) {
    const at = digestTime(c, closed)!;
    const next = list[closed + 1];
    if (at.toMillis() <= nowMs && (next === undefined || nowMs < next.toMillis())) {
      const ledgerId = digestLedgerId(closed);
      const record = ledger.get(ledgerId);
      const to = normaliseRecipients(c.leaders.map((l) => l.email));
      if (record?.state === "sent")
        plan.notPlanned.push({ ledgerId, kind: "digest", reason: "already-sent" });
      else if (to.length === 0) plan.notPlanned.push({ ledgerId, kind: "digest", reason: "no-leaders" });
      else {
        const cutoff = list[closed]!;
        plan.due.push({
          kind: "digest",
          ledgerId,
          messageId: messageIdFor(ledgerId, c.id, domain),
          periodIndex: closed,
          cutoff: cutoff.setZone(zone).toISO()!,
          scheduledAt: at.toISO()!,
          to,
          pending: record?.state === "pending",
          final: next === undefined && !isScheduledCutoff(c, cutoff),
        });
      }
    }
  }
  return plan;
}

function planUnitReminders(
  input: ReminderInput,
  plan: ReminderPlan,
  k: number,
  cutoff: DateTime,
  slot: ReminderSlot,
  ledger: Map<string, LedgerRecord>,
  domain: string,
): void {
  const { campaign: c, standings } = input;
  if (standings.period.index !== k) {
    // Reminding from another period's figures would tell a unit that reported it had not (or the reverse).
    throw new DondocError(
      "reminder-standings-stale",
      `Số liệu xếp hạng (kỳ ${standings.period.index + 1}, tính đến ${standings.asOf}) không thuộc kỳ báo cáo có hạn ${formatDeadline(cutoff, campaignZone(c))}; cần tính lại trước khi gửi nhắc nhở.`,
      { standingsPeriod: standings.period.index, period: k, asOf: standings.asOf },
    );
  }
  const units = new Map(input.units.map((u) => [u.id, u]));
  const confirmed = new Map(input.unitStates.map((s) => [s.unitId, new Set(s.confirmedPeriods)]));
  for (const st of standings.units) {
    // A confirmation stored after these standings were computed still counts: it is the unit's explicit answer.
    const notReported = !st.reported && !(confirmed.get(st.id)?.has(k) ?? false);
    if (!notReported && st.errors === 0) continue;
    const to = normaliseRecipients(units.get(st.id)?.emails ?? []);
    if (to.length === 0) {
      plan.unreachable.push({ unitId: st.id, name: st.name, periodIndex: k, notReported, errors: st.errors });
      continue;
    }
    const ledgerId = reminderLedgerId(k, st.id, slot.offsetHours);
    const record = ledger.get(ledgerId);
    if (record?.state === "sent") {
      plan.notPlanned.push({ ledgerId, kind: "reminder", reason: "already-sent" });
      continue;
    }
    plan.due.push({
      kind: "reminder",
      ledgerId,
      messageId: messageIdFor(ledgerId, c.id, domain),
      periodIndex: k,
      cutoff: cutoff.toISO()!,
      scheduledAt: slot.at.toISO()!,
      to,
      pending: record?.state === "pending",
      unitId: st.id,
      offsetHours: slot.offsetHours,
      notReported,
      errors: st.errors,
    });
  }
}

/** The messages due at `now` (see planReminders for the unreachable units and what was not planned). */
export function dueMessages(input: ReminderInput): Planned[] {
  return planReminders(input).due;
}
