// A unit's stored entries packed into one byte string: what the standings need of the unit, read back in one
// document instead of one document per entry.
//
// WHY. The standings count every entry of the campaign. A province holds a million line-list entries, and reading
// them as the store's documents costs a million billed Firestore reads and an object per entry each cycle,
// minutes of wall time for the Firestore client to decode. The sync already holds a unit's whole entry set when it
// writes the unit's changes (the stored entries plus the diff), so it writes this snapshot beside them, and the
// cycle reads one snapshot per unit. A snapshot is derived data: the store marks it stale in the same commit as
// any change to the unit's entries, and a stale or missing snapshot is rebuilt from the entries
// (app/standings-entries.ts), so it can never say something the entries do not.
//
// FORMAT (version 1), little-endian:
//   u32 header length h | header: UTF-8 JSON (Header below) | zero bytes up to a multiple of 8 |
//   Float64 enteredMs × n | Int32 row, ticks, dateAt, supporterAt, residenceAt, providerAt, maskCode,
//   firstSeenAt × n each | the id hashes, 32 bytes each × n
// Line-list entries of the usual shape are columns (LineListColumns, which the standings read without an object
// per entry); anything else (aggregate reports, a line-list entry whose key, hash or indicators do not fit the
// columns) is kept as it was stored, in the header. decode(encode(entries)) gives back every entry field for
// field (test/core/unit-snapshot.test.ts).
import { isIsoAtOffset } from "./cell-dates.ts";
import { maskCodeOf, maskedCitizenId } from "./citizen-id.ts";
import { isoMs } from "./dedupe.ts";
import { DondocError } from "./errors.ts";
import { LineListColumns } from "./line-list-columns.ts";
import type { Entry, LineListEntry } from "./model.ts";

const FORMAT = 1;
const INT_COLUMNS = 8;
const HASH_BYTES = 32;
/** Bytes an entry of the columns takes: its stamp's ms, eight 32-bit columns and its hash. */
const ENTRY_BYTES = 8 + 4 * INT_COLUMNS + HASH_BYTES;
/** Fields of a stored line-list entry; one with any other is kept whole. */
const LINE_LIST_FIELDS = 13;

interface Header {
  format: number;
  unitId: string;
  /** Entries kept whole, as stored. */
  entries: Entry[];
  keyPrefix: string;
  indicatorKeys: string[];
  /** Dates, supporters, villages, providers and first-seen times the columns point at. */
  texts: string[];
  length: number;
  /** Offset (minutes) the stamps' texts are made with from their ms; null when no entry has a stamp. */
  stampOffset: number | null;
  /** [entry, stamp text] where the text is not the one made from the ms (a hand-typed form, an unreadable one). */
  stamps: [number, string][];
  /** [entry, masked id] where the masked id has no mask code. */
  masks: [number, string][];
}

