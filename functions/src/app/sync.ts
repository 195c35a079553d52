// The sync cycle: read changed sheets, validate, store the difference, aggregate, rank, publish.
// Used by the CLI (embedded default) and by the `sync` and `ingest` Cloud Functions; only the adapters differ.
import type { Campaign, RowIssue, Standings, Unit } from "../../../schemas/index.ts";
import { diffEntries, entriesAfter, holdCheck } from "../core/diff.ts";
import { DondocError } from "../core/errors.ts";
import type { ParsedSheet, RawSheet, UnitSyncState } from "../core/model.ts";
import { parseSheet } from "../core/parse-sheet.ts";
import { campaignFinalInstant, currentPeriod } from "../core/periods.ts";
import type { IdHasher, SheetSource, Store, SummaryPublisher, UnitAnnotator } from "../core/ports.ts";
import { draftReport } from "../core/report.ts";
import { computeStandings } from "../core/standings.ts";
import { buildSummaryTabs } from "../core/summary-build.ts";
import { encodeUnitSnapshot } from "../core/unit-snapshot.ts";
import { RESTORED_HOLD_CODE } from "./restore.ts";
import { loadStandingsEntries, markSnapshotsComplete } from "./standings-entries.ts";

export type SyncEvent =
  | { type: "reading"; unit: Unit; index: number; total: number }
  | { type: "unit-done"; unit: Unit; result: UnitSyncResult }
  | { type: "skipped-unchanged"; count: number }
  | { type: "annotate-failed"; unit: Unit; message: string };

export interface UnitSyncResult {
  unitId: string;
  status: "synced" | "held" | "failed";
  written: number;
  created: number;
  updated: number;
  deleted: number;
  errors: number;
  warnings: number;
  message: string | null;
}

export interface SyncDeps {
  campaign: Campaign;
  units: Unit[];
  source: SheetSource;
  store: Store;
  now: Date;
  /** Keyed hash of a citizen id (HMAC with the deployment's secret). */
  hashId: IdHasher;
  /** Replaying a timeline (`--now`): rows stamped after `now` are not yet entered, and every sheet is read. */
  replay?: boolean;
  annotator?: UnitAnnotator;
  publisher?: SummaryPublisher;
  /** Units whose held mass deletion the leader confirmed (`dondoc confirm`): apply it this time. */
  confirmDeletions?: ReadonlySet<string>;
  onEvent?: (event: SyncEvent) => void;
  /** Write annotations for every unit each cycle (annotated .xlsx copies), not only where issues changed. */
  annotateAll?: boolean;
  /**
   * Scheduled cycles: when no sheet changed, keep the stored standings (no entry reads, no publish) while they are
   * younger than this and still in the same period. The CLI leaves it unset and always publishes.
   */
  reuseStandingsWithinMs?: number;
  /** Called between storing entries and publishing; lets fault tests crash exactly there. */
  afterEntriesStored?: () => Promise<void> | void;
}

/**
 * How long a scheduled cycle (the `sync` Cloud Function, every 15 minutes) keeps the stored standings when no
 * sheet changed: pace and "late" are refreshed hourly.
 */
export const SCHEDULED_STANDINGS_REUSE_MS = 60 * 60_000;

export interface CycleResult {
  units: UnitSyncResult[];
  /** Firestore documents written in the whole cycle (0 on an unchanged resync). */
  written: number;
  /** Sheets actually read (a roll-up unit without a sheet of its own is not counted). */
  read: number;
  skippedUnchanged: number;
  standings: Standings;
  report: string;
  /** Nothing to publish: the stored standings were still current, or recomputed to the same (scheduled cycles). */
  reused: boolean;
}

/**
 * A unit with children is a roll-up node: it reports through its children and needs no sheet of its own. When it
 * has one, it is read like any other; when it has none, that is not a failure.
 */
const NO_OWN_SHEET = new Set(["sheet-missing", "sheet-not-provisioned"]);

/** Issue codes whose verdict depends on the clock, so a sheet carrying them is re-read even when unchanged. */
const TIME_DEPENDENT_CODES = /future|not-yet/;

/** Problems of a unit whose sheet was read fine but whose changes wait for a leader (the sheet can be annotated). */
const HELD_CODES: ReadonlySet<string> = new Set(["held-mass-deletion", RESTORED_HOLD_CODE]);

function emptyState(unitId: string): UnitSyncState {
  return { unitId, lastModified: null, lastSyncAt: null, issues: [], problem: null, confirmedPeriods: [] };
}

