// The first sheet row of each citizen id, for the "same id as row N" check. A commune's sheet holds ten thousand
// ids, each a fresh string from the response: a Map would hash every one of them. A valid id is twelve digits,
// so its numeric value (below 10^12, exact in a double) identifies it, and an open-addressing table of those
// values needs no string hashing and allocates nothing per id.
import { CITIZEN_ID_LENGTH } from "./citizen-id.ts";
import { keepShapes } from "./shapes.ts";

const EMPTY = -1;

/** The numeric value of a 12-digit id; NaN for anything else. */
export function citizenIdValue(id: string): number {
  if (id.length !== CITIZEN_ID_LENGTH) return Number.NaN;
  let n = 0;
  for (let i = 0; i < CITIZEN_ID_LENGTH; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

/** The twelve digits whose value citizenIdValue gave (leading zeros included). */
export function citizenIdOfValue(value: number): string {
  return String(value).padStart(CITIZEN_ID_LENGTH, "0");
}

/** First row per citizen id, keyed by the id's value (citizenIdValue). */
export class FirstRowById {
  private keys: Float64Array;
  private rows: Int32Array;
  private mask: number;
  private size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(EMPTY);
    this.rows = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /** The row recorded for the id with this value, or -1 when none is. */
  rowOf(value: number): number {
    const keys = this.keys;
    for (let i = slotOf(value) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === value) return this.rows[i]!;
      if (k === EMPTY) return -1;
    }
  }

  /**
   * The value of the id of the last probe that found nothing (see addProbed), in a one-slot array so that a
   * caller can hand it on without boxing a double; it stays until the next probe.
   */
  readonly probed = new Float64Array(1);
  /** The free slot that probe found. */
  private probedSlot = -1;

  /**
   * rowOf(citizenIdValue(id)) in one pass over a 12-character id: -2 when it is not twelve digits, -1 when no
   * row is recorded for it. Nothing is recorded; addProbed(row) then records the id at once. The value stays in
   * this frame: a double returned from a call that is not inlined is boxed, a heap object per row.
   */
  probe(id: string): number {
    if (id.length !== CITIZEN_ID_LENGTH) return -2;
    let value = 0;
    for (let i = 0; i < CITIZEN_ID_LENGTH; i++) {
      const d = id.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -2;
      value = value * 10 + d;
    }
    const keys = this.keys;
    for (let i = slotOf(value) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === value) return this.rows[i]!;
      if (k === EMPTY) {
        this.probed[0] = value;
        this.probedSlot = i;
        return -1;
      }
    }
  }

  /** Records `row` for the id of the last probe, which found none; nothing may be added in between. */
  addProbed(row: number): void {
    const slot = this.probedSlot;
    if (slot < 0) throw new Error("FirstRowById: addProbed without a probe that found nothing");
    this.probedSlot = -1;
    if ((this.size + 1) * 2 > this.keys.length) {
      this.add(this.probed[0]!, row);
      return;
    }
    this.keys[slot] = this.probed[0]!;
    this.rows[slot] = row;
    this.size++;
  }

  /** Records `row` for the id with this value; the caller has checked it has none yet. */
  add(value: number, row: number): void {
    if (!(value >= 0)) throw new RangeError(`not a citizen id value: ${value}`);
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    this.probedSlot = -1;
    const keys = this.keys;
    let i = slotOf(value) & this.mask;
    while (keys[i] !== EMPTY) i = (i + 1) & this.mask;
    keys[i] = value;
    this.rows[i] = row;
    this.size++;
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.rows = new Int32Array(keys.length * 2);
    this.mask = this.keys.length - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.add(keys[i]!, rows[i]!);
  }
}

/** Mixes both halves of a value below 2^53 into a well-spread 32-bit slot number. */
function slotOf(value: number): number {
  const high = Math.floor(value / 4_294_967_296);
  const h = Math.imul((value >>> 0) ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

keepShapes(new FirstRowById(1));
