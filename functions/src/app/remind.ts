// The reminder step: what is due now (core/reminders.ts), written as mail (core/mail-content.ts), sent once.
//
// Exactly-once, as far as mail allows. For each message: claim its ledger record (create-if-absent, pending) BEFORE
// sending, send, then mark it sent. So:
// - a retry or a second run after a send finds the record sent and skips it: never twice in normal operation;
// - a run that dies after the claim leaves a pending record. A pending record younger than the lease (default
//   5 minutes, measured on the step's clock) is presumed in flight in a concurrent run and skipped; an older one
//   is presumed abandoned and sent again with the SAME Message-ID: never skipped.
// The window that remains is a crash after the server accepted the message and before the mark: that message goes
// twice, with one Message-ID (the outbox rewrites the same file; mail clients and Gmail fold the copies). No
// mail protocol closes it; at-least-once with a stable identity is the honest guarantee.
//
// A message with more recipients than the mailer allows goes as several, each with its own ledger record
// (<id>~part1, …) and Message-ID; the message's own record is marked sent once every part is. Parts are cut from the
// sorted recipient list, so a rerun after a crash cuts the same parts unless the recipients themselves changed.
import { DateTime } from "luxon";
import type { Campaign, Period, Standings, Unit } from "../../../schemas/index.ts";
import { DondocError } from "../core/errors.ts";
import { digestMail, reminderMail } from "../core/mail-content.ts";
import type { LedgerRecord, UnitSyncState } from "../core/model.ts";
import { campaignZone, closingInstant, periodByIndex } from "../core/periods.ts";
import type { Clock, Mailer, MailMessage, Store } from "../core/ports.ts";
import {
  DEFAULT_MESSAGE_ID_DOMAIN,
  messageIdFor,
  type Planned,
  partLedgerId,
  planReminders,
  type ReminderPlan,
} from "../core/reminders.ts";
import { computeStandings } from "../core/standings.ts";
import { loadStandingsEntries, type StandingsEntries } from "./standings-entries.ts";

export const DEFAULT_LEASE_MS = 5 * 60_000;

export type ReminderOutcome =
  /** Claimed now and handed to the mailer. */
  | "sent"
  /** An abandoned claim (older than the lease) sent again with its Message-ID. */
  | "resent"
  /** Another run marked it sent after this run read the ledger. */
  | "already-sent"
  /** Claimed by a concurrent run within the lease: left to it. */
  | "in-flight"
  /** Beyond the daily cap: not claimed, goes in a later run if still due. */
  | "deferred"
  /** Some parts went, the others are deferred or in flight; the message's record stays pending. */
  | "partial"
  /** The mailer threw; the claim stays pending and is retried once the lease has passed. */
  | "failed";

export interface ReminderDetail {
  ledgerId: string;
  kind: Planned["kind"];
  periodIndex: number;
  unitId: string | null;
  to: string[];
  outcome: ReminderOutcome;
  /** Message-IDs actually handed to the mailer in this run. */
  messageIds: string[];
  error?: { code: string; message: string };
}

export interface ReminderStepResult {
  /** The instant the step ran for, ISO. */
  at: string;
  /** Mail messages handed to the mailer (each part of a split message counts). */
  sent: number;
  /** Due messages held back by the daily cap. */
  deferred: number;
  /** Due messages already sent, or in flight in a concurrent run. */
  skipped: number;
  failed: number;
  /** Units that needed a reminder and have no e-mail address. */
  unreachable: string[];
  details: ReminderDetail[];
  plan: ReminderPlan;
}

export interface ReminderStepDeps {
  store: Store;
  mailer: Mailer;
  campaign: Campaign;
  units: Unit[];
  /** Standings as of `now` (the period `now` falls in). */
  standings: Standings;
  unitStates: UnitSyncState[];
  /** The instant to run for; else clock.now(); else the machine's time. */
  now?: Date;
  clock?: Clock;
  /**
   * Standings of a closed period as they stood at its closing instant, for the digest (that period and the one
   * before it). Default: computed from the store's entries with computeStandings at closingInstant(period).
   */
  standingsForPeriod?: (period: Period) => Promise<Standings> | Standings;
  /** Messages a day; default the mailer's own `dailyCap` when it has one (adapters/mail/config.ts), else none. */
  dailyCap?: number | null;
  leaseMs?: number;
  messageIdDomain?: string;
  log?: (detail: ReminderDetail) => void;
}

