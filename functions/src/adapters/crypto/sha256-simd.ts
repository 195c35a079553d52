// HMAC-SHA256 of many short messages at once, four at a time in the lanes of WebAssembly SIMD vectors.
//
// WHY. A province hashes a million 12-digit citizen ids (makeIdHasher: the HMAC of "citizen-id:" + id under
// one secret). The pure-TypeScript createHmacSha256(...).hex() costs about 1.05 µs an id on the 2-core bench
// machine: ~0.7 µs for its two compressions, the rest for the hex string. Here each 128-bit vector holds the
// same 32-bit word of four messages, so the 2 × 64 rounds of four HMACs cost about what one costs in scalar
// code, and the hex digits are made in the same pass. Measured with bench/hmac-simd.ts (a million ids, ns per
// id, the best of three on the noisy 2-core machine), results used once and dropped: pure TypeScript
// ~1040-1180, this ~460-490 (2.2-2.4×). Of those ~470: the module ~235 — bound by the vector ALUs, ~50 SIMD
// instructions a round, half of them the shift, shift, or of a rotation (SIMD128 has no rotate) — reading
// each id's characters into the blocks ~60, and making the strings. Until session 5 those were flat strings
// from a JSON.parse of each chunk's records (~150; a C++ call per string, latin1Slice or TextDecoder, costs
// ~200; String.fromCharCode of 64 arguments ~250). Now every hash of a batch is a slice of one string: the
// digits of the whole batch decoded once, then a 32-byte SlicedString per hash instead of an 80-byte flat
// string and 67 bytes of JSON text. bench/hmac-simd.ts, used once: ~380 against ~460; kept in a million-long
// array: the same (~650); put in a Map and found again: ~1050 against ~840, since a slice hashes and compares
// through its parent (the core keys no Map by the hash; the sync's diff keys a sheet's entries by key). In the
// province benchmark, where each sheet's young garbage decides how often the collector copies the sheet's
// still-live response tree, the slices made the pipeline ~0.2-0.4 s faster over three alternating pairs (GC
// pauses ~0.1 s less). A slice pins its parent: the hashes of a batch live and die together (a sheet's).
//
// HOW. The module is written out byte by byte below (a small encoder: sections, LEB128, the opcodes used),
// compiled synchronously once per process on first use. It exports `run(groups)` and its memory:
//
//   [0, 32)        inner midstate: 8 words, the key ^ ipad block compressed; JS writes it before each batch
//   [32, 64)       outer midstate (key ^ opad)
//   [64, 96)       "0123456789abcdef" and a 0x0f byte mask, for the hex (data segment)
//   [1024, 2048)   the 64 round constants, each splatted over four lanes (data segment)
//   [2048, 3072)   the inner message schedule W[0..63] of the current group, one v128 (four lanes) a word
//   [3072, 4096)   the outer schedule; its words 8..15, the padding of a 96-byte message, are constants
//                  (data segment)
//   INPUT ..       CHUNK padded one-block inner messages, four by four interleaved: word t of lane l of
//                  group g (message 4g + l of the chunk) is the i32 at INPUT + 256g + 16t + 4l, so one
//                  `v128.load` of INPUT + 256g + 16t is word t of all four. JS writes these words (big-endian
//                  values).
//   OUTPUT ..      the 64 hex digits of each message of the chunk, back to back (message s at OUTPUT + 64s).
//                  JS copies them out after each chunk, and makes every hash of a batch a slice of one string.
//
// Per group, `run` copies the four inner blocks into the schedule, extends it to 64 words (a loop), splats
// the inner midstate into the eight working vectors and runs the rounds: a loop of eight rounds per pass,
// unrolled by the generator, the working variables' names rotating instead of moving; Ch is a v128.bitselect,
// Maj is b ^ ((a ^ b) & (b ^ c)) with b ^ c carried from the previous round, and a rotation is shr_u | shl.
// Then the midstate is added back, and the inner digest is words 0..7 of the outer block; the outer schedule
// and rounds run from the outer midstate. Last the hex: nibbles split with a shift and a mask, put in digit
// order with i8x16.shuffle, turned to characters with i8x16.swizzle over "0123456789abcdef", 16 bytes stored
// at a time. A chunk whose count is not a multiple of four leaves the last lanes to whatever is in them, and
// ignores them.
//
// The 64 rounds were first fully unrolled with the schedule in locals and the outer block's constant words
// folded in (a 34 kB module, ~50 ms to generate at first use): no faster, the vector ALUs being the limit
// either way, so this looped one (6 kB, ~15-30 ms the first time) stayed.
//
// Messages that do not fit in one block with the prefix (prefix + message > 55 bytes) or are not ASCII are
// answered by the pure-TypeScript createHmacSha256, as is everything when WebAssembly SIMD is unavailable.
// Output is byte-identical to node:crypto (test/adapters/crypto-sha256-simd.test.ts).
import { citizenIdOfValue } from "../../core/id-rows.ts";
import { createHmacSha256, packPrefix, sha256 } from "./sha256.ts";

