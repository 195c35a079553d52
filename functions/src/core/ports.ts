// Ports the core and the app layer own. Adapters (named after their technology) implement them;
// wiring happens once at each edge (CLI, Cloud Function), by plain parameters.
import type { Campaign, RowIssue, Standings, Unit } from "../../../schemas/index.ts";
import type { AuditRecord, Entry, EntryChanges, LedgerRecord, RawSheet, UnitSyncState } from "./model.ts";
import type { SummaryTabs } from "./summary.ts";

/**
 * Keyed hash (hex) of a 12-digit citizen id, with the deployment's secret. `many`, where the adapter has it,
 * hashes a batch at once and faster: out[i] = hash of ids[i]. `manyText` does the same and answers the hashes
 * concatenated in order, 64 hex digits each (no string per id). `manyValuesText` is manyText for twelve-digit
 * ids given as their values: values[i] stands for the id `String(values[i]).padStart(12, "0")`.
 */
export interface IdHasher {
  (citizenId: string): string;
  many?: (ids: readonly string[], out: string[]) => void;
  manyText?: (ids: readonly string[]) => string;
  manyValuesText?: (values: Float64Array) => string;
}

export interface Clock {
  now(): Date;
}

/** Reads units' input sheets (Google Sheets, .xlsx files). */
export interface SheetSource {
  /**
   * Units whose sheet changed since the given times (unit id → last seen modifiedTime, null if never);
   * adapters that cannot tell cheaply return every unit.
   */
  changedUnits(units: Unit[], lastModified: ReadonlyMap<string, string | null>): Promise<Unit[]>;
  read(unit: Unit): Promise<RawSheet>;
}

/** Writes notes and red fills on bad cells of a unit's own sheet (and clears fixed ones). */
export interface UnitAnnotator {
  annotate(unit: Unit, sheet: RawSheet, issues: RowIssue[], previous: RowIssue[]): Promise<void>;
}

/** Publishes the leaders' summary (tabs as an .xlsx or a spreadsheet, standings.json, the drafted report). */
export interface SummaryPublisher {
  publish(tabs: SummaryTabs, standings: Standings, report: string): Promise<void>;
}

export interface UnitWrite {
  changes: EntryChanges;
  audit: AuditRecord[];
  /** The unit's entries once these changes are made, packed (core/unit-snapshot.ts): saved after them. */
  snapshot?: Uint8Array;
}

/** Campaign state. Every write is keyed so that a retry is a no-op; methods return documents written. */
export interface Store {
  loadUnitEntries(campaignId: string, unitId: string): Promise<Entry[]>;
  loadCampaignEntries(campaignId: string): Promise<Entry[]>;
  /**
   * Applies one unit's entry changes and their audit records (batched commits of ≤ 500 writes). The unit's
   * snapshot never outlives the entries it was made from: `write.snapshot` goes in the same commit as a change
   * that takes one; otherwise the first commit that changes anything marks the stored snapshot stale (creating
   * the mark when the unit has none), and `write.snapshot`, when given, is saved after the last.
   */
  applyUnitChanges(campaignId: string, write: UnitWrite): Promise<number>;
  /**
   * Every unit's snapshot (core/unit-snapshot.ts) by unit id; null for a stale one: the unit's entries changed
   * after it was saved. A unit whose entries were written before snapshots existed has none.
   */
  loadUnitSnapshots(campaignId: string): Promise<Map<string, Uint8Array | null>>;
  /** Saves a unit's snapshot, unless the stored one is the same and not stale. */
  saveUnitSnapshot(campaignId: string, unitId: string, snapshot: Uint8Array): Promise<number>;
  loadAudit(campaignId: string, unitId: string): Promise<AuditRecord[]>;

  loadUnitStates(campaignId: string): Promise<UnitSyncState[]>;
  /** One unit's state (a push touches one unit; reading every unit's state per push would not scale). */
  loadUnitState(campaignId: string, unitId: string): Promise<UnitSyncState | null>;
  /** Writes the state only if it differs from what is stored. */
  saveUnitState(campaignId: string, state: UnitSyncState): Promise<number>;

  loadStandings(campaignId: string): Promise<Standings | null>;
  /** Writes only if different from the stored standings (ignoring asOf). */
  saveStandings(campaignId: string, standings: Standings): Promise<number>;

  /** Small keyed documents adapters need between runs (publisher state, provisioned spreadsheet ids). */
  loadMeta<T>(campaignId: string, key: string): Promise<T | null>;
  /** Writes only if different; returns documents written. */
  saveMeta(campaignId: string, key: string, value: unknown): Promise<number>;

  /**
   * Records `key` once (e.g. a push's request id) and says whether this call was the first. Atomic: of two
   * concurrent calls with the same key exactly one gets true. Used to refuse replayed requests.
   */
  claimOnce(campaignId: string, key: string, at: string): Promise<boolean>;

  /**
   * Reminder ledger. `claim` creates the record as pending in a transaction and returns it; if it already
   * exists it is returned unchanged (state pending or sent) so the caller can decide.
   */
  claimLedger(record: LedgerRecord): Promise<{ record: LedgerRecord; created: boolean }>;
  markLedgerSent(campaignId: string, id: string, sentAt: string): Promise<void>;
  loadLedger(campaignId: string): Promise<LedgerRecord[]>;
}

export interface MailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** Deterministic RFC 5322 Message-ID (with angle brackets), so a resend is recognisably the same message. */
  messageId: string;
  /** From display name; the address comes from the mailer's configuration. */
  fromName?: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  /** Largest number of recipients (to + cc) one message may carry (Gmail: 100). */
  readonly maxRecipientsPerMessage: number;
  send(message: MailMessage): Promise<SendResult>;
}

export type { Campaign, Unit };
