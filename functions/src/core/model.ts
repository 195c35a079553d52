// Plain data shapes the core works on. Storage adapters persist these as they are.
import type { CellValue, Counts, RowIssue } from "../../../schemas/index.ts";

/** A unit's input tab as read by any adapter: header row plus data rows, cells unformatted. */
export interface RawSheet {
  unitId: string;
  /** Where it came from, for messages and logs ("sheets/cho-don-thon-1.xlsx", a spreadsheet id). */
  source: string;
  /** Cells of the header row (sheet row 1). */
  header: CellValue[];
  /**
   * Data rows in sheet order; rows[i] is sheet row i + 2. Trailing empty rows may be omitted, and a row may stop
   * before the header's last column (as the Sheets API sends it): a missing cell reads as empty (null).
   */
  rows: CellValue[][];
  /** Last modification time of the file or spreadsheet, ISO; used to skip unchanged sheets. */
  modifiedTime?: string;
}

interface EntryBase {
  /** Natural key, unique within a campaign: unit + citizen-id hash, or unit + report date. */
  key: string;
  unitId: string;
  /** 1-based sheet row the entry was last read from (for pointing at cells). */
  row: number;
  /** When the row was entered (sheet stamp), ISO; null when the sheet has no stamp for it. */
  enteredAt: string | null;
  /** When the server first saw this entry, ISO. Kept across re-syncs. */
  firstSeenAt: string;
}

/** One citizen helped. Holds no clear citizen id, phone or name: a keyed hash and a masked id only. */
export interface LineListEntry extends EntryBase {
  mode: "line-list";
  /** HMAC-SHA256 of the 12-digit citizen id with the deployment's secret, hex. */
  idHash: string;
  /** e.g. "001*******89": enough for a person to recognise, useless to anyone else. */
  idMasked: string;
  /** Day the citizen was helped, YYYY-MM-DD. */
  date: string;
  supporter: string;
  residence: string;
  indicators: Record<string, boolean>;
  provider: string | null;
}

/** One report of cumulative counts. */
export interface AggregateEntry extends EntryBase {
  mode: "aggregate";
  reportDate: string;
  counts: Counts;
  reporter: string;
  note: string;
}

export type Entry = LineListEntry | AggregateEntry;

/** The result of reading one unit's sheet: what it contributes and what is wrong with it. */
export interface ParsedSheet {
  unitId: string;
  entries: Entry[];
  issues: RowIssue[];
  /** Rows with any content (valid or not), for "most rows deleted" checks. */
  filledRows: number;
  /** Replay only: rows whose stamp is after the replay's "now", skipped as not yet entered. */
  notYetEntered?: number;
}

/** What a sync changes for one unit, computed by diffing stored entries with the sheet. */
export interface EntryChanges {
  unitId: string;
  upserts: Entry[];
  /** Keys of stored entries no longer in the sheet. */
  deletes: string[];
  unchanged: number;
}

/** One change to one entry, kept forever (audit trail and restore). */
export interface AuditRecord {
  /** Deterministic: entry key + change time + content hash, so a retried write is a no-op. */
  id: string;
  campaignId: string;
  unitId: string;
  entryKey: string;
  action: "create" | "update" | "delete";
  at: string;
  /** Entry after the change (null for delete). */
  after: Entry | null;
  /** Entry before the change (null for create). */
  before: Entry | null;
  reason: string;
}

/** Per-unit state the sync keeps between runs. */
export interface UnitSyncState {
  unitId: string;
  /** modifiedTime of the sheet at the last successful read. */
  lastModified: string | null;
  lastSyncAt: string | null;
  /** Issues of the last read, so unchanged sheets keep showing them and annotations are only rewritten on change. */
  issues: RowIssue[];
  /** Set when a sync was held (e.g. most rows deleted at once) or failed; cleared by a good sync. */
  problem: { code: string; message: string; at: string } | null;
  /** Explicit "reported, nothing new" confirmations, by period index. */
  confirmedPeriods: number[];
  /** Issues last written as notes/fills on the unit's own sheet (sheet issues plus duplicates), to annotate only on change. */
  annotated?: RowIssue[];
}

/** A record in the reminder ledger: one (campaign, period, unit, reminder) sends once. */
export interface LedgerRecord {
  id: string;
  campaignId: string;
  kind: "reminder" | "digest";
  periodIndex: number;
  unitId: string | null;
  state: "pending" | "sent";
  messageId: string;
  createdAt: string;
  sentAt: string | null;
}
