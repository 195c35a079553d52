// An in-memory Store with the Firestore store's semantics, for app-level tests that need no emulator:
// - documents go through the same plain-JSON conversion as FirestoreStore (toPlain: undefined dropped, Dates as
//   ISO strings, anything else non-plain refused), so what is read back is what Firestore would give back, and a
//   caller mutating what it passed or got changes nothing stored;
// - every write is keyed, and methods return the documents actually changed (compared as canonical JSON, standings
//   ignoring asOf), so a retried or unchanged write returns 0;
// - claimLedger is create-if-absent, atomic with respect to concurrent callers (nothing awaits between the lookup
//   and the insert, as Firestore's create() precondition is decided by the server);
// - markLedgerSent on a missing record fails; on a sent one it keeps the first sentAt;
// - a change to a unit's entries saves the snapshot given with it or marks the stored one stale, as
//   FirestoreStore's first commit does.
import { canonicalJson, toPlain } from "../../functions/src/adapters/firestore/store.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import type { AuditRecord, Entry, LedgerRecord, UnitSyncState } from "../../functions/src/core/model.ts";
import type { Store, UnitWrite } from "../../functions/src/core/ports.ts";
import type { Standings } from "../../schemas/index.ts";

interface CampaignData {
  entries: Map<string, Entry>;
  audit: Map<string, AuditRecord>;
  states: Map<string, UnitSyncState>;
  standings: Standings | null;
  meta: Map<string, unknown>;
  ledger: Map<string, LedgerRecord>;
  once: Map<string, string>;
  /** Unit snapshots; null: stale. */
  snapshots: Map<string, Uint8Array | null>;
}

/** Equality as FirestoreStore decides "unchanged": canonical JSON of the plain documents. */
export function sameDocument(a: unknown, b: unknown): boolean {
  return canonicalJson(toPlain(a)) === canonicalJson(toPlain(b));
}

/** A stored (or returned) copy, exactly as a Firestore round trip would give it. */
const copy = <T>(v: T): T => toPlain(v) as T;

export class MemoryStore implements Store {
  readonly #campaigns = new Map<string, CampaignData>();
  /** Documents written since construction (for "writes nothing" assertions across several calls). */
  writes = 0;