/** Sync one unit from an already-read sheet. Exported for `ingest`, which receives the sheet in the request. */
export async function syncUnitSheet(
  deps: SyncDeps,
  unit: Unit,
  sheet: RawSheet,
  state: UnitSyncState,
): Promise<{ result: UnitSyncResult; state: UnitSyncState; parsed: ParsedSheet }> {
  const { campaign, store, now } = deps;
  const parsed = parseSheet({
    campaign,
    unit,
    sheet,
    now,
    hashId: deps.hashId,
    replay: deps.replay ?? false,
  });
  const stored = await store.loadUnitEntries(campaign.id, unit.id);
  const { changes, audit } = diffEntries({
    campaignId: campaign.id,
    unitId: unit.id,
    stored,
    incoming: parsed.entries,
    now,
    reason: `sync ${sheet.source}`,
  });
  const storedKeys = new Set(stored.map((s) => s.key));
  const counts = {
    created: changes.upserts.filter((e) => !storedKeys.has(e.key)).length,
    deleted: changes.deletes.length,
  };
  const errors = parsed.issues.filter((i) => i.severity === "error").length;
  const warnings = parsed.issues.length - errors;
  const hold = holdCheck(stored.length, changes, campaign.holdDeletionsAbove);
  const nowIso = now.toISOString();
  // A leader restored this unit's entries (app/restore.ts): any deletion the sheet still implies would undo the
  // restore, so it waits, however small, until the sheet holds the rows again or a leader confirms.
  const restoredHold = state.problem?.code === RESTORED_HOLD_CODE && changes.deletes.length > 0;
  if ((hold.hold || restoredHold) && !deps.confirmDeletions?.has(unit.id)) {
    // Keep what is stored; say so on the summary and in the digest until a leader confirms. The snapshot is
    // made from what is stored, in case an earlier write left it stale.
    const written = await store.saveUnitSnapshot(campaign.id, unit.id, encodeUnitSnapshot(unit.id, stored));
    const problem =
      restoredHold && state.problem
        ? state.problem
        : { code: "held-mass-deletion", message: hold.message ?? "", at: state.problem?.at ?? nowIso };
    const next: UnitSyncState = { ...state, issues: parsed.issues, problem };
    return {
      parsed,
      state: next,
      result: {
        unitId: unit.id,
        status: "held",
        written,
        created: 0,
        updated: 0,
        deleted: 0,
        errors,
        warnings,
        message: problem.message,
      },
    };
  }
  // The unit's entries as they will be stored, packed for the standings; saved even when nothing changed (only
  // written if it differs), so a snapshot a crash or a concurrent write left stale is mended by the next read.
  const snapshot = encodeUnitSnapshot(unit.id, entriesAfter(stored, changes));
  const written =
    changes.upserts.length + changes.deletes.length > 0
      ? await store.applyUnitChanges(campaign.id, { changes, audit, snapshot })
      : await store.saveUnitSnapshot(campaign.id, unit.id, snapshot);
  const next: UnitSyncState = {
    ...state,
    lastModified: sheet.modifiedTime ?? state.lastModified,
    // Only moves when something changed, so an unchanged resync leaves the state document untouched.
    lastSyncAt: written > 0 || state.lastSyncAt === null ? nowIso : state.lastSyncAt,
    issues: parsed.issues,
    problem: null,
  };
  return {
    parsed,
    state: next,
    result: {
      unitId: unit.id,
      status: "synced",
      written,
      created: counts.created,
      updated: changes.upserts.length - counts.created,
      deleted: counts.deleted,
      errors,
      warnings,
      message: null,
    },
  };
}

function failedResult(unitId: string, message: string): UnitSyncResult {
  return {
    unitId,
    status: "failed",
    written: 0,
    created: 0,
    updated: 0,
    deleted: 0,
    errors: 0,
    warnings: 0,
    message,
  };
}

/**
 * Standings are computed at `now`, but never past the campaign's final deadline: a finished campaign publishes
 * its final standings, the same files on every run.
 */
export function standingsInstant(campaign: Campaign, now: Date): Date {
  const final = campaignFinalInstant(campaign);
  return now.getTime() < final.getTime() ? now : final;
}