// ---------- SHA-256 constants and one scalar compression (FIPS 180-4) ----------

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
].map((k) => k | 0);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const BLOCK = 64;
/** Longest input (prefix + message, in bytes) whose padding still fits in its one block. */
const ONE_BLOCK_TAIL = 55;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/**
 * One compression, the textbook loop; it makes only the two key midstates, once per instance. `w` holds the
 * block's 16 big-endian words.
 */
function compressScalar(state: readonly number[], w: readonly number[]): number[] {
  const W = w.slice(0, 16);
  for (let r = 16; r < 64; r++) {
    const w2 = W[r - 2]!;
    const w15 = W[r - 15]!;
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    W[r] = (s1 + W[r - 7]! + s0 + W[r - 16]!) | 0;
  }
  let [a, b, c, d, e, f, g, h] = state as [number, number, number, number, number, number, number, number];
  for (let r = 0; r < 64; r++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[r]! + W[r]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  return [a, b, c, d, e, f, g, h].map((v, i) => (v + state[i]!) | 0);
}

// ---------- a small WebAssembly encoder ----------

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>>= 7;
    if (n === 0) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** Signed LEB128 of an i32. */
function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A vector: the count in LEB128, then the items' bytes one after another. */
function vec(items: readonly (readonly number[])[]): number[] {
  const out = uleb(items.length);
  for (const item of items) for (const byte of item) out.push(byte);
  return out;
}

/** A byte vector (names, data): the length, then the bytes. */
const bytesVec = (bytes: readonly number[]): number[] => [...uleb(bytes.length), ...bytes];

function section(id: number, body: readonly number[]): number[] {
  return [id, ...bytesVec(body)];
}

const I32 = 0x7f;
const V128 = 0x7b;
const VOID_BLOCK = 0x40;
/** MVP opcodes. */
const Op = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Shl: 0x74,
} as const;
/**
 * SIMD opcodes: the prefix 0xfd, then this number in LEB128 — the final numbering of the SIMD proposal (the
 * WebAssembly 2.0 spec), which renumbered the early drafts: an old table gives wrong bytes that may still
 * validate.
 */
const Simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  shuffle: 0x0d,
  swizzle: 0x0e,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  i32x4Shl: 0xab,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
} as const;

