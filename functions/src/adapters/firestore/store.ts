// The Store port on Firestore (production, the Java emulator, and the in-process emulator of the embedded
// default alike).
//
// Layout, under `root` (default "campaigns"; every data-derived id goes through paths.encodeDocId):
//   {root}/{campaignId}/entries/{entryKey}    Entry as plain fields (ISO strings, no Timestamps); `unitId`
//                                             is a field, so a unit's entries are one equality query
//   {root}/{campaignId}/audit/{auditId}       AuditRecord; the id is derived from the change (core/diff.ts)
//   {root}/{campaignId}/units/{unitId}        UnitSyncState
//   {root}/{campaignId}/meta/{key}            { value }
//   {root}/{campaignId}/standings/latest      Standings
//   {root}/{campaignId}/snapshots/{unitId}    { unitId, stale, chunks, bytes }: the unit's entries packed for the
//                                             standings (core/unit-snapshot.ts); bytes past the first 900 kB in
//                                             {doc}/chunks/1..chunks-1 as { bytes }
//   {root}/{campaignId}/ledger/{id}           LedgerRecord
// A unit state, standings or meta document too large for one Firestore document (1 MiB) is stored as
// { dondocParts: n } with its JSON text in {doc}/parts/0..n-1 (see #setIfChanged).
// The campaign document itself is never written: nothing lists campaigns, and a phantom parent costs nothing.
//
// Only Commit, BatchGetDocuments and RunQuery are used (plus a Commit with an exists=false precondition for the
// ledger): that is the whole surface the in-process emulator implements, and it is all real Firestore needs.
//
// Values are stored as plain JSON: undefined is dropped (Firestore rejects it), Dates become ISO strings. So
// what is read back is exactly what a JSON round trip of the written value gives, and comparisons before a
// write are canonical JSON comparisons.
import type { DocumentReference, DocumentSnapshot, Firestore, WriteBatch } from "@google-cloud/firestore";
import type { Standings } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";
import type { AuditRecord, Entry, LedgerRecord, UnitSyncState } from "../../core/model.ts";
import type { Store, UnitWrite } from "../../core/ports.ts";
import { CampaignPaths } from "./paths.ts";

/** Firestore's limit on writes in one commit. */
export const MAX_BATCH_WRITES = 500;

/** Above this much JSON a document is stored in parts; Firestore's limit is 1 MiB including field names. */
const INLINE_LIMIT_BYTES = 900_000;
/** UTF-16 units per part: at most 3 UTF-8 bytes each, so a part stays under the limit. */
const PART_UNITS = 300_000;
/** Firestore takes at most 10 MiB in one commit; a text of this many units is at most ~9 MB of UTF-8. */
const MAX_COMMIT_UNITS = 3_000_000;
const PARTS_FIELD = "dondocParts";
/** Bytes of a snapshot per document: Firestore's 1 MiB limit, less room for the other fields. */
const SNAPSHOT_CHUNK_BYTES = 900_000;
const SNAPSHOT_CHUNKS = "chunks";
const PARTS_COLLECTION = "parts";

function partRefs(ref: DocumentReference, from: number, to: number): DocumentReference[] {
  const refs: DocumentReference[] = [];
  for (let i = from; i < to; i++) refs.push(ref.collection(PARTS_COLLECTION).doc(String(i)));
  return refs;
}

/** Cuts `text` into pieces of at most `units` UTF-16 units, never between the halves of a surrogate pair. */
function splitText(text: string, units: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + units);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts;
}

/** gRPC status Firestore answers a create() of an existing document with. */
const ALREADY_EXISTS = 6;

export interface FirestoreStoreOptions {
  /** Collection holding the campaigns (default "campaigns"). */
  root?: string;
  /** Writes per commit, at most 500; smaller values exist for tests of a failure between commits. */
  batchSize?: number;
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/**
 * A JSON-like copy of `value` that Firestore accepts: undefined object members are dropped and undefined array
 * items become null (what JSON.stringify does, so the copy is deterministic), Dates become ISO strings. Anything
 * else that is not plain data is a programming error and fails loudly rather than being stored half-right.
 */
export function toPlain(value: unknown, where = "value"): Plain {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new DondocError("store-unsupported-value", `Giá trị số không hợp lệ tại ${where}.`, { where });
    }
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value))
    return value.map((v, i) => (v === undefined ? null : toPlain(v, `${where}[${i}]`)));
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: { [key: string]: Plain } = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = toPlain(v, `${where}.${k}`);
      }
      return out;
    }
  }
  throw new DondocError("store-unsupported-value", `Kiểu dữ liệu không lưu được tại ${where}.`, {
    where,
    type: typeof value,
  });
}

