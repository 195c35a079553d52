// One sheet's line-list entries as columns: what parseSheet reads, held without an object per entry. A province
// has a million entries; as objects each is ≈ 240 bytes of young heap (the entry, its stamp, hash and key) that
// the collector copies while the sheet's response tree is still live, and again while it is kept. Here an entry
// is a few slots of typed arrays: numbers, and indexes into a table of the texts the sheet shares (dates, names,
// villages). `entry(i)` makes the LineListEntry parseSheet returns; the standings read the columns themselves.
import { isoAtOffset, type SerialStampReader } from "./cell-dates.ts";
import { maskCitizenId, maskCodeOf, maskedCitizenId } from "./citizen-id.ts";
import { idHashCodeAt } from "./id-hash-code.ts";
import { citizenIdOfValue, citizenIdValue } from "./id-rows.ts";
import type { LineListEntry } from "./model.ts";
import { keepShapes } from "./shapes.ts";

/** A fixed-offset zone's serial stamps: their text and epoch ms. */
export type SerialStamps = Pick<SerialStampReader, "iso" | "msOf">;

export class LineListColumns {
  readonly unitId: string;
  /** When the server first saw the entries: one time for a sheet just read (see firstSeenAtIndex). */
  readonly firstSeenAt: string;
  /**
   * Columns read back from the store (core/unit-snapshot.ts) hold entries first seen at different syncs: entry
   * i's time is then texts[firstSeenAtIndex[i]]. Null: every entry's is `firstSeenAt`.
   */
  firstSeenAtIndex: Int32Array | null = null;
  /**
   * Columns read back from the store keep a stamp as its epoch ms: its text is isoAtOffset(ms, this offset),
   * unless `stampTexts` holds the text as it was stored. Null: a stamp's text is made from its serial.
   */
  stampOffsetMinutes: number | null = null;
  /** Prefix of every entry's key: the key is prefix + id hash. */
  readonly keyPrefix: string;
  /** Campaign indicator keys, in campaign order: bit k of a tick mask is indicatorKeys[k]. */
  readonly indicatorKeys: readonly string[];
  length = 0;
  /** 1-based sheet row. */
  row: Int32Array;
  /** The stamp's epoch ms; NaN when the row has no stamp (the entry then counts from firstSeenAt). */
  enteredMs: Float64Array;
  /** The stamp's serial number when the fast path read it (its text is made again from it); NaN otherwise. */
  serial: Float64Array;
  /** Tick masks by campaign indicator order. */
  ticks: Int32Array;
  /**
   * The texts of each entry as indexes into `texts`: date, supporter, residence, provider (−1: none). A sheet has
   * a few dozen dates, a few hundred names and a handful of villages and providers; indexes in typed arrays are
   * nothing for the collector to copy or mark, where a million references are (its pauses: ≈ 0,1 s a run of the
   * province).
   */
  dateAt: Int32Array;
  supporterAt: Int32Array;
  residenceAt: Int32Array;
  providerAt: Int32Array;
  /** The visible digits of the citizen id (first three, last two) as a number: maskedCitizenId(code). */
  maskCode: Int32Array;
  readonly texts: string[] = [];
  private readonly textIndexes = new Map<string, number>();
  /**
   * The HMACs of the entries' citizen ids, concatenated in entry order (set by `setHashes` once the sheet is
   * read): entry i's is hashText[hashAt[i], hashAt[i + 1]). One string, not a million.
   */
  hashText = "";
  hashAt: Int32Array = new Int32Array(1);
  /** idHashCode of each entry's hash (the dedupe sorts these). */
  codes: Int32Array = new Int32Array(0);
  /**
   * The citizen ids waiting for their hash, in entry order (the first `length`), as the value of their twelve
   * digits (`citizenIdValue`); NaN for an id that is not twelve digits, which `oddIds` then holds. Read while
   * the row is at hand: the hasher packs its messages from these numbers and never goes back to the id strings,
   * which by the end of a sheet have left the processor's caches (a second miss per id, ≈ 0,1 s a province).
   * Dropped by `setHashes`.
   */
  private pendingValues: Float64Array;
  private readonly oddIds = new Map<number, string>();
  private readonly idValue = new Float64Array(1);
  /** Stamp text of entries whose stamp was not a serial the fast path read (null: no stamp). */
  readonly stampTexts = new Map<number, string | null>();
  /** Masked ids of entries whose id has no mask code (not twelve digits: never from a sheet's valid row). */
  readonly oddMasks = new Map<number, string>();
  private readonly stamps: SerialStamps | null;
  private readonly tickRecords: Readonly<Record<string, boolean>>[] = [];