/** What a snapshot holds: the unit's entries, most as columns. */
export interface UnitEntries {
  unitId: string;
  /** Entries kept whole. */
  entries: Entry[];
  /** The line-list entries of the usual shape; null when there are none. */
  lineList: LineListColumns | null;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HEX = "0123456789abcdef";
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** hexValue of every character code below 128 (−1: not a lowercase hex digit). */
const HEX_VALUE = Int8Array.from({ length: 128 }, (_, code) => hexValue(code));

function isLowerHex64(s: string): boolean {
  if (s.length !== 64) return false;
  for (let i = 0; i < 64; i++) {
    const code = s.charCodeAt(i);
    if (code >= 128 || HEX_VALUE[code]! < 0) return false;
  }
  return true;
}

/** The stamp offset in minutes an ISO text ends with ("+07:00" → 420); null for "Z" or anything else. */
function offsetOf(iso: string): number | null {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === "-" ? -minutes : minutes;
}

/** Own enumerable keys of a plain object, counted without making their list (a unit has ten thousand entries). */
function ownKeyCount(o: object): number {
  let n = 0;
  for (const key in o) if (Object.hasOwn(o, key)) n += 1;
  return n;
}

/** The tick mask of an entry whose indicators are exactly `keys`; -1 otherwise. */
function maskOf(indicators: Readonly<Record<string, boolean>>, keys: readonly string[]): number {
  if (ownKeyCount(indicators) !== keys.length) return -1;
  let mask = 0;
  for (let k = 0; k < keys.length; k++) {
    const value = indicators[keys[k]!];
    if (typeof value !== "boolean" || !Object.hasOwn(indicators, keys[k]!)) return -1;
    if (value) mask |= 1 << k;
  }
  return mask;
}

function fitsColumns(e: Entry, unitId: string, keyPrefix: string): e is LineListEntry {
  return (
    e.mode === "line-list" &&
    ownKeyCount(e) === LINE_LIST_FIELDS &&
    e.unitId === unitId &&
    isLowerHex64(e.idHash) &&
    e.key.length === keyPrefix.length + 64 &&
    e.key.startsWith(keyPrefix) &&
    e.key.endsWith(e.idHash) &&
    Number.isInteger(e.row) &&
    e.row >= -0x8000_0000 &&
    e.row <= 0x7fff_ffff &&
    typeof e.date === "string" &&
    typeof e.supporter === "string" &&
    typeof e.residence === "string" &&
    (e.provider === null || typeof e.provider === "string") &&
    (e.enteredAt === null || typeof e.enteredAt === "string") &&
    typeof e.firstSeenAt === "string" &&
    typeof e.idMasked === "string" &&
    e.indicators !== null &&
    typeof e.indicators === "object"
  );
}

function hasIndicators(e: Entry): e is LineListEntry {
  return e.mode === "line-list" && e.indicators !== null && typeof e.indicators === "object";
}

/**
 * The indicator keys most line-list entries have (in the order the first of them lists them). Nearly always
 * the first entry's: the sheet reader writes every campaign indicator into every entry.
 */
function commonIndicatorKeys(entries: readonly Entry[]): string[] {
  const first = entries.find(hasIndicators);
  if (first === undefined) return [];
  const keys = Object.keys(first.indicators);
  let lineList = 0;
  let same = 0;
  for (const e of entries) {
    if (!hasIndicators(e)) continue;
    lineList += 1;
    if (maskOf(e.indicators, keys) >= 0) same += 1;
  }
  if (2 * same >= lineList) return keys;
  const seen = new Map<string, { keys: string[]; count: number }>();
  let best = { keys, count: same };
  for (const e of entries) {
    if (!hasIndicators(e)) continue;
    const own = Object.keys(e.indicators);
    const id = [...own].sort().join("\u0000");
    let set = seen.get(id);
    if (set === undefined) {
      set = { keys: own, count: 0 };
      seen.set(id, set);
    }
    set.count += 1;
    if (set.count > best.count) best = set;
  }
  return best.keys;
}

/** Packs one unit's entries (as the store holds them). */
export function encodeUnitSnapshot(unitId: string, entries: readonly Entry[]): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error("unit snapshots are little-endian");
  const keyPrefix = `${unitId}~`;
  const indicatorKeys = commonIndicatorKeys(entries);
  const columnar = indicatorKeys.length <= 30;
  const whole: Entry[] = [];
  const fit: LineListEntry[] = [];
  const fitMasks: number[] = [];
  for (const e of entries) {
    const mask = columnar && fitsColumns(e, unitId, keyPrefix) ? maskOf(e.indicators, indicatorKeys) : -1;
    if (mask >= 0) {
      fit.push(e as LineListEntry);
      fitMasks.push(mask);
    } else whole.push(e);
  }
  const n = fit.length;
  // In sheet order, which is nearly the order of the stamps: the standings sort each unit's times, and the
  // store's key order (by hash) would make that sort ≈ 0,5 s slower for a million entries. Ties keep the order
  // given (a stable sort).
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => fit[a]!.row - fit[b]!.row || a - b);
  const texts: string[] = [];
  const textIndexes = new Map<string, number>();
  const textIndex = (text: string) => {
    let index = textIndexes.get(text);
    if (index === undefined) {
      index = texts.length;
      texts.push(text);
      textIndexes.set(text, index);
    }
    return index;
  };
  const stampOffset = fit.find((e) => e.enteredAt !== null)?.enteredAt ?? undefined;
  const offset = stampOffset === undefined ? null : offsetOf(stampOffset);
  const stamps: [number, string][] = [];
  const masks: [number, string][] = [];
  const enteredMs = new Float64Array(n);
  const ints = Array.from({ length: INT_COLUMNS }, () => new Int32Array(n));
  const [row, ticks, dateAt, supporterAt, residenceAt, providerAt, maskCode, firstSeenAt] = ints as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  const hashes = new Uint8Array(n * HASH_BYTES);
  order.forEach((from, i) => {
    const e = fit[from]!;
    if (e.enteredAt === null) enteredMs[i] = Number.NaN;
    else {
      const ms = isoMs(e.enteredAt);
      enteredMs[i] = ms;
      if (offset === null || !isIsoAtOffset(e.enteredAt, ms, offset)) {
        stamps.push([i, e.enteredAt]);
      }
    }
    row[i] = e.row;
    ticks[i] = fitMasks[from]!;
    dateAt[i] = textIndex(e.date);
    supporterAt[i] = textIndex(e.supporter);
    residenceAt[i] = textIndex(e.residence);
    providerAt[i] = e.provider === null ? -1 : textIndex(e.provider);
    const code = maskCodeOf(e.idMasked);
    if (code >= 0 && maskedCitizenId(code) === e.idMasked) maskCode[i] = code;
    else {
      maskCode[i] = -1;
      masks.push([i, e.idMasked]);
    }
    firstSeenAt[i] = textIndex(e.firstSeenAt);
    const hash = e.idHash;
    for (let b = 0; b < HASH_BYTES; b++) {
      hashes[i * HASH_BYTES + b] =
        (HEX_VALUE[hash.charCodeAt(2 * b)]! << 4) | HEX_VALUE[hash.charCodeAt(2 * b + 1)]!;
    }
  });
  const header: Header = {
    format: FORMAT,
    unitId,
    entries: whole,
    keyPrefix,
    indicatorKeys,
    texts,
    length: n,
    stampOffset: offset,
    stamps,
    masks,
  };
  const headerBytes = utf8Encoder.encode(JSON.stringify(header));
  const columnsAt = align8(4 + headerBytes.length);
  const out = new Uint8Array(columnsAt + n * ENTRY_BYTES);
  new DataView(out.buffer).setUint32(0, headerBytes.length, true);
  out.set(headerBytes, 4);
  out.set(new Uint8Array(enteredMs.buffer), columnsAt);
  let at = columnsAt + 8 * n;
  for (const column of ints) {
    out.set(new Uint8Array(column.buffer), at);
    at += 4 * n;
  }
  out.set(hashes, at);
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