  #data(campaignId: string): CampaignData {
    let d = this.#campaigns.get(campaignId);
    if (!d) {
      d = {
        entries: new Map(),
        audit: new Map(),
        states: new Map(),
        standings: null,
        meta: new Map(),
        ledger: new Map(),
        once: new Map(),
        snapshots: new Map(),
      };
      this.#campaigns.set(campaignId, d);
    }
    return d;
  }

  #count(n: number): number {
    this.writes += n;
    return n;
  }

  async loadUnitEntries(campaignId: string, unitId: string): Promise<Entry[]> {
    return [...this.#data(campaignId).entries.values()]
      .filter((e) => e.unitId === unitId)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(copy);
  }

  async loadCampaignEntries(campaignId: string): Promise<Entry[]> {
    return [...this.#data(campaignId).entries.values()]
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(copy);
  }

  async applyUnitChanges(campaignId: string, write: UnitWrite): Promise<number> {
    const d = this.#data(campaignId);
    let n = 0;
    for (const e of write.changes.upserts) {
      const stored = d.entries.get(e.key);
      if (stored && sameDocument(stored, e)) continue;
      d.entries.set(e.key, copy(e));
      n += 1;
    }
    for (const key of write.changes.deletes) {
      if (d.entries.delete(key)) n += 1;
    }
    for (const a of write.audit) {
      if (d.audit.has(a.id)) continue;
      d.audit.set(a.id, copy(a));
      n += 1;
    }
    // As FirestoreStore: a change saves the snapshot given with it, or marks the unit's snapshot stale (one more
    // document written either way). Firestore may also write both, when the change takes several commits.
    if (n > 0 && !write.snapshot) {
      d.snapshots.set(write.changes.unitId, null);
      n += 1;
    }
    this.#count(n);
    if (write.snapshot) n += await this.saveUnitSnapshot(campaignId, write.changes.unitId, write.snapshot);
    return n;
  }

  async loadUnitSnapshots(campaignId: string): Promise<Map<string, Uint8Array | null>> {
    const out = new Map<string, Uint8Array | null>();
    for (const [unitId, bytes] of this.#data(campaignId).snapshots)
      out.set(unitId, bytes === null ? null : bytes.slice());
    return out;
  }

  async saveUnitSnapshot(campaignId: string, unitId: string, snapshot: Uint8Array): Promise<number> {
    const d = this.#data(campaignId);
    const stored = d.snapshots.get(unitId);
    if (stored && Buffer.from(stored).equals(Buffer.from(snapshot))) return 0;
    d.snapshots.set(unitId, snapshot.slice());
    return this.#count(1);
  }

  async loadAudit(campaignId: string, unitId: string): Promise<AuditRecord[]> {
    return [...this.#data(campaignId).audit.values()]
      .filter((a) => a.unitId === unitId)
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async loadUnitStates(campaignId: string): Promise<UnitSyncState[]> {
    return [...this.#data(campaignId).states.values()]
      .sort((a, b) => (a.unitId < b.unitId ? -1 : 1))
      .map(copy);
  }

  async loadUnitState(campaignId: string, unitId: string): Promise<UnitSyncState | null> {
    const state = this.#data(campaignId).states.get(unitId);
    return state ? copy(state) : null;
  }

  async saveUnitState(campaignId: string, state: UnitSyncState): Promise<number> {
    const d = this.#data(campaignId);
    const stored = d.states.get(state.unitId);
    if (stored && sameDocument(stored, state)) return 0;
    d.states.set(state.unitId, copy(state));
    return this.#count(1);
  }

  async loadStandings(campaignId: string): Promise<Standings | null> {
    const s = this.#data(campaignId).standings;
    return s ? copy(s) : null;
  }

  async saveStandings(campaignId: string, standings: Standings): Promise<number> {
    const d = this.#data(campaignId);
    const { asOf: _a, asOfDate: _d, ...rest } = standings;
    if (d.standings) {
      const { asOf: _sa, asOfDate: _sd, ...storedRest } = d.standings;
      if (sameDocument(storedRest, rest)) return 0;
    }
    d.standings = copy(standings);
    return this.#count(1);
  }

  async loadMeta<T>(campaignId: string, key: string): Promise<T | null> {
    const d = this.#data(campaignId);
    return d.meta.has(key) ? (copy(d.meta.get(key)) as T) : null;
  }

  async saveMeta(campaignId: string, key: string, value: unknown): Promise<number> {
    const d = this.#data(campaignId);
    if (d.meta.has(key) && sameDocument(d.meta.get(key), value)) return 0;
    d.meta.set(key, copy(value));
    return this.#count(1);
  }

  async claimOnce(campaignId: string, key: string, at: string): Promise<boolean> {
    const d = this.#data(campaignId);
    if (d.once.has(key)) return false;
    d.once.set(key, at);
    this.#count(1);
    return true;
  }

  async claimLedger(record: LedgerRecord): Promise<{ record: LedgerRecord; created: boolean }> {
    const d = this.#data(record.campaignId);
    const existing = d.ledger.get(record.id);
    if (existing) return { record: copy(existing), created: false };
    d.ledger.set(record.id, copy(record));
    this.#count(1);
    return { record: copy(record), created: true };
  }

  async markLedgerSent(campaignId: string, id: string, sentAt: string): Promise<void> {
    const d = this.#data(campaignId);
    const existing = d.ledger.get(id);
    if (!existing) {
      throw new DondocError("ledger-missing", `Không tìm thấy bản ghi gửi thư ${id}.`, { campaignId, id });
    }
    // A retried mark keeps the first time: that is when the message went.
    if (existing.state === "sent") return;
    d.ledger.set(id, { ...existing, state: "sent", sentAt });
    this.#count(1);
  }

  async loadLedger(campaignId: string): Promise<LedgerRecord[]> {
    return [...this.#data(campaignId).ledger.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(copy);
  }
}