/** Standings at any instant from what the store holds, loading entries once. */
export function standingsFromStore(
  store: Store,
  campaign: Campaign,
  units: Unit[],
  unitStates: UnitSyncState[],
): (at: Date) => Promise<Standings> {
  let loaded: Promise<StandingsEntries> | null = null;
  return async (asOf) => {
    // The reminders only read: snapshots found stale are rebuilt for this run, and saved by the next sync.
    loaded ??= loadStandingsEntries(store, campaign.id, { save: false });
    const { entries, lineList } = await loaded;
    return computeStandings({
      campaign,
      units,
      entries,
      lineList,
      unitStates,
      issues: unitStates.flatMap((s) => s.issues),
      asOf,
    }).standings;
  };
}

function dayOf(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toISODate() ?? "";
}

/** Mail messages sent on `day` per the ledger: every sent record except split messages' own (their parts count). */
export function sentOnDay(ledger: readonly LedgerRecord[], day: string, zone: string): number {
  const ids = ledger.map((r) => r.id);
  const hasParts = (id: string) => ids.some((other) => other.startsWith(`${id}~part`));
  return ledger.filter(
    (r) => r.state === "sent" && r.sentAt && dayOf(r.sentAt, zone) === day && !hasParts(r.id),
  ).length;
}

/** The message as the mailer may carry it: itself, or parts of at most `max` recipients each. */
export function splitByRecipients(
  message: MailMessage,
  max: number,
  ledgerId: string,
  campaignId: string,
  domain: string,
): { ledgerId: string; message: MailMessage }[] {
  const recipients = [...message.to, ...(message.cc ?? [])];
  if (recipients.length <= max) return [{ ledgerId, message }];
  if (max < 1) throw new DondocError("mail-max-recipients", "Giới hạn người nhận mỗi thư phải từ 1 trở lên.");
  const parts: { ledgerId: string; message: MailMessage }[] = [];
  for (let i = 0; i * max < recipients.length; i++) {
    const id = partLedgerId(ledgerId, i + 1);
    parts.push({
      ledgerId: id,
      message: {
        ...message,
        to: recipients.slice(i * max, (i + 1) * max),
        cc: undefined,
        messageId: messageIdFor(id, campaignId, domain),
      },
    });
  }
  return parts;
}

function errorInfo(err: unknown): { code: string; message: string } {
  if (err instanceof DondocError) return { code: err.code, message: err.message };
  const e = err as { code?: unknown; message?: unknown };
  return {
    code: typeof e?.code === "string" ? e.code : "mail-send-failed",
    message: typeof e?.message === "string" ? e.message : String(err),
  };
}

type Claim = "fresh" | "stale" | "sent" | "in-flight";