  constructor(init: {
    unitId: string;
    firstSeenAt: string;
    keyPrefix: string;
    indicatorKeys: readonly string[];
    /** Rows in the sheet: no more entries than that. */
    capacity: number;
    /** How the fast path read serial stamps; null when it does not (a zone without a fixed offset). */
    stamps: SerialStamps | null;
  }) {
    // Ticks are the bits of one 32-bit integer; the campaign schema allows at most 30 indicators.
    if (init.indicatorKeys.length > 30) throw new Error("LineListColumns: more than 30 indicators");
    this.unitId = init.unitId;
    this.firstSeenAt = init.firstSeenAt;
    this.keyPrefix = init.keyPrefix;
    this.indicatorKeys = init.indicatorKeys;
    this.stamps = init.stamps;
    const n = init.capacity;
    this.row = new Int32Array(n);
    this.enteredMs = new Float64Array(n);
    this.serial = new Float64Array(n);
    this.ticks = new Int32Array(n);
    this.dateAt = new Int32Array(n);
    this.supporterAt = new Int32Array(n);
    this.residenceAt = new Int32Array(n);
    this.providerAt = new Int32Array(n);
    this.maskCode = new Int32Array(n);
    this.pendingValues = new Float64Array(n);
  }

  private sealed = false;

  /** The index of a text in `texts`, added when new. */
  textIndex(text: string): number {
    let index = this.textIndexes.get(text);
    if (index === undefined) {
      index = this.texts.length;
      this.texts.push(text);
      this.textIndexes.set(text, index);
    }
    return index;
  }

  /**
   * Appends an entry the fast path read, its stamp a serial (null: none) that `stamps` reads. The stamp is passed
   * as the cell holds it, and its ms read here: a double computed by the caller would be boxed, a heap object
   * per row, on its way into a call that is not inlined. For the same reason the id's value (citizenIdValue,
   * which the caller's id check computed; NaN for an id that is not twelve digits) comes in idValue[0].
   */
  push(
    row: number,
    stamp: number | null,
    date: number,
    supporter: number,
    residence: number,
    ticks: number,
    provider: number,
    id: string,
    idValue: Float64Array,
  ): void {
    if (this.sealed) throw new Error("LineListColumns: an entry after the hashes");
    const code = maskCodeOf(id);
    const value = idValue[0]!;
    // The hash will be made from the value alone: a value that is not this id's would file the citizen under
    // another's hash. Its visible digits must be the id's.
    if (!Number.isNaN(value) && code !== Math.floor(value / 1e9) * 100 + (value % 100))
      throw new Error("LineListColumns: the id's value is not the id's");
    const i = this.length++;
    this.row[i] = row;
    this.ticks[i] = ticks;
    this.dateAt[i] = date;
    this.supporterAt[i] = supporter;
    this.residenceAt[i] = residence;
    this.providerAt[i] = provider;
    this.maskCode[i] = code;
    if (code < 0) this.oddMasks.set(i, maskCitizenId(id));
    this.pendingValues[i] = value;
    if (Number.isNaN(value)) this.oddIds.set(i, id);
    if (stamp === null) {
      this.serial[i] = Number.NaN;
      this.enteredMs[i] = Number.NaN;
    } else {
      this.serial[i] = stamp;
      this.enteredMs[i] = this.stamps === null ? Number.NaN : this.stamps.msOf(stamp);
    }
  }

  /** push, with the stamp as text (null: none) and its epoch ms rather than a serial. */
  pushStamped(
    row: number,
    enteredAt: string | null,
    enteredMs: number,
    date: number,
    supporter: number,
    residence: number,
    ticks: number,
    provider: number,
    id: string,
    idValue: Float64Array,
  ): void {
    const i = this.length;
    this.push(row, null, date, supporter, residence, ticks, provider, id, idValue);
    this.stampTexts.set(i, enteredAt);
    this.enteredMs[i] = enteredMs;
  }

  /** pushStamped with the entry's texts rather than their indexes (the full reader's rows). */
  pushWithStamp(
    row: number,
    enteredAt: string | null,
    enteredMs: number,
    date: string,
    supporter: string,
    residence: string,
    ticks: number,
    provider: string | null,
    id: string,
  ): void {
    const at = (text: string) => this.textIndex(text);
    const providerAt = provider === null ? -1 : at(provider);
    this.idValue[0] = citizenIdValue(id);
    this.pushStamped(
      row,
      enteredAt,
      enteredMs,
      at(date),
      at(supporter),
      at(residence),
      ticks,
      providerAt,
      id,
      this.idValue,
    );
  }

