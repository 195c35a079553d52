// Restoring a unit's entries as they were at an instant, from the audit trail.
//
// Every change a sync (or a restore) makes to an entry is kept as an AuditRecord with the entry before and after,
// committed in the same batch as the change (FirestoreStore.applyUnitChanges). So the store's content at any
// instant T is, for each entry key, the `after` of the latest record at or before T (null: absent then).
//
// A restore is itself a change like any other: it is diffed against what is stored now and applied through
// Store.applyUnitChanges with its own audit records (reason "restore to <T>"), so it is audited and can be
// reversed by restoring to an instant before it. Restoring twice changes nothing the second time.
//
// How a leader uses it: after a deletion that should not have happened (a held mass deletion confirmed by
// mistake, or a deletion under the hold threshold), `dondoc restore --unit ID --at T` brings the entries back.
// The unit's sheet still lacks those rows, so the next sync would diff them away again; to stop that, a restore
// that changed anything puts the unit on hold (problem RESTORED_HOLD_CODE): every later sync that would delete
// any entry of that unit is held and reported, as a mass deletion is, until the unit's sheet holds the rows
// again (the sync then clears the hold by itself) or a leader runs `dondoc confirm --unit ID`.
import type { Campaign } from "../../../schemas/index.ts";
import { diffEntries, entriesAfter } from "../core/diff.ts";
import { DondocError } from "../core/errors.ts";
import { formatViDateTime, formatViNumber } from "../core/format.ts";
import type { AuditRecord, Entry, EntryChanges, UnitSyncState } from "../core/model.ts";
import type { Store } from "../core/ports.ts";
import { encodeUnitSnapshot } from "../core/unit-snapshot.ts";

/** Problem code of a unit whose entries were restored and whose sheet does not yet agree (see sync.ts). */
export const RESTORED_HOLD_CODE = "held-after-restore";