/** Function-body builder: one method per instruction used, each appending its bytes. */
class Code {
  readonly bytes: number[] = [];
  op(code: number): void {
    this.bytes.push(code);
  }
  /** An unsigned LEB128 immediate. */
  u32(n: number): void {
    for (const byte of uleb(n)) this.bytes.push(byte);
  }
  get(local: number): void {
    this.op(Op.localGet);
    this.u32(local);
  }
  set(local: number): void {
    this.op(Op.localSet);
    this.u32(local);
  }
  tee(local: number): void {
    this.op(Op.localTee);
    this.u32(local);
  }
  i32(value: number): void {
    this.op(Op.i32Const);
    for (const byte of sleb(value)) this.bytes.push(byte);
  }
  simd(op: number): void {
    this.op(0xfd);
    this.u32(op);
  }
  /** v128.load / store / load32_splat: the opcode, then a memarg (log2 of the alignment, static offset). */
  load(offset: number): void {
    this.memory(Simd.load, 4, offset);
  }
  store(offset: number, alignLog2 = 4): void {
    this.memory(Simd.store, alignLog2, offset);
  }
  load32Splat(offset: number): void {
    this.memory(Simd.load32Splat, 2, offset);
  }
  private memory(op: number, alignLog2: number, offset: number): void {
    this.simd(op);
    this.u32(alignLog2);
    this.u32(offset);
  }
  /** i8x16.shuffle: 16 byte indices into its two operands (0-15 the first, 16-31 the second). */
  shuffle(lanes: readonly number[]): void {
    this.simd(Simd.shuffle);
    for (const lane of lanes) this.op(lane);
  }
  /** `loop … (local += step) < limit ? repeat` */
  loopWhile(local: number, step: number, limit: number, body: () => void): void {
    this.op(Op.loop);
    this.op(VOID_BLOCK);
    body();
    this.get(local);
    this.i32(step);
    this.op(Op.i32Add);
    this.tee(local);
    this.i32(limit);
    this.op(Op.i32LtU);
    this.op(Op.brIf);
    this.op(0);
    this.op(Op.end);
  }
}

// ---------- the module ----------

const MIDSTATE_INNER = 0;
const MIDSTATE_OUTER = 32;
const HEX_DIGITS = 64;
const LOW_NIBBLES = 80;
const K_TABLE = 1024;
const SCHEDULE_INNER = 2048;
const SCHEDULE_OUTER = 3072;
const INPUT = 4096;
/** Messages per call into the module: a batch is fed in chunks of this many. */
const CHUNK = 512;
/** The hex digits of one message's HMAC. */
const RECORD = 64;
const OUTPUT = INPUT + CHUNK * 64;
const PAGES = Math.ceil((OUTPUT + CHUNK * RECORD) / 65536);

/** Splats a 32-bit value over four little-endian lanes. */
const splat = (value: number): number[] =>
  [0, 1, 2, 3].flatMap(() => [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24]);

/**
 * The module's one function, `run(groups)`: HMACs of groups × 4 messages from INPUT, their hex to OUTPUT.
 * Locals: 0 the group count (then the input end), 1 the input offset, 2 the output offset, 3 the schedule /
 * round offset; then v128s: the 8 working variables, T1, X and Y (a ^ b of this and the last round), 6 for
 * hex.
 */