export async function runReminderStep(deps: ReminderStepDeps): Promise<ReminderStepResult> {
  const { store, mailer, campaign: c } = deps;
  const now = deps.now ?? deps.clock?.now() ?? new Date();
  const zone = campaignZone(c);
  const nowIso = DateTime.fromJSDate(now, { zone }).toISO()!;
  const today = dayOf(nowIso, zone);
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  // A ConfiguredMailer (adapters/mail/config.ts) carries its deployment's cap and Message-ID domain; the Mailer
  // port does not, so a bare adapter falls back to no cap and the default domain.
  const capped = mailer as Partial<{ dailyCap: number | null; messageIdDomain: string }>;
  const cap = deps.dailyCap !== undefined ? deps.dailyCap : (capped.dailyCap ?? null);
  const domain = deps.messageIdDomain ?? capped.messageIdDomain ?? DEFAULT_MESSAGE_ID_DOMAIN;
  const units = new Map(deps.units.map((u) => [u.id, u]));
  const forPeriod =
    deps.standingsForPeriod ??
    (() => {
      const at = standingsFromStore(store, c, deps.units, deps.unitStates);
      return (p: Period) => at(closingInstant(p));
    })();

  const ledger = await store.loadLedger(c.id);
  const known = new Map(ledger.map((r) => [r.id, r]));
  const plan = planReminders({
    campaign: c,
    units: deps.units,
    standings: deps.standings,
    unitStates: deps.unitStates,
    now,
    ledger,
    messageIdDomain: domain,
  });
  let usedToday = sentOnDay(ledger, today, zone);
  const result: ReminderStepResult = {
    at: nowIso,
    sent: 0,
    deferred: 0,
    skipped: 0,
    failed: 0,
    unreachable: plan.unreachable.map((u) => u.unitId),
    details: [],
    plan,
  };

  const claim = async (planned: Planned, id: string, messageId: string): Promise<Claim> => {
    const record: LedgerRecord = {
      id,
      campaignId: c.id,
      kind: planned.kind,
      periodIndex: planned.periodIndex,
      unitId: planned.kind === "reminder" ? planned.unitId : null,
      state: "pending",
      messageId,
      createdAt: nowIso,
      sentAt: null,
    };
    const got = await store.claimLedger(record);
    if (got.created) return "fresh";
    if (got.record.state === "sent") return "sent";
    return now.getTime() - Date.parse(got.record.createdAt) >= leaseMs ? "stale" : "in-flight";
  };

  const compose = async (planned: Planned): Promise<MailMessage> => {
    if (planned.kind === "reminder") {
      const unit = units.get(planned.unitId);
      if (!unit) throw new DondocError("reminder-unit-missing", `Không có đơn vị ${planned.unitId}.`);
      return reminderMail({ campaign: c, unit, standings: deps.standings, planned });
    }
    const period = periodByIndex(c, planned.periodIndex)!;
    const previousPeriod = planned.periodIndex > 0 ? periodByIndex(c, planned.periodIndex - 1) : null;
    const closed = await forPeriod(period);
    const previous = previousPeriod ? await forPeriod(previousPeriod) : null;
    return digestMail({ campaign: c, units: deps.units, planned, closed, previous });
  };

  for (const planned of plan.due) {
    const detail: ReminderDetail = {
      ledgerId: planned.ledgerId,
      kind: planned.kind,
      periodIndex: planned.periodIndex,
      unitId: planned.kind === "reminder" ? planned.unitId : null,
      to: planned.to,
      outcome: "sent",
      messageIds: [],
    };
    const finish = (outcome: ReminderOutcome) => {
      detail.outcome = outcome;
      if (outcome === "deferred") result.deferred += 1;
      else if (outcome === "already-sent" || outcome === "in-flight") result.skipped += 1;
      else if (outcome === "failed") result.failed += 1;
      result.details.push(detail);
      deps.log?.(detail);
    };

    const message = await compose(planned);
    const parts = splitByRecipients(message, mailer.maxRecipientsPerMessage, planned.ledgerId, c.id, domain);
    // A message not yet started goes whole or not at all today: half a digest is worse than a late one.
    if (!known.has(planned.ledgerId) && cap !== null && usedToday + parts.length > cap) {
      finish("deferred");
      continue;
    }
    const parent = await claim(planned, planned.ledgerId, planned.messageId);
    if (parent === "sent") {
      finish("already-sent");
      continue;
    }
    if (parent === "in-flight") {
      finish("in-flight");
      continue;
    }

    let complete = true;
    let failed = false;
    let deferred = false;
    for (const part of parts) {
      const state =
        part.ledgerId === planned.ledgerId
          ? parent
          : await claim(planned, part.ledgerId, part.message.messageId);
      if (state === "sent") continue;
      if (state === "in-flight") {
        complete = false;
        continue;
      }
      if (cap !== null && usedToday >= cap) {
        complete = false;
        deferred = true;
        continue;
      }
      try {
        await mailer.send(part.message);
      } catch (err) {
        complete = false;
        failed = true;
        detail.error = errorInfo(err);
        continue;
      }
      usedToday += 1;
      result.sent += 1;
      detail.messageIds.push(part.message.messageId);
      if (part.ledgerId !== planned.ledgerId) await store.markLedgerSent(c.id, part.ledgerId, nowIso);
    }
    if (complete) {
      await store.markLedgerSent(c.id, planned.ledgerId, nowIso);
      finish(parent === "stale" ? "resent" : "sent");
    } else if (failed) finish("failed");
    else if (detail.messageIds.length > 0) finish("partial");
    else finish(deferred ? "deferred" : "in-flight");
  }
  return result;
}

export interface RemindAtDeps {
  store: Store;
  mailer: Mailer;
  campaign: Campaign;
  units: Unit[];
  now: Date;
  /** Standings at `now` when the caller already has them (the sync cycle just computed them). */
  standings?: Standings;
  dailyCap?: number | null;
  leaseMs?: number;
  messageIdDomain?: string;
  log?: (detail: ReminderDetail) => void;
}

/**
 * One call for `dondoc remind`, `dondoc run --now T` and a replay of a timeline: reads the unit states and entries
 * from the store, computes whatever standings are missing at `now` and at the closing instants the digest needs,
 * and runs the step. A replay runs the sync and then this at each instant of reminderInstants(campaign) (or any
 * finer grid): every reminder and digest goes once, when due.
 */
export async function remindAt(deps: RemindAtDeps): Promise<ReminderStepResult> {
  const unitStates = await deps.store.loadUnitStates(deps.campaign.id);
  const at = standingsFromStore(deps.store, deps.campaign, deps.units, unitStates);
  return runReminderStep({
    ...deps,
    unitStates,
    standings: deps.standings ?? (await at(deps.now)),
    standingsForPeriod: (p) => at(closingInstant(p)),
  });
}
