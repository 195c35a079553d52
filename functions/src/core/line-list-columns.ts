// One sheet's line-list entries as columns: what parseSheet reads, held without an object per entry. A province
// has a million entries; as objects each is ≈ 240 bytes of young heap (the entry, its stamp, hash and key) that
// the collector copies while the sheet's response tree is still live, and again while it is kept. Here an entry
// is a few slots of typed arrays and references to strings the sheet shares (dates, names, villages, masked ids).
// `entry(i)` makes the LineListEntry parseSheet returns; the standings read the columns themselves.
import type { LineListEntry } from "./model.ts";

/** A SerialStampReader's `iso`: the stamp text of a serial, as the reader read it. */
export type StampText = (serial: number) => string | null;

export class LineListColumns {
  readonly unitId: string;
  readonly firstSeenAt: string;
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
  date: string[];
  supporter: string[];
  residence: string[];
  provider: (string | null)[];
  idMasked: string[];
  /** HMAC of each entry's citizen id, filled by `setHashes` once the sheet is read. */
  idHash: string[] = [];
  /** The citizen ids waiting for their hash, in entry order; emptied by `setHashes`. */
  pendingIds: string[] = [];
  /** Stamp text of entries whose stamp was not a serial the fast path read (null: no stamp). */
  private readonly stampTexts = new Map<number, string | null>();
  private readonly stampText: StampText | null;
  private readonly tickRecords: Readonly<Record<string, boolean>>[] = [];

  constructor(init: {
    unitId: string;
    firstSeenAt: string;
    keyPrefix: string;
    indicatorKeys: readonly string[];
    /** Rows in the sheet: no more entries than that. */
    capacity: number;
    stampText: StampText | null;
  }) {
    this.unitId = init.unitId;
    this.firstSeenAt = init.firstSeenAt;
    this.keyPrefix = init.keyPrefix;
    this.indicatorKeys = init.indicatorKeys;
    this.stampText = init.stampText;
    const n = init.capacity;
    this.row = new Int32Array(n);
    this.enteredMs = new Float64Array(n);
    this.serial = new Float64Array(n);
    this.ticks = new Int32Array(n);
    this.date = new Array<string>(n);
    this.supporter = new Array<string>(n);
    this.residence = new Array<string>(n);
    this.provider = new Array<string | null>(n);
    this.idMasked = new Array<string>(n);
  }

  /** Appends an entry the fast path read; its stamp is a serial (NaN: no stamp) or, with `serial` NaN, none. */
  push(
    row: number,
    serial: number,
    enteredMs: number,
    date: string,
    supporter: string,
    residence: string,
    ticks: number,
    provider: string | null,
    idMasked: string,
    id: string,
  ): void {
    const i = this.length++;
    this.row[i] = row;
    this.serial[i] = serial;
    this.enteredMs[i] = enteredMs;
    this.date[i] = date;
    this.supporter[i] = supporter;
    this.residence[i] = residence;
    this.ticks[i] = ticks;
    this.provider[i] = provider;
    this.idMasked[i] = idMasked;
    this.pendingIds.push(id);
  }

  /** Appends an entry read some other way, with its stamp as text (null: none) and its epoch ms. */
  pushWithStamp(
    row: number,
    enteredAt: string | null,
    enteredMs: number,
    date: string,
    supporter: string,
    residence: string,
    ticks: number,
    provider: string | null,
    idMasked: string,
    id: string,
  ): void {
    this.stampTexts.set(this.length, enteredAt);
    this.push(row, Number.NaN, enteredMs, date, supporter, residence, ticks, provider, idMasked, id);
  }

  /** Sets every entry's hash: hashes[i] is the HMAC of pendingIds[i]. Trims the columns to their length. */
  setHashes(hashes: string[]): void {
    if (hashes.length !== this.length) throw new Error("LineListColumns: a hash for every entry");
    this.idHash = hashes;
    this.pendingIds = [];
    const n = this.length;
    this.row = this.row.subarray(0, n);
    this.enteredMs = this.enteredMs.subarray(0, n);
    this.serial = this.serial.subarray(0, n);
    this.ticks = this.ticks.subarray(0, n);
    for (const column of [this.date, this.supporter, this.residence, this.provider, this.idMasked]) {
      column.length = n;
    }
  }

  /** The stamp text of entry i as the reader read it; null when the row has none. */
  enteredAt(i: number): string | null {
    const serial = this.serial[i]!;
    if (!Number.isNaN(serial) && this.stampText !== null) return this.stampText(serial);
    return this.stampTexts.get(i) ?? null;
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
    const idHash = this.idHash[i]!;
    return {
      mode: "line-list",
      key: this.keyPrefix + idHash,
      unitId: this.unitId,
      row: this.row[i]!,
      enteredAt: this.enteredAt(i),
      firstSeenAt: this.firstSeenAt,
      idHash,
      idMasked: this.idMasked[i]!,
      date: this.date[i]!,
      supporter: this.supporter[i]!,
      residence: this.residence[i]!,
      indicators: this.indicators(this.ticks[i]!),
      provider: this.provider[i]!,
    };
  }

  entries(): LineListEntry[] {
    const out = new Array<LineListEntry>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.entry(i);
    return out;
  }
}