function generateModule(): Uint8Array {
  const code = new Code();
  const add = (): void => code.simd(Simd.i32x4Add);
  const xor = (): void => code.simd(Simd.xor);
  /** Pushes the v128 at this fixed address. */
  const constant = (at: number): void => {
    code.i32(0);
    code.load(at);
  };

  const END = 0;
  const P = 1;
  const Q = 2;
  const I = 3;
  let next = 4;
  const state = Array.from({ length: 8 }, () => next++);
  const T1 = next++;
  let X = next++;
  let Y = next++;
  const [hi, lo, x01, x23, y01, y23] = Array.from({ length: 6 }, () => next++) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const v128Count = next - 4;

  /** Pushes x rotated right by n: (x >>> n) | (x << 32 − n). */
  const rotate = (x: number, n: number): void => {
    code.get(x);
    code.i32(n);
    code.simd(Simd.i32x4ShrU);
    code.get(x);
    code.i32(32 - n);
    code.simd(Simd.i32x4Shl);
    code.simd(Simd.or);
  };
  /** Pushes rotr(x, r1) ^ rotr(x, r2) ^ (shift ? x >>> r3 : rotr(x, r3)): Σ0, Σ1, σ0 or σ1. */
  const sigma = (x: number, r1: number, r2: number, r3: number, shift: boolean): void => {
    rotate(x, r1);
    rotate(x, r2);
    xor();
    if (shift) {
      code.get(x);
      code.i32(r3);
      code.simd(Simd.i32x4ShrU);
    } else rotate(x, r3);
    xor();
  };

  /** W[16..63] after the W[0..15] at `at`: W[r] = σ1(W[r−2]) + W[r−7] + σ0(W[r−15]) + W[r−16]. */
  const schedule = (at: number): void => {
    code.i32(16 * 16);
    code.set(I);
    code.loopWhile(I, 16, 64 * 16, () => {
      code.get(I); // the address W[r] is stored at, under the sum
      code.get(I);
      code.load(at - 2 * 16);
      code.set(T1);
      sigma(T1, 17, 19, 10, true);
      code.get(I);
      code.load(at - 7 * 16);
      add();
      code.get(I);
      code.load(at - 15 * 16);
      code.set(T1);
      sigma(T1, 7, 18, 3, true);
      add();
      code.get(I);
      code.load(at - 16 * 16);
      add();
      code.store(at);
    });
  };

  /** The 64 rounds over the working variables, with the schedule at `at`: eight passes of eight rounds. */
  const rounds = (at: number): void => {
    let [a, b, c, d, e, f, g, h] = state as [number, number, number, number, number, number, number, number];
    code.get(b);
    code.get(c);
    xor();
    code.set(Y);
    code.i32(0);
    code.set(I);
    code.loopWhile(I, 8 * 16, 64 * 16, () => {
      for (let k = 0; k < 8; k++) {
        // T1 = h + Σ1(e) + Ch(e, f, g) + W[r] + K[r], Ch = bitselect(f, g, e): f where e has a 1, else g.
        code.get(h);
        sigma(e, 6, 11, 25, false);
        add();
        code.get(f);
        code.get(g);
        code.get(e);
        code.simd(Simd.bitselect);
        add();
        code.get(I);
        code.load(at + 16 * k);
        add();
        code.get(I);
        code.load(K_TABLE + 16 * k);
        add();
        code.tee(T1);
        // e' = d + T1, into d's local.
        code.get(d);
        add();
        code.set(d);
        // a' = T1 + Σ0(a) + Maj(a, b, c), into h's local; Maj = b ^ ((a ^ b) & (b ^ c)), b ^ c being in Y.
        code.get(T1);
        sigma(a, 2, 13, 22, false);
        add();
        code.get(b);
        code.get(a);
        code.get(b);
        xor();
        code.tee(X);
        code.get(Y);
        code.simd(Simd.and);
        xor();
        add();
        code.set(h);
        [a, b, c, d, e, f, g, h] = [h, a, b, c, d, e, f, g];
        [X, Y] = [Y, X];
      }
    });
  };

  /** Working variable i = splat(midstate word i), plus its current value when `accumulate`. */
  const fromMidstate = (at: number, accumulate: boolean): void => {
    for (let i = 0; i < 8; i++) {
      code.i32(0);
      code.load32Splat(at + 4 * i);
      if (accumulate) {
        code.get(state[i]!);
        add();
      }
      code.set(state[i]!);
    }
  };

  /**
   * The 64 digits of each lane. A state vector's lane l is bytes 4l..4l+3 in memory, least significant first,
   * so its 8 digits are the high then low nibble of bytes 4l+3, 4l+2, 4l+1, 4l. A first shuffle puts the
   * nibbles of lanes 0-1 (or 2-3) in that order, the swizzle turns them to characters, and a second shuffle
   * joins two consecutive words of one lane: 16 characters, stored at once into the lane's record.
   */
  const hex = (): void => {
    const digitOrder = (first: number): number[] =>
      [first, first + 4].flatMap((lane) => [3, 2, 1, 0].flatMap((byte) => [lane + byte, 16 + lane + byte]));
    const firstHalves = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
    const secondHalves = firstHalves.map((i) => i + 8);
    for (let t = 0; t < 8; t += 2) {
      for (const [word, to01, to23] of [
        [state[t]!, x01, x23],
        [state[t + 1]!, y01, y23],
      ]) {
        code.get(word!);
        code.i32(4);
        code.simd(Simd.i32x4ShrU);
        constant(LOW_NIBBLES);
        code.simd(Simd.and);
        code.set(hi);
        code.get(word!);
        constant(LOW_NIBBLES);
        code.simd(Simd.and);
        code.set(lo);
        for (const [first, to] of [
          [0, to01],
          [8, to23],
        ]) {
          constant(HEX_DIGITS);
          code.get(hi);
          code.get(lo);
          code.shuffle(digitOrder(first!));
          code.simd(Simd.swizzle);
          code.set(to!);
        }
      }
      for (let lane = 0; lane < 4; lane++) {
        code.get(Q);
        code.get(lane < 2 ? x01 : x23);
        code.get(lane < 2 ? y01 : y23);
        code.shuffle(lane % 2 === 0 ? firstHalves : secondHalves);
        code.store(OUTPUT + RECORD * lane + 8 * t, 0);
      }
    }
  };

  // end = groups × 256; if (end == 0) return; p = q = 0 (locals start at 0)
  code.get(END);
  code.i32(8);
  code.op(Op.i32Shl);
  code.set(END);
  code.op(Op.block);
  code.op(VOID_BLOCK);
  code.get(END);
  code.op(Op.i32Eqz);
  code.op(Op.brIf);
  code.op(0);
  code.op(Op.loop);
  code.op(VOID_BLOCK);
  // The group's four inner blocks into the schedule (its word 14, the bit length's high half, stays 0).
  for (let t = 0; t < 16; t++) {
    if (t === 14) continue;
    code.i32(0);
    code.get(P);
    code.load(INPUT + 16 * t);
    code.store(SCHEDULE_INNER + 16 * t);
  }
  schedule(SCHEDULE_INNER);
  fromMidstate(MIDSTATE_INNER, false);
  rounds(SCHEDULE_INNER);
  fromMidstate(MIDSTATE_INNER, true);
  // The inner digest is words 0..7 of the outer block.
  for (let t = 0; t < 8; t++) {
    code.i32(0);
    code.get(state[t]!);
    code.store(SCHEDULE_OUTER + 16 * t);
  }
  schedule(SCHEDULE_OUTER);
  fromMidstate(MIDSTATE_OUTER, false);
  rounds(SCHEDULE_OUTER);
  fromMidstate(MIDSTATE_OUTER, true);
  hex();
  // q += 4 records; p += 256; repeat while p < end
  code.get(Q);
  code.i32(4 * RECORD);
  code.op(Op.i32Add);
  code.set(Q);
  code.get(P);
  code.i32(256);
  code.op(Op.i32Add);
  code.tee(P);
  code.get(END);
  code.op(Op.i32LtU);
  code.op(Op.brIf);
  code.op(0);
  code.op(Op.end); // loop
  code.op(Op.end); // block
  code.op(Op.end); // function

  const body = [...vec([uleb(3).concat(I32), uleb(v128Count).concat(V128)]), ...code.bytes];
  const name = (text: string): number[] => bytesVec([...text].map((ch) => ch.charCodeAt(0)));
  /** An active data segment of memory 0 at `at`. */
  const data = (at: number, bytes: readonly number[]): number[] => [
    0x00,
    Op.i32Const,
    ...sleb(at),
    Op.end,
    ...bytesVec(bytes),
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
    ...section(1, vec([[0x60, ...vec([[I32]]), ...vec([])]])), // type 0: (i32) -> ()
    ...section(3, vec([uleb(0)])), // function 0 has type 0
    ...section(5, vec([[0x00, ...uleb(PAGES)]])), // memory 0: PAGES pages, no maximum
    ...section(
      7,
      vec([
        [...name("run"), 0x00, 0],
        [...name("memory"), 0x02, 0],
      ]),
    ), // exports
    ...section(10, vec([bytesVec(body)])), // code
    ...section(
      11,
      vec([
        data(
          HEX_DIGITS,
          [..."0123456789abcdef"].map((ch) => ch.charCodeAt(0)),
        ),
        data(LOW_NIBBLES, new Array<number>(16).fill(0x0f)),
        data(K_TABLE, K.flatMap(splat)),
        // The outer block's words 8..15: 0x80 after the 32-byte inner digest, zeros, the bit length 8 × 96.
        data(SCHEDULE_OUTER + 8 * 16, [0x80000000 | 0, 0, 0, 0, 0, 0, 0, (BLOCK + 32) * 8].flatMap(splat)),
      ]),
    ),
  ]);
}