/** Orders records by time, then by id, so equal times still give one answer. */
function byTime(a: AuditRecord, b: AuditRecord): number {
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A unit's entries as they were at `at`: for each entry key, the `after` of the latest audit record at or before
 * `at` (a delete's `after` is null: the entry was absent). Sorted by key, as the store returns entries.
 */
export function entriesAt(audit: readonly AuditRecord[], at: Date): Entry[] {
  const limit = at.getTime();
  const latest = new Map<string, AuditRecord>();
  for (const record of [...audit].sort(byTime)) {
    if (Date.parse(record.at) > limit) break;
    latest.set(record.entryKey, record);
  }
  const entries: Entry[] = [];
  for (const record of latest.values()) if (record.after !== null) entries.push(record.after);
  return entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface RestorePlan {
  unitId: string;
  /** The instant restored to, ISO. */
  at: string;
  /** What the unit's entries will be. */
  target: Entry[];
  changes: EntryChanges;
  audit: AuditRecord[];
  /** Entries brought back (absent now, present at `at`). */
  restored: number;
  /** Entries present in both whose content goes back to what it was. */
  reverted: number;
  /** Entries removed (present now, absent at `at`). */
  removed: number;
}

export interface PlanRestoreInput {
  campaignId: string;
  unitId: string;
  /** The unit's whole audit trail (Store.loadAudit). */
  audit: readonly AuditRecord[];
  /** The unit's entries as stored now. */
  current: readonly Entry[];
  at: Date;
  /** When the restore happens: the time of its audit records. */
  now: Date;
}

export function restoreReason(at: Date): string {
  return `restore to ${at.toISOString()}`;
}

/** The changes that make the stored entries equal to what they were at `at`, with their audit records. */
export function planRestore(input: PlanRestoreInput): RestorePlan {
  const target = entriesAt(input.audit, input.at);
  const { changes, audit } = diffEntries({
    campaignId: input.campaignId,
    unitId: input.unitId,
    stored: [...input.current],
    // The entries as they were, first sighting included: a restore puts back exactly what was there.
    incoming: target,
    now: input.now,
    reason: restoreReason(input.at),
  });
  const currentKeys = new Set(input.current.map((e) => e.key));
  const restored = changes.upserts.filter((e) => !currentKeys.has(e.key)).length;
  return {
    unitId: input.unitId,
    at: input.at.toISOString(),
    target,
    changes,
    audit,
    restored,
    reverted: changes.upserts.length - restored,
    removed: changes.deletes.length,
  };
}

export interface RestoreDeps {
  campaign: Campaign;
  store: Store;
  unitId: string;
  at: Date;
  now: Date;
  /** Write the changes; without it only the plan is returned. */
  apply: boolean;
}

export interface RestoreResult {
  plan: RestorePlan;
  /** Documents written (0 when not applied or nothing differed). */
  written: number;
  /** True when the unit was put on hold (RESTORED_HOLD_CODE) by this call. */
  held: boolean;
}

function heldMessage(at: Date, zone: string): string {
  return `Dữ liệu của đơn vị đã được khôi phục về thời điểm ${formatViDateTime(at, zone)}; bảng tính của đơn vị chưa khớp nên việc xóa dòng tạm dừng cho đến khi bảng tính được sửa lại hoặc có xác nhận.`;
}

/** Plans a unit's restore to `at` and, with `apply`, writes it (audited) and holds the unit's deletions. */
export async function restoreUnit(deps: RestoreDeps): Promise<RestoreResult> {
  const { campaign, store, unitId } = deps;
  const [audit, current] = await Promise.all([
    store.loadAudit(campaign.id, unitId),
    store.loadUnitEntries(campaign.id, unitId),
  ]);
  if (audit.length === 0) {
    throw new DondocError(
      "restore-no-audit",
      `Không có nhật ký thay đổi nào của đơn vị ${unitId}; không thể khôi phục.`,
      { campaignId: campaign.id, unitId },
    );
  }
  const plan = planRestore({ campaignId: campaign.id, unitId, audit, current, at: deps.at, now: deps.now });
  const changed = plan.changes.upserts.length + plan.changes.deletes.length > 0;
  if (!deps.apply || !changed) return { plan, written: 0, held: false };

  // The hold is written before the entries: a crash in between leaves the unit held (a hold with nothing to
  // protect lifts itself at the next sync that deletes nothing), never restored-but-unprotected, where the next
  // sync would quietly delete the restored rows again.
  const previous: UnitSyncState = (await store.loadUnitState(campaign.id, unitId)) ?? {
    unitId,
    lastModified: null,
    lastSyncAt: null,
    issues: [],
    problem: null,
    confirmedPeriods: [],
  };
  const next: UnitSyncState = {
    ...previous,
    problem: {
      code: RESTORED_HOLD_CODE,
      message: heldMessage(deps.at, campaign.timezone),
      at: deps.now.toISOString(),
    },
  };
  let written = await store.saveUnitState(campaign.id, next);
  written += await store.applyUnitChanges(campaign.id, {
    changes: plan.changes,
    audit: plan.audit,
    snapshot: encodeUnitSnapshot(unitId, entriesAfter(current, plan.changes)),
  });
  return { plan, written, held: true };
}

/** One line for the CLI: what a restore would do or did. */
export function describeRestore(result: RestoreResult, applied: boolean, zone: string): string {
  const { plan } = result;
  const when = formatViDateTime(new Date(plan.at), zone);
  const counts = `khôi phục ${formatViNumber(plan.restored + plan.reverted)} dòng (thêm lại ${formatViNumber(plan.restored)}, trả lại nội dung cũ ${formatViNumber(plan.reverted)}), xóa ${formatViNumber(plan.removed)} dòng`;
  if (plan.changes.upserts.length + plan.changes.deletes.length === 0) {
    return `Đơn vị ${plan.unitId}: dữ liệu đã đúng như lúc ${when} (${formatViNumber(plan.target.length)} dòng); không có gì để khôi phục.`;
  }
  return applied
    ? `Đơn vị ${plan.unitId}: đã ${counts} để trở về lúc ${when} (${formatViNumber(plan.target.length)} dòng); ghi ${formatViNumber(plan.audit.length)} bản ghi nhật ký.`
    : `Đơn vị ${plan.unitId}: sẽ ${counts} để trở về lúc ${when} (${formatViNumber(plan.target.length)} dòng). Thêm --apply để thực hiện.`;
}