/** JSON with object keys sorted at every depth: equal documents give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(obj).sort()) sorted[k] = obj[k];
    return sorted;
  });
}

function asDocument(value: unknown, where: string): { [key: string]: Plain } {
  const plain = toPlain(value, where);
  if (plain === null || typeof plain !== "object" || Array.isArray(plain)) {
    throw new DondocError("store-unsupported-value", `Tài liệu ${where} phải là một đối tượng.`, { where });
  }
  return plain;
}

const byString =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };

/** The unit snapshot's write in the first commit of a change: its bytes, or (null) the stale mark. */
interface SnapshotMark {
  ref: DocumentReference;
  unitId: string;
  bytes: Buffer | null;
}

/** One write of a unit's change set, before it is known whether it changes anything. */
type PendingWrite =
  | { kind: "audit"; ref: DocumentReference; data: { [key: string]: Plain } }
  | { kind: "upsert"; ref: DocumentReference; data: { [key: string]: Plain } }
  | { kind: "delete"; ref: DocumentReference };

function withoutAsOf(standings: Plain): Plain {
  if (standings === null || typeof standings !== "object" || Array.isArray(standings)) return standings;
  const { asOf: _asOf, asOfDate: _asOfDate, ...rest } = standings;
  return rest;
}

export class FirestoreStore implements Store {
  readonly #db: Firestore;
  readonly #paths: CampaignPaths;
  readonly #batchSize: number;

