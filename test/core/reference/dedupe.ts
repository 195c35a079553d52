// Test-only snapshot of functions/src/core/dedupe.ts as of 3aa0293, before the large-province
// speed-up: the equivalence test (test/core/standings-equivalence.test.ts) compares the live core against it.
// The same citizen counted by two units is counted once: the first to record them keeps them. "First" is
// decided by data alone (stamps, then stable ids), so every run and every input order agree.

import type { Entry, LineListEntry } from "../../../functions/src/core/model.ts";
import type { RowIssue } from "../../../schemas/index.ts";

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
 * Counts each citizen once per indicator across units: for every indicator, the first recording that ticked it
 * counts it. A later recording by another unit keeps only the indicators nobody ticked before (VNeID done by a
 * village, the signature later by a school: both count); a recording with nothing new is a duplicate of the
 * citizen's first recording. Aggregate entries pass through. `kept` preserves the input order of the entries it
 * keeps (narrowed copies where indicators were already counted); duplicates come in recording order.
 */
export function dedupeCitizens(entries: Entry[], unitName: (unitId: string) => string): DedupeResult {
  const groups = new Map<string, LineListEntry[]>();
  for (const e of entries) {
    if (e.mode !== "line-list") continue;
    const group = groups.get(e.idHash);
    if (group) group.push(e);
    else groups.set(e.idHash, [e]);
  }
  const narrowed = new Map<LineListEntry, LineListEntry | null>();
  const firstOf = new Map<string, LineListEntry>();
  for (const [idHash, group] of groups) {
    if (group.length === 1) continue;
    group.sort(compareRecorded);
    firstOf.set(idHash, group[0]!);
    const counted = new Set<string>();
    group.forEach((e, i) => {
      const fresh = Object.keys(e.indicators).filter((k) => e.indicators[k] && !counted.has(k));
      for (const k of fresh) counted.add(k);
      if (i === 0) return;
      if (fresh.length === 0) narrowed.set(e, null);
      else if (fresh.length < Object.values(e.indicators).filter(Boolean).length) {
        const indicators = Object.fromEntries(Object.keys(e.indicators).map((k) => [k, fresh.includes(k)]));
        narrowed.set(e, { ...e, indicators });
      }
    });
  }
  const kept: Entry[] = [];
  const duplicates: DuplicateCitizen[] = [];
  for (const e of entries) {
    if (e.mode !== "line-list" || !narrowed.has(e)) {
      kept.push(e);
      continue;
    }
    const replacement = narrowed.get(e)!;
    if (replacement) kept.push(replacement);
    else duplicates.push({ entry: e, keptBy: firstOf.get(e.idHash)! });
  }
  duplicates.sort((a, b) => compareRecorded(a.entry, b.entry));
  return { kept, duplicates, issues: duplicates.map((d) => duplicateIssue(d, unitName)) };
}
