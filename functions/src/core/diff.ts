// What a sync changes for one unit. A unit's sheet is the truth for that unit, so the diff is "make the store
// equal the sheet", keeping only what the server itself knows (when it first saw each entry).
import { formatViNumber } from "./format.ts";
import type { AuditRecord, Entry, EntryChanges } from "./model.ts";

export interface DiffInput {
  campaignId: string;
  unitId: string;
  stored: Entry[];
  incoming: Entry[];
  now: Date;
  /** Why the change happened ("sync sheets/cho-don-thon-1.xlsx", "restore"), kept in the audit trail. */
  reason: string;
}

export interface DiffResult {
  changes: EntryChanges;
  audit: AuditRecord[];
}

/** JSON with object keys sorted at every depth: equal data gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, obj[k]]),
    );
  });
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/** 64-bit FNV-1a over the UTF-8 bytes, 16 hex digits. Identifies content; not a security hash. */
export function fnv1a64(text: string): string {
  let h = FNV_OFFSET;
  for (const byte of utf8.encode(text)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h.toString(16).padStart(16, "0");
}

/**
 * Audit ids are derived from the change and the sync's time. A retry of the same sync lands on the same document;
 * a rerun after a crash cannot duplicate a record either, because an entry and its audit record are committed in
 * one batch, so the rerun sees that change as already applied. The time keeps a change repeated later
 * (A→B, B→A, A→B) as three records, as an audit trail must.
 */
export function auditId(
  entryKey: string,
  action: AuditRecord["action"],
  before: Entry | null,
  after: Entry | null,
  at: string,
): string {
  return `${entryKey}~${action}~${Date.parse(at).toString(36)}~${fnv1a64(canonicalJson({ after, before }))}`;
}

export function diffEntries(input: DiffInput): DiffResult {
  const { campaignId, unitId, reason } = input;
  const at = input.now.toISOString();
  const stored = new Map(input.stored.map((e) => [e.key, e]));
  const seen = new Set<string>();
  const upserts: Entry[] = [];
  const audit: AuditRecord[] = [];
  let unchanged = 0;
  const record = (
    entryKey: string,
    action: AuditRecord["action"],
    before: Entry | null,
    after: Entry | null,
  ) =>
    audit.push({
      id: auditId(entryKey, action, before, after, at),
      campaignId,
      unitId,
      entryKey,
      action,
      at,
      after,
      before,
      reason,
    });

  for (const incoming of input.incoming) {
    // parse-sheet reports a citizen entered twice in one sheet; the first row is the one that counts.
    if (seen.has(incoming.key)) continue;
    seen.add(incoming.key);
    const before = stored.get(incoming.key);
    if (!before) {
      upserts.push(incoming);
      record(incoming.key, "create", null, incoming);
      continue;
    }
    const after: Entry = { ...incoming, firstSeenAt: before.firstSeenAt };
    if (canonicalJson(after) === canonicalJson(before)) {
      unchanged += 1;
      continue;
    }
    upserts.push(after);
    record(after.key, "update", before, after);
  }

  const deletes: string[] = [];
  for (const [key, before] of stored) {
    if (seen.has(key)) continue;
    deletes.push(key);
    record(key, "delete", before, null);
  }
  return { changes: { unitId, upserts, deletes, unchanged }, audit };
}

export interface HoldDecision {
  hold: boolean;
  message: string | null;
}

/**
 * A sync that would delete more than `threshold` of a unit's stored entries at once is more likely a sorted-away
 * filter, a cleared tab or a wrong file than real corrections; it waits for a leader's confirmation. Below five
 * stored rows the share says little, so small sheets are never held.
 */
export function holdCheck(storedCount: number, changes: EntryChanges, threshold: number): HoldDecision {
  const deleted = changes.deletes.length;
  if (storedCount < 5 || deleted <= threshold * storedCount) return { hold: false, message: null };
  return {
    hold: true,
    message: `Bảng tính của đơn vị bị xóa ${formatViNumber(deleted)}/${formatViNumber(storedCount)} dòng cùng lúc; dữ liệu cũ được giữ nguyên cho đến khi có xác nhận.`,
  };
}

/** The unit's entries once `changes` are made to `stored`, in key order (as the store lists them). */
export function entriesAfter(stored: readonly Entry[], changes: EntryChanges): Entry[] {
  const byKey = new Map(stored.map((e) => [e.key, e]));
  for (const key of changes.deletes) byKey.delete(key);
  for (const e of changes.upserts) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