interface Engine {
  run: (groups: number) => void;
  /** The module's memory as i32s (JS writes midstates and message words), as a Buffer (JS copies the digits). */
  words: Int32Array;
  buffer: Buffer;
  /** The batch instance whose prefix words fill the input slots: written once per switch, not per message. */
  packedFor: object | null;
  /** Per input slot, how many leading words the last message packed there used: the rest are already 0. */
  slotWords: Uint8Array;
}

/** The part of the WebAssembly JS API used here (its types are in lib.dom, which this project leaves out). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
  ) => { exports: { run: (groups: number) => void; memory: { buffer: ArrayBuffer } } };
}

/** undefined: not tried yet; null: WebAssembly SIMD unavailable here. */
let engine: Engine | null | undefined;

function loadEngine(): Engine | null {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (typeof wasm?.validate !== "function") return null;
  const bytes = generateModule();
  if (!wasm.validate(bytes)) return null;
  const { run, memory } = new wasm.Instance(new wasm.Module(bytes)).exports;
  return {
    run,
    words: new Int32Array(memory.buffer),
    buffer: Buffer.from(memory.buffer),
    packedFor: null,
    slotWords: new Uint8Array(CHUNK),
  };
}

function getEngine(): Engine | null {
  if (engine === undefined) engine = loadEngine();
  return engine;
}

