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

function ms(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Earlier recording first; ties broken by ids only, which are ASCII, so no collation is needed. */
export function compareRecorded(a: LineListEntry, b: LineListEntry): number {
  return (
    ms(enteredTime(a)) - ms(enteredTime(b)) ||
    ms(a.firstSeenAt) - ms(b.firstSeenAt) ||
    plain(a.unitId, b.unitId) ||
    a.row - b.row ||
    plain(a.key, b.key)
  );
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

/**
 * Keeps the first recording of each citizen (by idHash) across units. Aggregate entries pass through.
 * `kept` preserves the input order of the entries it keeps; duplicates come in recording order.
 */
export function dedupeCitizens(entries: Entry[], unitName: (unitId: string) => string): DedupeResult {
  const winners = new Map<string, LineListEntry>();
  for (const e of entries) {
    if (e.mode !== "line-list") continue;
    const current = winners.get(e.idHash);
    if (current === undefined || compareRecorded(e, current) < 0) winners.set(e.idHash, e);
  }
  const kept: Entry[] = [];
  const duplicates: DuplicateCitizen[] = [];
  for (const e of entries) {
    if (e.mode !== "line-list") {
      kept.push(e);
      continue;
    }
    const keptBy = winners.get(e.idHash)!;
    if (keptBy === e) kept.push(e);
    else duplicates.push({ entry: e, keptBy });
  }
  duplicates.sort((a, b) => compareRecorded(a.entry, b.entry));
  return { kept, duplicates, issues: duplicates.map((d) => duplicateIssue(d, unitName)) };
}
