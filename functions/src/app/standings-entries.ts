// The entries the standings count, read as one snapshot per unit (core/unit-snapshot.ts) rather than one store
// document per entry: a province's cycle reads a hundred snapshots instead of a million entries, and the standings
// get most of them as line-list columns, the path bench/ measures.
//
// A snapshot is derived from the unit's entries and trusted only while fresh: the store marks it stale in the first
// commit that changes the unit's entries (Store.applyUnitChanges), and every sync that reads a unit saves the one
// made from its stored entries. A stale snapshot is rebuilt here from the unit's entries (one query of that unit).
// Entries written before snapshots existed have none: until the campaign's SNAPSHOTS_COMPLETE mark is set, the
// whole campaign is read as entries once, and its snapshots are built from them.
import { DondocError } from "../core/errors.ts";
import type { LineListColumns } from "../core/line-list-columns.ts";
import type { Entry } from "../core/model.ts";
import type { Store } from "../core/ports.ts";
import { decodeUnitSnapshot, encodeUnitSnapshot } from "../core/unit-snapshot.ts";

/** Meta key: every unit with entries has a snapshot document (fresh or marked stale). */
export const SNAPSHOTS_COMPLETE = "unit-snapshots-complete";

export interface StandingsEntries {
  /** Entries kept whole (aggregate reports, unusual line-list entries) and those of rebuilt legacy campaigns. */
  entries: Entry[];
  lineList: LineListColumns[];
  /** Documents written saving rebuilt snapshots (0 without `save`). */
  written: number;
}

export interface LoadOptions {
  /** Save the snapshots rebuilt (the sync does; a read-only caller such as the reminders does not). */
  save: boolean;
}

/** Marks a campaign as having snapshots for every unit with entries; for a campaign with no entries yet. */
export async function markSnapshotsComplete(store: Store, campaignId: string): Promise<number> {
  return store.saveMeta(campaignId, SNAPSHOTS_COMPLETE, true);
}

/** Every entry of the campaign, for computeStandings (`entries` and `lineList`). */
export async function loadStandingsEntries(
  store: Store,
  campaignId: string,
  options: LoadOptions,
): Promise<StandingsEntries> {
  const out: StandingsEntries = { entries: [], lineList: [], written: 0 };
  if ((await store.loadMeta<boolean>(campaignId, SNAPSHOTS_COMPLETE)) !== true) {
    // Written before snapshots: count the entries themselves, once, and build every unit's snapshot from them.
    out.entries = await store.loadCampaignEntries(campaignId);
    const byUnit = new Map<string, Entry[]>();
    for (const e of out.entries) {
      const list = byUnit.get(e.unitId);
      if (list) list.push(e);
      else byUnit.set(e.unitId, [e]);
    }
    if (options.save) {
      for (const [unitId, entries] of byUnit) {
        out.written += await store.saveUnitSnapshot(campaignId, unitId, encodeUnitSnapshot(unitId, entries));
      }
      out.written += await markSnapshotsComplete(store, campaignId);
    }
    return out;
  }
  const snapshots = await store.loadUnitSnapshots(campaignId);
  // A unit without a snapshot document has no entries (the mark above says so). Units no longer in the
  // campaign's list keep theirs: their entries still count, as loadCampaignEntries would give them.
  const ids = [...snapshots.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const unitId of ids) {
    let bytes = snapshots.get(unitId) ?? null;
    if (bytes === null) {
      bytes = encodeUnitSnapshot(unitId, await store.loadUnitEntries(campaignId, unitId));
      if (options.save) out.written += await store.saveUnitSnapshot(campaignId, unitId, bytes);
    }
    const unit = decodeUnitSnapshot(bytes);
    if (unit.unitId !== unitId) {
      // Saved under another unit's id, it would count that unit's entries twice.
      throw new DondocError(
        "store-data-corrupt",
        `Bản tổng hợp dữ liệu của đơn vị ${unitId} lại mang dữ liệu của đơn vị ${unit.unitId}.`,
        { campaignId, unitId, holds: unit.unitId },
      );
    }
    for (const e of unit.entries) out.entries.push(e);
    if (unit.lineList) out.lineList.push(unit.lineList);
  }
  return out;
}