/** Whether WebAssembly SIMD is usable here (if not, every call is answered by the pure-TypeScript HMAC). */
export function hmacSha256SimdAvailable(): boolean {
  return getEngine() !== null;
}

// ---------- the batch API ----------

export interface HmacSha256Batch {
  /**
   * out[i] = lowercase hex HMAC of prefix + messages[i] (UTF-8), for i in [from, to) (default: all of them);
   * no other index of `out` is touched. `out` may be `messages` itself. A range outside `messages` throws.
   */
  hexMany(messages: readonly string[], out: string[], from?: number, to?: number): void;
  /**
   * The lowercase hex HMACs of prefix + each message, concatenated in order: 64 digits each, message i's at
   * 64 i. One string for the whole batch and no string per message.
   */
  hexText(messages: readonly string[]): string;
  /**
   * hexText of twelve-digit decimal messages given as their values: value v stands for the message
   * `String(v).padStart(12, "0")`. A value that is not an integer in [0, 10^12) throws.
   */
  hexTextOfValues(values: Float64Array): string;
  /** The lowercase hex HMAC of prefix + `message` (pure TypeScript: one message gains nothing from lanes). */
  hex(message: string): string;
}

const utf8 = new TextEncoder();

const TWELVE = 12;

function checkValues(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < 1e12))
      throw new RangeError(`hexTextOfValues: ${v} is not the value of twelve digits`);
  }
}

/** The ASCII of n's four digits (leading zeros) as a big-endian word, n in [0, 10^4). */
const FOUR_DIGITS = Int32Array.from({ length: 10_000 }, (_, n) => {
  let word = 0;
  for (let d = 1000; d >= 1; d /= 10) word = (word << 8) | (48 + (Math.floor(n / d) % 10));
  return word;
});

function checkRange(messages: readonly string[], from: number, to: number): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && to <= messages.length))
    throw new RangeError(`hexMany: [${from}, ${to}) is not within the ${messages.length} messages`);
}

/**
 * HMAC-SHA256 under `key` of messages that all start with `prefix`: node:crypto's result to the byte, strings
 * (the key, the prefix, the messages) taken as UTF-8; a key longer than 64 bytes is hashed first. Instances
 * share the one module and its memory; calls never interleave (nothing here awaits).
 */