  /** The citizen ids of the entries so far, in entry order, to hash. */
  idsToHash(): string[] {
    const ids = new Array<string>(this.length);
    for (let i = 0; i < this.length; i++) {
      const value = this.pendingValues[i]!;
      ids[i] = Number.isNaN(value) ? this.oddIds.get(i)! : citizenIdOfValue(value);
    }
    return ids;
  }

  /**
   * The same ids as their values (values[i] is the value of entry i's twelve digits), when every one is twelve
   * digits; null otherwise.
   */
  idValuesToHash(): Float64Array | null {
    return this.oddIds.size === 0 ? this.pendingValues.subarray(0, this.length) : null;
  }

  /**
   * Sets every entry's hash: hashes[i], or the i-th 64 digits of `hashes` given as one text, is the HMAC of
   * idsToHash()[i]. The columns take no entry after this.
   */
  setHashes(hashes: readonly string[] | string): void {
    const n = this.length;
    const at = new Int32Array(n + 1);
    if (typeof hashes === "string") {
      if (hashes.length !== 64 * n) throw new Error("LineListColumns: 64 hex digits for every entry");
      for (let i = 0; i <= n; i++) at[i] = 64 * i;
      this.hashText = hashes;
    } else {
      if (hashes.length !== n) throw new Error("LineListColumns: a hash for every entry");
      for (let i = 0; i < n; i++) at[i + 1] = at[i]! + hashes[i]!.length;
      this.hashText = hashes.join("");
    }
    this.hashAt = at;
    const codes = new Int32Array(n);
    const text = this.hashText;
    for (let i = 0; i < n; i++) codes[i] = idHashCodeAt(text, at[i]!, at[i + 1]!);
    this.codes = codes;
    this.pendingValues = new Float64Array(0);
    this.oddIds.clear();
    this.sealed = true;
  }

  /** The day entry i's citizen was helped, YYYY-MM-DD. */
  date(i: number): string {
    return this.texts[this.dateAt[i]!]!;
  }

  idMasked(i: number): string {
    const code = this.maskCode[i]!;
    return code >= 0 ? maskedCitizenId(code) : (this.oddMasks.get(i) ?? "");
  }

  /** The id hash of entry i. */
  idHash(i: number): string {
    return this.hashText.slice(this.hashAt[i]!, this.hashAt[i + 1]!);
  }

  /** The stamp text of entry i as the reader read it; null when the row has none. */
  enteredAt(i: number): string | null {
    const serial = this.serial[i]!;
    if (!Number.isNaN(serial) && this.stamps !== null) return this.stamps.iso(serial);
    const text = this.stampTexts.get(i);
    if (text !== undefined || this.stampOffsetMinutes === null) return text ?? null;
    const ms = this.enteredMs[i]!;
    return Number.isNaN(ms) ? null : isoAtOffset(ms, this.stampOffsetMinutes);
  }

  /** When the server first saw entry i, ISO. */
  firstSeen(i: number): string {
    const at = this.firstSeenAtIndex;
    return at === null ? this.firstSeenAt : this.texts[at[i]!]!;
  }

  /** The shared, frozen indicators record of a tick mask. */
  indicators(mask: number): Readonly<Record<string, boolean>> {
    let record = this.tickRecords[mask];
    if (record === undefined) {
      const fresh: Record<string, boolean> = {};
      this.indicatorKeys.forEach((key, k) => {
        fresh[key] = (mask & (1 << k)) !== 0;
      });
      record = Object.freeze(fresh);
      this.tickRecords[mask] = record;
    }
    return record;
  }

  /** Entry i as an object, as parseSheet returns it. */
  entry(i: number): LineListEntry {
    const idHash = this.idHash(i);
    return {
      mode: "line-list",
      key: this.keyPrefix + idHash,
      unitId: this.unitId,
      row: this.row[i]!,
      enteredAt: this.enteredAt(i),
      firstSeenAt: this.firstSeen(i),
      idHash,
      idMasked: this.idMasked(i),
      date: this.date(i),
      supporter: this.texts[this.supporterAt[i]!]!,
      residence: this.texts[this.residenceAt[i]!]!,
      indicators: this.indicators(this.ticks[i]!),
      provider: this.providerAt[i] === -1 ? null : this.texts[this.providerAt[i]!]!,
    };
  }

  entries(): LineListEntry[] {
    const out = new Array<LineListEntry>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.entry(i);
    return out;
  }
}

keepShapes(
  new LineListColumns({
    unitId: "",
    firstSeenAt: "",
    keyPrefix: "",
    indicatorKeys: [],
    capacity: 0,
    stamps: null,
  }),
);