export async function runSyncCycle(deps: SyncDeps): Promise<CycleResult> {
  const { campaign, units, store, source } = deps;
  const states = new Map((await store.loadUnitStates(campaign.id)).map((s) => [s.unitId, s]));
  let written = 0;
  // No unit was ever synced, so no entry exists yet: every one to come is written with its unit's snapshot. (Were
  // some left by a crashed first run of an older version, every unit is read this cycle, having no state, and
  // reading a unit saves the snapshot of whatever it has stored.)
  if (states.size === 0) written += await markSnapshotsComplete(store, campaign.id);
  const lastModified = new Map(units.map((u) => [u.id, states.get(u.id)?.lastModified ?? null]));

  const changed = new Set((await source.changedUnits(units, lastModified)).map((u) => u.id));
  const toRead = units.filter(
    (u) =>
      deps.replay ||
      changed.has(u.id) ||
      deps.confirmDeletions?.has(u.id) ||
      states.get(u.id)?.problem != null ||
      (states.get(u.id)?.issues ?? []).some((i) => TIME_DEPENDENT_CODES.test(i.code)),
  );
  const skippedUnchanged = units.length - toRead.length;
  if (skippedUnchanged > 0) deps.onEvent?.({ type: "skipped-unchanged", count: skippedUnchanged });

  const results: UnitSyncResult[] = [];
  const readSheets = new Map<string, RawSheet>();
  let sheetsRead = 0;
  const parents = new Set(units.map((u) => u.parent).filter((p): p is string => Boolean(p)));
  for (const [index, unit] of toRead.entries()) {
    deps.onEvent?.({ type: "reading", unit, index, total: toRead.length });
    const previous = states.get(unit.id) ?? emptyState(unit.id);
    let next: UnitSyncState;
    let result: UnitSyncResult;
    try {
      const sheet = await source.read(unit);
      sheetsRead++;
      if (deps.annotator) readSheets.set(unit.id, sheet);
      ({ state: next, result } = await syncUnitSheet(deps, unit, sheet, previous));
    } catch (error) {
      // One unit's broken sheet never blocks the others: record it and go on.
      if (!(error instanceof DondocError)) throw error;
      if (parents.has(unit.id) && NO_OWN_SHEET.has(error.code)) continue;
      next = {
        ...previous,
        problem: {
          code: error.code,
          message: error.message,
          at: previous.problem?.at ?? deps.now.toISOString(),
        },
      };
      result = failedResult(unit.id, error.message);
    }
    written += result.written;
    written += await store.saveUnitState(campaign.id, next);
    states.set(unit.id, next);
    results.push(result);
    deps.onEvent?.({ type: "unit-done", unit, result });
  }

  await deps.afterEntriesStored?.();

  const asOf = standingsInstant(campaign, deps.now);
  if (deps.reuseStandingsWithinMs !== undefined && written === 0) {
    // Nothing changed: the stored standings stand unless the period moved on or they are older than allowed.
    // Recomputing means reading every entry of the campaign, the dominant Firestore cost of a scheduled cycle.
    const stored = await store.loadStandings(campaign.id);
    const period = currentPeriod(campaign, asOf);
    if (
      stored &&
      period &&
      stored.period.index === period.index &&
      asOf.getTime() - Date.parse(stored.asOf) < deps.reuseStandingsWithinMs
    ) {
      return {
        units: results,
        written,
        read: sheetsRead,
        skippedUnchanged,
        standings: stored,
        report: draftReport(campaign, stored),
        reused: true,
      };
    }
  }
  const counted = await loadStandingsEntries(store, campaign.id, { save: true });
  written += counted.written;
  const unitStates = units.map((u) => states.get(u.id) ?? emptyState(u.id));
  const sheetIssues = unitStates.flatMap((s) => s.issues);
  const { standings, duplicateIssues } = computeStandings({
    campaign,
    units,
    entries: counted.entries,
    lineList: counted.lineList,
    unitStates,
    issues: sheetIssues,
    asOf,
  });
  const standingsWritten = await store.saveStandings(campaign.id, standings);
  written += standingsWritten;
  const report = draftReport(campaign, standings);

  if (deps.annotator) {
    const byUnit = groupIssues([...sheetIssues, ...duplicateIssues]);
    for (const unit of units) {
      const state = states.get(unit.id) ?? emptyState(unit.id);
      const issues = byUnit.get(unit.id) ?? [];
      const previous = state.annotated ?? [];
      if (!deps.annotateAll && sameIssues(issues, previous)) continue;
      if (state.problem && !HELD_CODES.has(state.problem.code)) continue; // nothing readable to annotate
      const sheet = readSheets.get(unit.id) ?? { unitId: unit.id, source: unit.id, header: [], rows: [] };
      try {
        await deps.annotator.annotate(unit, sheet, issues, previous);
      } catch (error) {
        // Notes on one unit's sheet failing (revoked access, a deleted tab) must not stop the others or the
        // leaders' summary; `annotated` stays as it was, so the next cycle tries again.
        if (!(error instanceof DondocError)) throw error;
        deps.onEvent?.({ type: "annotate-failed", unit, message: error.message });
        continue;
      }
      if (!sameIssues(issues, previous)) {
        const next = { ...state, annotated: issues };
        written += await store.saveUnitState(campaign.id, next);
        states.set(unit.id, next);
      }
    }
  }
  // Scheduled cycles publish only what changed: identical standings (apart from the time) mean identical tabs.
  // The CLI always publishes, since its --out may be a new folder.
  const unchanged = deps.reuseStandingsWithinMs !== undefined && standingsWritten === 0;
  if (deps.publisher && !unchanged) {
    await deps.publisher.publish(buildSummaryTabs(campaign, standings), standings, report);
  }
  return {
    units: results,
    written,
    read: sheetsRead,
    skippedUnchanged,
    standings,
    report,
    reused: unchanged,
  };
}

function issueKey(i: RowIssue): string {
  return `${i.row}|${i.column}|${i.code}|${i.severity}|${i.message}`;
}

function sameIssues(a: RowIssue[], b: RowIssue[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(issueKey));
  return b.every((i) => keys.has(issueKey(i)));
}

function groupIssues(issues: RowIssue[]): Map<string, RowIssue[]> {
  const map = new Map<string, RowIssue[]>();
  for (const issue of issues) {
    const list = map.get(issue.unitId);
    if (list) list.push(issue);
    else map.set(issue.unitId, [issue]);
  }
  return map;
}