export function createHmacSha256Batch(key: string | Uint8Array, prefix: string): HmacSha256Batch {
  const scalar = createHmacSha256(key, prefix);
  const prefixBytes = utf8.encode(prefix);
  const prefixLength = prefixBytes.length;
  const simd = prefixLength > ONE_BLOCK_TAIL ? null : getEngine();
  if (simd === null) {
    return {
      hexMany(messages, out, from = 0, to = messages.length) {
        checkRange(messages, from, to);
        for (let i = from; i < to; i++) out[i] = scalar.hex(messages[i]!);
      },
      hexText: (messages) => messages.map((message) => scalar.hex(message)).join(""),
      hexTextOfValues: (values) => {
        checkValues(values);
        return Array.from(values, (v) => scalar.hex(citizenIdOfValue(v))).join("");
      },
      hex: (message) => scalar.hex(message),
    };
  }

  // The key's pad blocks, compressed once.
  let keyBytes = typeof key === "string" ? utf8.encode(key) : key;
  if (keyBytes.length > BLOCK) keyBytes = sha256(keyBytes);
  const padWords = (pad: number): number[] =>
    Array.from({ length: 16 }, (_, t) => {
      let word = 0;
      for (let i = 4 * t; i < 4 * t + 4; i++) word = (word << 8) | ((keyBytes[i] ?? 0) ^ pad);
      return word;
    });
  const midstates = Int32Array.from([
    ...compressScalar(IV, padWords(0x36)),
    ...compressScalar(IV, padWords(0x5c)),
  ]);

  const { prefixWords, prefixTail } = packPrefix(prefixBytes);

  const { run, words, buffer, slotWords } = simd;
  const self = {};
  /** Chunk slot → index in `messages` of the message packed there. */
  const slotOf = new Int32Array(CHUNK);
  /** Word t of input slot `slot` is words[slotBase(slot) + 4t]. */
  const slotBase = (slot: number): number => (INPUT >> 2) + ((slot >> 2) << 6) + (slot & 3);

  /** Puts this instance's prefix words in every slot, unless they are there already. */
  function claimSlots(engine: Engine): void {
    if (engine.packedFor === self) return;
    for (let slot = 0; slot < CHUNK; slot++) {
      const base = slotBase(slot);
      for (let t = 0; t < prefixWords.length; t++) words[base + (t << 2)] = prefixWords[t]!;
    }
    slotWords.fill(14);
    engine.packedFor = self;
  }

  /**
   * Writes prefix + `message`, padded, as one inner block into `slot` (the prefix's whole words are there
   * already). False when it does not fit in one block or is not ASCII; the slot then goes to the next
   * message.
   */
  function pack(message: string, slot: number): boolean {
    const length = prefixLength + message.length;
    if (length > ONE_BLOCK_TAIL) return false;
    const base = slotBase(slot);
    let word = prefixTail;
    let seen = 0;
    for (let i = 0, at = prefixLength; at < length; i++, at++) {
      const c = message.charCodeAt(i);
      seen |= c;
      word = (word << 8) | c;
      if ((at & 3) === 3) {
        words[base + (at & ~3)] = word;
        word = 0;
      }
    }
    if (seen > 0x7f) {
      slotWords[slot] = 14; // words were written: have the next message packed here clear them
      return false;
    }
    // The 0x80 terminator; zeros up to word 13 where the slot's last message left something (the module
    // takes word 14, the bit length's high half, as 0); the bit length.
    words[base + (length & ~3)] = ((word << 8) | 0x80) << ((3 - (length & 3)) << 3);
    const used = (length >> 2) + 1;
    for (let t = used; t < slotWords[slot]!; t++) words[base + (t << 2)] = 0;
    slotWords[slot] = used;
    words[base + 60] = (BLOCK + length) << 3;
    return true;
  }

  /** Where a twelve-digit message's words go: its first word, the bits of prefix in it, those bits in place. */
  const first = prefixLength >> 2;
  const shift = (prefixLength & 3) << 3;
  const prefixHead = shift === 0 ? 0 : prefixTail << (32 - shift);
  /** pack() of the twelve digits of `value` (an integer in [0, 10^12)), read from the number, not a string. */
  function packValue(value: number, slot: number): boolean {
    const length = prefixLength + TWELVE;
    if (length > ONE_BLOCK_TAIL) return false;
    // Three groups of four digits, each the ASCII of its digits from a table: two divisions, not twelve.
    const high = Math.floor(value / 1e8);
    const rest = value - high * 1e8;
    const middle = (rest / 1e4) | 0;
    const g0 = FOUR_DIGITS[high]!;
    const g1 = FOUR_DIGITS[middle]!;
    const g2 = FOUR_DIGITS[rest - middle * 1e4]!;
    // The digits start `shift` bits into word `first` (after the prefix's last bytes), then the 0x80 terminator.
    const base = slotBase(slot);
    const at = base + (first << 2);
    if (shift === 0) {
      words[at] = g0;
      words[at + 4] = g1;
      words[at + 8] = g2;
      words[at + 12] = 0x80 << 24;
    } else {
      words[at] = prefixHead | (g0 >>> shift);
      words[at + 4] = (g0 << (32 - shift)) | (g1 >>> shift);
      words[at + 8] = (g1 << (32 - shift)) | (g2 >>> shift);
      words[at + 12] = (g2 << (32 - shift)) | (0x80 << (24 - shift));
    }
    const used = (length >> 2) + 1;
    for (let t = used; t < slotWords[slot]!; t++) words[base + (t << 2)] = 0;
    slotWords[slot] = used;
    words[base + 60] = (BLOCK + length) << 3;
    return true;
  }

  function hexMany(messages: readonly string[], out: string[], from = 0, to = messages.length): void {
    checkRange(messages, from, to);
    claimSlots(simd!);
    words.set(midstates, MIDSTATE_INNER >> 2);
    // The digits of every chunk are copied to one buffer, decoded as one string at the end, and each hash is a
    // slice of it (a 32-byte object, where a flat 64-character string is 80 bytes). A sheet's 10,000 hashes are
    // one 640 KB string, which V8 keeps in its large-object space: the young-generation collector never copies
    // it. A slice keeps the whole string alive; the hashes of a sheet live and die together with its entries.
    const text = Buffer.allocUnsafe((to - from) * RECORD);
    /** Where out[from + k]'s digits start in `text`; -1 for a message hashed one at a time. */
    const digitsAt = new Int32Array(to - from).fill(-1);
    let used = 0;
    for (let start = from; start < to; start += CHUNK) {
      const end = Math.min(to, start + CHUNK);
      let slots = 0;
      for (let i = start; i < end; i++) {
        const message = messages[i]!;
        if (pack(message, slots)) slotOf[slots++] = i;
        else out[i] = scalar.hex(message);
      }
      if (slots === 0) continue;
      run((slots + 3) >> 2);
      buffer.copy(text, used, OUTPUT, OUTPUT + slots * RECORD);
      for (let s = 0; s < slots; s++) digitsAt[slotOf[s]! - from] = used + s * RECORD;
      used += slots * RECORD;
    }
    if (used === 0) return;
    const all = text.toString("latin1", 0, used);
    for (let k = 0; k < digitsAt.length; k++) {
      const at = digitsAt[k]!;
      if (at >= 0) out[from + k] = all.slice(at, at + RECORD);
    }
  }

  function hexText(messages: readonly string[]): string {
    return textOf(messages, null);
  }

  function hexTextOfValues(values: Float64Array): string {
    checkValues(values);
    return textOf(null, values);
  }

  /** hexText of `messages`, or of the twelve-digit messages whose values `values` holds. */
  function textOf(messages: readonly string[] | null, values: Float64Array | null): string {
    claimSlots(simd!);
    words.set(midstates, MIDSTATE_INNER >> 2);
    const count = values !== null ? values.length : messages!.length;
    const text = Buffer.allocUnsafe(count * RECORD);
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      let slots = 0;
      for (let i = start; i < end; i++) {
        if (values !== null ? packValue(values[i]!, slots) : pack(messages![i]!, slots)) slotOf[slots++] = i;
        else {
          const message = values !== null ? citizenIdOfValue(values[i]!) : messages![i]!;
          text.write(scalar.hex(message), i * RECORD, RECORD, "latin1");
        }
      }
      if (slots === 0) continue;
      run((slots + 3) >> 2);
      if (slots === end - start) buffer.copy(text, start * RECORD, OUTPUT, OUTPUT + slots * RECORD);
      else {
        for (let k = 0; k < slots; k++) {
          const from = OUTPUT + k * RECORD;
          buffer.copy(text, slotOf[k]! * RECORD, from, from + RECORD);
        }
      }
    }
    return text.toString("latin1");
  }

  return { hexMany, hexText, hexTextOfValues, hex: (message) => scalar.hex(message) };
}