function corrupt(detail: string): DondocError {
  return new DondocError("store-data-corrupt", `Bản tổng hợp dữ liệu của một đơn vị bị hỏng (${detail}).`, {
    detail,
  });
}

/** Reads a snapshot back; entry(i) of its columns and its whole entries are the entries it was made from. */
export function decodeUnitSnapshot(bytes: Uint8Array): UnitEntries {
  if (!LITTLE_ENDIAN) throw new Error("unit snapshots are little-endian");
  if (bytes.length < 4) throw corrupt("too short");
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + headerLength > bytes.length) throw corrupt("header past the end");
  let header: Header;
  try {
    header = JSON.parse(utf8Decoder.decode(bytes.subarray(4, 4 + headerLength))) as Header;
  } catch {
    throw corrupt("header unreadable");
  }
  if (header.format !== FORMAT) throw corrupt(`format ${String(header.format)}`);
  const n = header.length;
  const columnsAt = align8(4 + headerLength);
  if (!Number.isInteger(n) || n < 0 || bytes.length !== columnsAt + n * ENTRY_BYTES) throw corrupt("length");
  if (n === 0) return { unitId: header.unitId, entries: header.entries, lineList: null };
  // One aligned copy of the columns; every column is a view of it.
  const buffer = bytes.slice(columnsAt).buffer;
  const columns = new LineListColumns({
    unitId: header.unitId,
    firstSeenAt: header.texts[0] ?? "",
    keyPrefix: header.keyPrefix,
    indicatorKeys: header.indicatorKeys,
    capacity: 0,
    stamps: null,
  });
  for (const text of header.texts) columns.texts.push(text);
  columns.length = n;
  columns.enteredMs = new Float64Array(buffer, 0, n);
  columns.serial = new Float64Array(n).fill(Number.NaN);
  const int = (k: number) => new Int32Array(buffer, 8 * n + 4 * n * k, n);
  columns.row = int(0);
  columns.ticks = int(1);
  columns.dateAt = int(2);
  columns.supporterAt = int(3);
  columns.residenceAt = int(4);
  columns.providerAt = int(5);
  columns.maskCode = int(6);
  columns.firstSeenAtIndex = int(7);
  columns.stampOffsetMinutes = header.stampOffset;
  for (const [i, text] of header.stamps) columns.stampTexts.set(i, text);
  for (const [i, masked] of header.masks) columns.oddMasks.set(i, masked);
  const hashes = new Uint8Array(buffer, (8 + 4 * INT_COLUMNS) * n, HASH_BYTES * n);
  const digits = new Uint8Array(64 * n);
  for (let b = 0; b < hashes.length; b++) {
    const byte = hashes[b]!;
    digits[2 * b] = HEX.charCodeAt(byte >>> 4);
    digits[2 * b + 1] = HEX.charCodeAt(byte & 15);
  }
  columns.setHashes(utf8Decoder.decode(digits));
  return { unitId: header.unitId, entries: header.entries, lineList: columns };
}