  constructor(db: Firestore, options: FirestoreStoreOptions = {}) {
    const batchSize = options.batchSize ?? MAX_BATCH_WRITES;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_WRITES) {
      throw new DondocError("store-bad-batch-size", `Kích thước lô ghi phải từ 1 đến ${MAX_BATCH_WRITES}.`, {
        batchSize,
      });
    }
    this.#db = db;
    this.#paths = new CampaignPaths(options.root);
    this.#batchSize = batchSize;
  }

  async loadUnitEntries(campaignId: string, unitId: string): Promise<Entry[]> {
    const snap = await this.#db
      .collection(this.#paths.entries(campaignId))
      .where("unitId", "==", unitId)
      .get();
    return snap.docs.map((d) => d.data() as Entry).sort(byString((e) => e.key));
  }

  /**
   * One query streaming the whole collection: at 100,000+ entries a per-document read would cost one round
   * trip (and, on Firestore, one billed read call) each.
   */
  async loadCampaignEntries(campaignId: string): Promise<Entry[]> {
    const snap = await this.#db.collection(this.#paths.entries(campaignId)).get();
    return snap.docs.map((d) => d.data() as Entry).sort(byString((e) => e.key));
  }

  /**
   * Crash safety: each audit record is committed in the same batch as the entry change it describes (a batch is
   * atomic), so after a failure between commits the store holds, for every change, both or neither. A rerun
   * diffs against what is stored and finds exactly the changes that did not land: those that did are no longer
   * changes, so nothing is lost and nothing is recorded twice.
   *
   * Every batch first reads the documents it would write, so unchanged entries, deletes of absent entries and
   * audit records already present cost no write (an existing audit record keeps its first time). The count
   * returned is the documents actually written.
   */
  async applyUnitChanges(campaignId: string, write: UnitWrite): Promise<number> {
    const unitId = write.changes.unitId;
    const batches = this.#batches(campaignId, write);
    const ref = this.#db.doc(this.#paths.snapshot(campaignId, unitId));
    // A change that is one commit carries a one-chunk snapshot in that commit: entries and snapshot change
    // together. Otherwise the first commit that changes anything marks the snapshot stale, and it is saved last.
    const inline =
      batches.length === 1 && write.snapshot !== undefined && write.snapshot.length <= SNAPSHOT_CHUNK_BYTES
        ? Buffer.from(write.snapshot)
        : null;
    let mark: SnapshotMark | null = { ref, unitId, bytes: inline };
    let saved = false;
    let written = 0;
    for (const batch of batches) {
      const result = await this.#commitChanged(batch, mark);
      written += result.count;
      if (result.count > 0) mark = null;
      saved ||= result.saved;
    }
    if (write.snapshot && !saved) written += await this.saveUnitSnapshot(campaignId, unitId, write.snapshot);
    return written;
  }

  /**
   * A change's writes cut into commits: at most the batch size less one (room for the snapshot's write), an entry
   * change never apart from its audit records, and no document twice in one commit (Firestore refuses it).
   */
  #batches(campaignId: string, write: UnitWrite): PendingWrite[][] {
    const room = this.#batchSize - 1;
    const batches: PendingWrite[][] = [];
    let batch: PendingWrite[] = [];
    let paths = new Set<string>();
    for (const group of this.#groupWrites(campaignId, write)) {
      if (group.length > room) {
        throw new DondocError(
          "store-change-too-large",
          `Một thay đổi cần ${group.length} lượt ghi, vượt giới hạn ${room} của một lô.`,
          { campaignId, writes: group.length },
        );
      }
      if (batch.length + group.length > room || group.some((w) => paths.has(w.ref.path))) {
        batches.push(batch);
        batch = [];
        paths = new Set();
      }
      batch.push(...group);
      for (const w of group) paths.add(w.ref.path);
    }
    if (batch.length > 0) batches.push(batch);
    return batches;
  }

  #groupWrites(campaignId: string, write: UnitWrite): PendingWrite[][] {
    const auditByKey = new Map<string, AuditRecord[]>();
    for (const record of write.audit) {
      const list = auditByKey.get(record.entryKey);
      if (list) list.push(record);
      else auditByKey.set(record.entryKey, [record]);
    }
    const auditWrites = (entryKey: string): PendingWrite[] => {
      const records = auditByKey.get(entryKey) ?? [];
      auditByKey.delete(entryKey);
      return records.map((r) => ({
        kind: "audit",
        ref: this.#db.doc(this.#paths.audit(campaignId, r.id)),
        data: asDocument(r, `audit ${r.id}`),
      }));
    };

    const groups: PendingWrite[][] = [];
    for (const entry of write.changes.upserts) {
      const data = asDocument(entry, `entry ${entry.key}`);
      groups.push([
        ...auditWrites(entry.key),
        { kind: "upsert", ref: this.#db.doc(this.#paths.entry(campaignId, entry.key)), data },
      ]);
    }
    for (const key of write.changes.deletes) {
      groups.push([
        ...auditWrites(key),
        { kind: "delete", ref: this.#db.doc(this.#paths.entry(campaignId, key)) },
      ]);
    }
    // Audit records describing no change in this write (a caller recording a decision, say) go first, alone.
    const orphans = [...auditByKey.keys()].map((key) => auditWrites(key));
    return [...orphans.filter((g) => g.length > 0), ...groups];
  }

  /**
   * Commits the writes that change something. With `mark`, the commit also writes the unit's snapshot when it
   * commits anything: the snapshot's bytes (`saved`) when given and the stored snapshot has no chunk beyond its
   * head, else the stale mark (a merge: the stored bytes stay, unread until saved again).
   */
  async #commitChanged(
    writes: PendingWrite[],
    mark: SnapshotMark | null,
  ): Promise<{ count: number; saved: boolean }> {
    const refs = new Map(writes.map((w) => [w.ref.path, w.ref]));
    if (mark?.bytes) refs.set(mark.ref.path, mark.ref);
    const snaps = new Map((await this.#db.getAll(...refs.values())).map((s) => [s.ref.path, s]));
    const batch: WriteBatch = this.#db.batch();
    let count = 0;
    writes.forEach((w) => {
      const stored = snaps.get(w.ref.path)!;
      if (w.kind === "audit") {
        if (stored.exists) return;
        batch.set(w.ref, w.data);
      } else if (w.kind === "upsert") {
        if (stored.exists && canonicalJson(stored.data()) === canonicalJson(w.data)) return;
        batch.set(w.ref, w.data);
      } else {
        if (!stored.exists) return;
        batch.delete(w.ref);
      }
      count += 1;
    });
    if (count === 0) return { count: 0, saved: false };
    let saved = false;
    if (mark !== null) {
      const head = snaps.get(mark.ref.path);
      const chunks = head?.exists ? head.get("chunks") : undefined;
      if (mark.bytes !== null && (typeof chunks !== "number" || chunks <= 1)) {
        batch.set(mark.ref, { unitId: mark.unitId, stale: false, chunks: 1, bytes: mark.bytes });
        saved = true;
      } else batch.set(mark.ref, { unitId: mark.unitId, stale: true }, { merge: true });
      count += 1;
    }
    await batch.commit();
    return { count, saved };
  }

  async loadUnitSnapshots(campaignId: string): Promise<Map<string, Uint8Array | null>> {
    const heads = await this.#db.collection(this.#paths.snapshots(campaignId)).get();
    const chunks = await this.#getAll(heads.docs.flatMap((head) => this.#chunkRefs(head)));
    const out = new Map<string, Uint8Array | null>();
    for (const head of heads.docs) {
      const unitId = head.get("unitId");
      if (typeof unitId === "string") out.set(unitId, this.#assemble(head, chunks));
    }
    return out;
  }

  async saveUnitSnapshot(campaignId: string, unitId: string, snapshot: Uint8Array): Promise<number> {
    const ref = this.#db.doc(this.#paths.snapshot(campaignId, unitId));
    const head = await ref.get();
    let stored: Uint8Array | null = null;
    try {
      stored = this.#assemble(head, await this.#getAll(this.#chunkRefs(head)));
    } catch (error) {
      if (!(error instanceof DondocError)) throw error; // a missing chunk: written again below
    }
    if (stored !== null && Buffer.from(stored).equals(Buffer.from(snapshot))) return 0;
    const pieces: Buffer[] = [];
    for (let at = 0; at === 0 || at < snapshot.length; at += SNAPSHOT_CHUNK_BYTES) {
      pieces.push(Buffer.from(snapshot.subarray(at, at + SNAPSHOT_CHUNK_BYTES)));
    }
    const had = head.exists && typeof head.get("chunks") === "number" ? (head.get("chunks") as number) : 1;
    const batch = this.#db.batch();
    batch.set(ref, { unitId, stale: false, chunks: pieces.length, bytes: pieces[0]! });
    pieces.slice(1).forEach((bytes, i) => {
      batch.set(ref.collection(SNAPSHOT_CHUNKS).doc(String(i + 1)), { bytes });
    });
    for (let i = pieces.length; i < had; i++) batch.delete(ref.collection(SNAPSHOT_CHUNKS).doc(String(i)));
    await batch.commit();
    return pieces.length + Math.max(0, had - pieces.length);
  }

  /** The documents holding a snapshot's bytes past its head's; none for a stale or absent one. */
  #chunkRefs(head: DocumentSnapshot): DocumentReference[] {
    const count = head.exists && head.get("stale") !== true ? head.get("chunks") : undefined;
    if (typeof count !== "number") return [];
    return Array.from({ length: Math.max(0, count - 1) }, (_, i) =>
      head.ref.collection(SNAPSHOT_CHUNKS).doc(String(i + 1)),
    );
  }

  async #getAll(refs: DocumentReference[]): Promise<Map<string, DocumentSnapshot>> {
    const snaps = refs.length > 0 ? await this.#db.getAll(...refs) : [];
    return new Map(snaps.map((c) => [c.ref.path, c]));
  }

  /** A snapshot's bytes from its head and chunks (read by #chunkRefs); null when stale or absent. */
  #assemble(head: DocumentSnapshot, chunks: ReadonlyMap<string, DocumentSnapshot>): Uint8Array | null {
    const count = head.exists ? head.get("chunks") : undefined;
    const first: unknown = head.exists ? head.get("bytes") : undefined;
    if (head.get("stale") === true || typeof count !== "number" || !(first instanceof Uint8Array))
      return null;
    const parts = [first];
    for (const ref of this.#chunkRefs(head)) {
      const chunk = chunks.get(ref.path);
      const bytes: unknown = chunk?.exists ? chunk.get("bytes") : undefined;
      if (!(bytes instanceof Uint8Array)) {
        throw new DondocError("store-data-corrupt", `Thiếu phần ${ref.id} của tài liệu ${head.ref.path}.`, {
          path: head.ref.path,
        });
      }
      parts.push(bytes);
    }
    return parts.length === 1 ? new Uint8Array(first) : new Uint8Array(Buffer.concat(parts));
  }

  async loadAudit(campaignId: string, unitId: string): Promise<AuditRecord[]> {
    const snap = await this.#db
      .collection(this.#paths.audits(campaignId))
      .where("unitId", "==", unitId)
      .get();
    return snap.docs
      .map((d) => d.data() as AuditRecord)
      .sort((a, b) => byString<AuditRecord>((r) => r.at)(a, b) || byString<AuditRecord>((r) => r.id)(a, b));
  }

  async loadUnitStates(campaignId: string): Promise<UnitSyncState[]> {
    const snap = await this.#db.collection(this.#paths.units(campaignId)).get();
    const states = await Promise.all(snap.docs.map((d) => this.#readLarge(d)));
    return (states as unknown as UnitSyncState[]).sort(byString((s) => s.unitId));
  }

  async loadUnitState(campaignId: string, unitId: string): Promise<UnitSyncState | null> {
    const snap = await this.#db.doc(this.#paths.unit(campaignId, unitId)).get();
    return (await this.#readLarge(snap)) as unknown as UnitSyncState | null;
  }

  async saveUnitState(campaignId: string, state: UnitSyncState): Promise<number> {
    const ref = this.#db.doc(this.#paths.unit(campaignId, state.unitId));
    return this.#setIfChanged(ref, asDocument(state, `unit ${state.unitId}`), (d) => d);
  }

  async loadStandings(campaignId: string): Promise<Standings | null> {
    const snap = await this.#db.doc(this.#paths.standings(campaignId)).get();
    return (await this.#readLarge(snap)) as unknown as Standings | null;
  }

  async saveStandings(campaignId: string, standings: Standings): Promise<number> {
    const ref = this.#db.doc(this.#paths.standings(campaignId));
    return this.#setIfChanged(ref, asDocument(standings, "standings"), withoutAsOf);
  }

  async loadMeta<T>(campaignId: string, key: string): Promise<T | null> {
    const snap = await this.#db.doc(this.#paths.meta(campaignId, key)).get();
    const data = (await this.#readLarge(snap)) as { value?: T } | null;
    return (data?.value ?? null) as T | null;
  }

  async saveMeta(campaignId: string, key: string, value: unknown): Promise<number> {
    const ref = this.#db.doc(this.#paths.meta(campaignId, key));
    // An undefined value is stored as null: loadMeta answers null for both, so they are the same state.
    const data = { value: value === undefined ? null : toPlain(value, `meta ${key}`) };
    return this.#setIfChanged(ref, data, (d) => d);
  }

  /** The document's data, reassembled from its parts when it was too large to store inline. */
  async #readLarge(snap: DocumentSnapshot): Promise<{ [key: string]: Plain } | null> {
    if (!snap.exists) return null;
    const data = snap.data() as { [key: string]: Plain };
    const parts = data[PARTS_FIELD];
    if (typeof parts !== "number") {
      const { [PARTS_FIELD]: _cleared, ...inline } = data;
      return inline;
    }
    const partSnaps = parts > 0 ? await this.#db.getAll(...partRefs(snap.ref, 0, parts)) : [];
    const text = partSnaps
      .map((p) => {
        const chunk: unknown = p.get("text");
        if (!p.exists || typeof chunk !== "string") {
          throw new DondocError("store-data-corrupt", `Thiếu phần ${p.id} của tài liệu ${snap.ref.path}.`, {
            path: snap.ref.path,
          });
        }
        return chunk;
      })
      .join("");
    return JSON.parse(text) as { [key: string]: Plain };
  }

  /**
   * Writes `data` unless the stored document already says the same. A document whose JSON exceeds what
   * Firestore takes in one document (1 MiB; standings with every issue of a province, a unit's state after it
   * pasted thousands of bad rows) is stored as its JSON text in parts under `{doc}/parts/{i}`, main document
   * and parts in one commit. Returns the documents written.
   */
  async #setIfChanged(
    ref: DocumentReference,
    data: { [key: string]: Plain },
    comparable: (doc: Plain) => Plain,
  ): Promise<number> {
    const snap = await ref.get();
    const stored = await this.#readLarge(snap);
    if (stored !== null && canonicalJson(comparable(stored)) === canonicalJson(comparable(data))) return 0;

    const oldParts = snap.exists ? snap.get(PARTS_FIELD) : undefined;
    const hadParts = typeof oldParts === "number" ? oldParts : 0;
    const text = JSON.stringify(data);
    const chunks = Buffer.byteLength(text, "utf8") <= INLINE_LIMIT_BYTES ? null : splitText(text, PART_UNITS);
    const writes = 1 + (chunks?.length ?? 0) + Math.max(0, hadParts - (chunks?.length ?? 0));
    if (writes > MAX_BATCH_WRITES || text.length > MAX_COMMIT_UNITS) {
      throw new DondocError(
        "store-document-too-large",
        `Tài liệu ${ref.path} quá lớn để lưu (${Math.round(text.length / 1_000_000)} triệu ký tự).`,
        { path: ref.path, length: text.length },
      );
    }
    // The in-process emulator merges a set() into the stored fields instead of replacing them (real Firestore
    // replaces). Our documents keep a fixed set of top-level fields, so only the switch between the inline and
    // the parted form leaves fields behind: they are overwritten with null, which readers ignore.
    const previous = snap.exists ? Object.keys(snap.data() ?? {}) : [];
    const batch = this.#db.batch();
    if (chunks === null) {
      batch.set(ref, hadParts > 0 ? { ...data, [PARTS_FIELD]: null } : data);
    } else {
      const cleared = Object.fromEntries(previous.filter((k) => k !== PARTS_FIELD).map((k) => [k, null]));
      batch.set(ref, { ...cleared, [PARTS_FIELD]: chunks.length });
      chunks.forEach((chunk, i) => {
        batch.set(ref.collection(PARTS_COLLECTION).doc(String(i)), { text: chunk });
      });
    }
    for (const stale of partRefs(ref, chunks?.length ?? 0, hadParts)) batch.delete(stale);
    await batch.commit();
    return writes;
  }

  async claimOnce(campaignId: string, key: string, at: string): Promise<boolean> {
    try {
      // create() fails with ALREADY_EXISTS on the server when the key is taken: atomic without a transaction.
      await this.#db.doc(this.#paths.once(campaignId, key)).create({ key, at });
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code === ALREADY_EXISTS) return false;
      throw err;
    }
  }

  /**
   * create() is a commit with an exists=false precondition, decided by the server: of two concurrent claims
   * exactly one succeeds, on Firestore and on both emulators (the in-process one has no transaction isolation,
   * so a read-then-write transaction would not be exclusive there).
   */
  async claimLedger(record: LedgerRecord): Promise<{ record: LedgerRecord; created: boolean }> {
    const ref = this.#db.doc(this.#paths.ledger(record.campaignId, record.id));
    const data = asDocument(record, `ledger ${record.id}`);
    try {
      await ref.create(data);
      return { record: data as unknown as LedgerRecord, created: true };
    } catch (err) {
      if ((err as { code?: unknown }).code !== ALREADY_EXISTS) throw err;
    }
    const stored = await ref.get();
    if (!stored.exists) {
      // Ledger records are never deleted; a vanished one means someone edited the database by hand.
      throw new DondocError(
        "ledger-missing",
        `Bản ghi gửi thư ${record.id} vừa có đã biến mất khỏi kho dữ liệu.`,
        {
          campaignId: record.campaignId,
          id: record.id,
        },
      );
    }
    return { record: stored.data() as LedgerRecord, created: false };
  }

  async markLedgerSent(campaignId: string, id: string, sentAt: string): Promise<void> {
    const ref = this.#db.doc(this.#paths.ledger(campaignId, id));
    const stored = await ref.get();
    if (!stored.exists) {
      throw new DondocError("ledger-missing", `Không tìm thấy bản ghi gửi thư ${id}.`, { campaignId, id });
    }
    // A retried mark keeps the first time: that is when the message went.
    if ((stored.data() as LedgerRecord).state === "sent") return;
    await ref.update({ state: "sent", sentAt });
  }

  async loadLedger(campaignId: string): Promise<LedgerRecord[]> {
    const snap = await this.#db.collection(this.#paths.ledgers(campaignId)).get();
    return snap.docs.map((d) => d.data() as LedgerRecord).sort(byString((r) => r.id));
  }
}
