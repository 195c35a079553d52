// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain TypeScript. node:crypto costs several µs per HMAC
// (a new Hmac object that redoes the key's pad blocks, and three calls into C++), which dominated hashing a
// province's million citizen ids; here a short message costs two compressions from midstates computed once per
// key, and allocates nothing but the result string. The output must stay byte-identical to node:crypto's: stored
// hashes are matched against it (test/adapters/crypto-sha256.test.ts holds it to that).

const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const BLOCK = 64;
/** Longest message (in bytes) whose padding still fits in the block it ends: 64 − 1 (0x80) − 8 (bit length). */
const ONE_BLOCK_TAIL = 55;

/**
 * One compression (FIPS 180-4 §6.2.2): `out` = `from` + the 64 rounds over the 16 big-endian words `w[0..15]`;
 * `out` and `from` may be the same array, `w` is only read. Unrolled by hand because V8 keeps locals in registers
 * but bounds-checks every typed-array access: this runs twice as fast as the textbook loop. Round r calls the
 * working variables a..h rotated by r places, so nothing is shuffled between rounds, and the schedule W[r] lives
 * in the local w(r mod 16), overwritten in place from round 16 on. The round constants K[r] are inlined in order.
 * Ch(e, f, g) is computed as g ^ (e & (f ^ g)) and Maj(a, b, c) as b ^ ((a ^ b) & (b ^ c)), where b ^ c is the
 * previous round's a ^ b, carried in x and y alternately: the same functions in fewer operations.
 */
function compress(out: Int32Array, from: Int32Array, w: Int32Array): void {
  let a = from[0]!;
  let b = from[1]!;
  let c = from[2]!;
  let d = from[3]!;
  let e = from[4]!;
  let f = from[5]!;
  let g = from[6]!;
  let h = from[7]!;
  let w0 = w[0]!;
  let w1 = w[1]!;
  let w2 = w[2]!;
  let w3 = w[3]!;
  let w4 = w[4]!;
  let w5 = w[5]!;
  let w6 = w[6]!;
  let w7 = w[7]!;
  let w8 = w[8]!;
  let w9 = w[9]!;
  let w10 = w[10]!;
  let w11 = w[11]!;
  let w12 = w[12]!;
  let w13 = w[13]!;
  let w14 = w[14]!;
  let w15 = w[15]!;
  let t: number;
  let x: number;
  let y = b ^ c;
  // round 0
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + 0x428a2f98 + w0) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 1
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + 0x71374491 + w1) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 2
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + (0xb5c0fbcf | 0) + w2) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 3
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + (0xe9b5dba5 | 0) + w3) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 4
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + 0x3956c25b + w4) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 5
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + 0x59f111f1 + w5) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 6
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + (0x923f82a4 | 0) + w6) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 7
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + (0xab1c5ed5 | 0) + w7) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 8
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + (0xd807aa98 | 0) + w8) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 9
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + 0x12835b01 + w9) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 10
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + 0x243185be + w10) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 11
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + 0x550c7dc3 + w11) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 12
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + 0x72be5d74 + w12) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 13
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + (0x80deb1fe | 0) + w13) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 14
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + (0x9bdc06a7 | 0) + w14) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 15
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + (0xc19bf174 | 0) + w15) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 16
  w0 = (w0 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) + w9) | 0;
  w0 = (w0 + (((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + (0xe49b69c1 | 0) + w0) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 17
  w1 = (w1 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) + w10) | 0;
  w1 = (w1 + (((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + (0xefbe4786 | 0) + w1) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 18
  w2 = (w2 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) + w11) | 0;
  w2 = (w2 + (((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + 0x0fc19dc6 + w2) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 19
  w3 = (w3 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w12) | 0;
  w3 = (w3 + (((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + 0x240ca1cc + w3) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 20
  w4 = (w4 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w13) | 0;
  w4 = (w4 + (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + 0x2de92c6f + w4) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 21
  w5 = (w5 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) + w14) | 0;
  w5 = (w5 + (((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + 0x4a7484aa + w5) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 22
  w6 = (w6 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) + w15) | 0;
  w6 = (w6 + (((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + 0x5cb0a9dc + w6) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 23
  w7 = (w7 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) + w0) | 0;
  w7 = (w7 + (((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + 0x76f988da + w7) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 24
  w8 = (w8 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) + w1) | 0;
  w8 = (w8 + (((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + (0x983e5152 | 0) + w8) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 25
  w9 = (w9 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) + w2) | 0;
  w9 = (w9 + (((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + (0xa831c66d | 0) + w9) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 26
  w10 = (w10 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) + w3) | 0;
  w10 = (w10 + (((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + (0xb00327c8 | 0) + w10) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 27
  w11 = (w11 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) + w4) | 0;
  w11 = (w11 + (((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + (0xbf597fc7 | 0) + w11) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 28
  w12 = (w12 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) + w5) | 0;
  w12 = (w12 + (((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + (0xc6e00bf3 | 0) + w12) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 29
  w13 = (w13 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) + w6) | 0;
  w13 = (w13 + (((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + (0xd5a79147 | 0) + w13) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 30
  w14 = (w14 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) + w7) | 0;
  w14 = (w14 + (((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + 0x06ca6351 + w14) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 31
  w15 = (w15 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) + w8) | 0;
  w15 = (w15 + (((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + 0x14292967 + w15) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 32
  w0 = (w0 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) + w9) | 0;
  w0 = (w0 + (((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + 0x27b70a85 + w0) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 33
  w1 = (w1 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) + w10) | 0;
  w1 = (w1 + (((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + 0x2e1b2138 + w1) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 34
  w2 = (w2 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) + w11) | 0;
  w2 = (w2 + (((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + 0x4d2c6dfc + w2) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 35
  w3 = (w3 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w12) | 0;
  w3 = (w3 + (((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + 0x53380d13 + w3) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 36
  w4 = (w4 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w13) | 0;
  w4 = (w4 + (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + 0x650a7354 + w4) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 37
  w5 = (w5 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) + w14) | 0;
  w5 = (w5 + (((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + 0x766a0abb + w5) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 38
  w6 = (w6 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) + w15) | 0;
  w6 = (w6 + (((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + (0x81c2c92e | 0) + w6) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 39
  w7 = (w7 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) + w0) | 0;
  w7 = (w7 + (((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + (0x92722c85 | 0) + w7) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 40
  w8 = (w8 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) + w1) | 0;
  w8 = (w8 + (((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + (0xa2bfe8a1 | 0) + w8) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 41
  w9 = (w9 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) + w2) | 0;
  w9 = (w9 + (((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + (0xa81a664b | 0) + w9) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 42
  w10 = (w10 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) + w3) | 0;
  w10 = (w10 + (((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + (0xc24b8b70 | 0) + w10) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 43
  w11 = (w11 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) + w4) | 0;
  w11 = (w11 + (((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + (0xc76c51a3 | 0) + w11) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 44
  w12 = (w12 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) + w5) | 0;
  w12 = (w12 + (((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + (0xd192e819 | 0) + w12) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 45
  w13 = (w13 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) + w6) | 0;
  w13 = (w13 + (((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + (0xd6990624 | 0) + w13) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 46
  w14 = (w14 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) + w7) | 0;
  w14 = (w14 + (((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + (0xf40e3585 | 0) + w14) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 47
  w15 = (w15 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) + w8) | 0;
  w15 = (w15 + (((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + 0x106aa070 + w15) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 48
  w0 = (w0 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) + w9) | 0;
  w0 = (w0 + (((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + 0x19a4c116 + w0) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 49
  w1 = (w1 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) + w10) | 0;
  w1 = (w1 + (((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + 0x1e376c08 + w1) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 50
  w2 = (w2 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) + w11) | 0;
  w2 = (w2 + (((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + 0x2748774c + w2) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 51
  w3 = (w3 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w12) | 0;
  w3 = (w3 + (((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + 0x34b0bcb5 + w3) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 52
  w4 = (w4 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w13) | 0;
  w4 = (w4 + (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + 0x391c0cb3 + w4) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 53
  w5 = (w5 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) + w14) | 0;
  w5 = (w5 + (((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + 0x4ed8aa4a + w5) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 54
  w6 = (w6 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) + w15) | 0;
  w6 = (w6 + (((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + 0x5b9cca4f + w6) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 55
  w7 = (w7 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) + w0) | 0;
  w7 = (w7 + (((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + 0x682e6ff3 + w7) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  // round 56
  w8 = (w8 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) + w1) | 0;
  w8 = (w8 + (((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10))) | 0;
  t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  t = (t + (g ^ (e & (f ^ g))) + 0x748f82ee + w8) | 0;
  d = (d + t) | 0;
  x = a ^ b;
  h = (t + (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))) | 0;
  h = (h + (b ^ (x & y))) | 0;
  // round 57
  w9 = (w9 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) + w2) | 0;
  w9 = (w9 + (((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10))) | 0;
  t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  t = (t + (f ^ (d & (e ^ f))) + 0x78a5636f + w9) | 0;
  c = (c + t) | 0;
  y = h ^ a;
  g = (t + (((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10)))) | 0;
  g = (g + (a ^ (y & x))) | 0;
  // round 58
  w10 = (w10 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) + w3) | 0;
  w10 = (w10 + (((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10))) | 0;
  t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  t = (t + (e ^ (c & (d ^ e))) + (0x84c87814 | 0) + w10) | 0;
  b = (b + t) | 0;
  x = g ^ h;
  f = (t + (((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10)))) | 0;
  f = (f + (h ^ (x & y))) | 0;
  // round 59
  w11 = (w11 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) + w4) | 0;
  w11 = (w11 + (((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10))) | 0;
  t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  t = (t + (d ^ (b & (c ^ d))) + (0x8cc70208 | 0) + w11) | 0;
  a = (a + t) | 0;
  y = f ^ g;
  e = (t + (((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10)))) | 0;
  e = (e + (g ^ (y & x))) | 0;
  // round 60
  w12 = (w12 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) + w5) | 0;
  w12 = (w12 + (((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10))) | 0;
  t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  t = (t + (c ^ (a & (b ^ c))) + (0x90befffa | 0) + w12) | 0;
  h = (h + t) | 0;
  x = e ^ f;
  d = (t + (((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10)))) | 0;
  d = (d + (f ^ (x & y))) | 0;
  // round 61
  w13 = (w13 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) + w6) | 0;
  w13 = (w13 + (((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10))) | 0;
  t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  t = (t + (b ^ (h & (a ^ b))) + (0xa4506ceb | 0) + w13) | 0;
  g = (g + t) | 0;
  y = d ^ e;
  c = (t + (((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10)))) | 0;
  c = (c + (e ^ (y & x))) | 0;
  // round 62
  w14 = (w14 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) + w7) | 0;
  w14 = (w14 + (((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10))) | 0;
  t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  t = (t + (a ^ (g & (h ^ a))) + (0xbef9a3f7 | 0) + w14) | 0;
  f = (f + t) | 0;
  x = c ^ d;
  b = (t + (((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10)))) | 0;
  b = (b + (d ^ (x & y))) | 0;
  // round 63
  w15 = (w15 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) + w8) | 0;
  w15 = (w15 + (((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10))) | 0;
  t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  t = (t + (h ^ (f & (g ^ h))) + (0xc67178f2 | 0) + w15) | 0;
  e = (e + t) | 0;
  y = b ^ c;
  a = (t + (((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10)))) | 0;
  a = (a + (c ^ (y & x))) | 0;
  out[0] = (from[0]! + a) | 0;
  out[1] = (from[1]! + b) | 0;
  out[2] = (from[2]! + c) | 0;
  out[3] = (from[3]! + d) | 0;
  out[4] = (from[4]! + e) | 0;
  out[5] = (from[5]! + f) | 0;
  out[6] = (from[6]! + g) | 0;
  out[7] = (from[7]! + h) | 0;
}

function loadBlock(w: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const p = at + (i << 2);
    w[i] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
  }
}

/** Writes the 64-bit big-endian bit length of `byteLength` bytes into `w[14..15]`. */
function writeBitLength(w: Int32Array, byteLength: number): void {
  w[14] = Math.floor(byteLength / 0x20000000) | 0;
  w[15] = (byteLength << 3) | 0;
}

/**
 * Hashes `bytes[0..length)` onward from state `from` into `out`, padding as if `prefixLength` bytes (a multiple
 * of 64, already compressed into `from`) came first.
 */
function hashFrom(
  out: Int32Array,
  from: Int32Array,
  prefixLength: number,
  bytes: Uint8Array,
  length: number,
  w: Int32Array,
): void {
  let state = from;
  let at = 0;
  for (; length - at >= BLOCK; at += BLOCK) {
    loadBlock(w, bytes, at);
    compress(out, state, w);
    state = out;
  }
  const rest = length - at;
  w.fill(0, 0, 16);
  for (let i = 0; i < rest; i++) {
    w[i >> 2] = w[i >> 2]! | (bytes[at + i]! << (24 - ((i & 3) << 3)));
  }
  w[rest >> 2] = w[rest >> 2]! | (0x80 << (24 - ((rest & 3) << 3)));
  if (rest > ONE_BLOCK_TAIL) {
    compress(out, state, w);
    state = out;
    w.fill(0, 0, 16);
  }
  writeBitLength(w, prefixLength + length);
  compress(out, state, w);
}

function stateToBytes(state: Int32Array): Uint8Array {
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    bytes[i * 4] = v >>> 24;
    bytes[i * 4 + 1] = v >>> 16;
    bytes[i * 4 + 2] = v >>> 8;
    bytes[i * 4 + 3] = v;
  }
  return bytes;
}

/** A message prefix as whole big-endian words, then its last 0–3 bytes packed low in one partial word. */
export function packPrefix(prefixBytes: Uint8Array): { prefixWords: Int32Array; prefixTail: number } {
  const prefixWords = new Int32Array(prefixBytes.length >> 2);
  let prefixTail = 0;
  for (let i = 0; i < prefixBytes.length; i++) {
    prefixTail = (prefixTail << 8) | prefixBytes[i]!;
    if ((i & 3) === 3) {
      prefixWords[i >> 2] = prefixTail;
      prefixTail = 0;
    }
  }
  return { prefixWords, prefixTail };
}

const HEX_DIGITS = "0123456789abcdef";
/** Char codes of each byte's two hex digits, high one first. */
const HEX_HIGH = Uint8Array.from({ length: 256 }, (_, i) => HEX_DIGITS.charCodeAt(i >> 4));
const HEX_LOW = Uint8Array.from({ length: 256 }, (_, i) => HEX_DIGITS.charCodeAt(i & 15));
/**
 * Lowercase hex of the 8 state words, as one flat string straight from 64 char codes. Measured against the
 * alternatives: concatenating 2-char table strings builds a 32-piece rope that V8 must flatten on first use (5×
 * slower), `fromCharCode.apply` over a reused array is a third slower, Buffer's hex and TextDecoder's latin1
 * cost a call into C++ (2× slower or worse).
 */
function stateToHex(state: Int32Array): string {
  const s0 = state[0]!;
  const s1 = state[1]!;
  const s2 = state[2]!;
  const s3 = state[3]!;
  const s4 = state[4]!;
  const s5 = state[5]!;
  const s6 = state[6]!;
  const s7 = state[7]!;
  return String.fromCharCode(
    HEX_HIGH[s0 >>> 24]!,
    HEX_LOW[s0 >>> 24]!,
    HEX_HIGH[(s0 >>> 16) & 0xff]!,
    HEX_LOW[(s0 >>> 16) & 0xff]!,
    HEX_HIGH[(s0 >>> 8) & 0xff]!,
    HEX_LOW[(s0 >>> 8) & 0xff]!,
    HEX_HIGH[s0 & 0xff]!,
    HEX_LOW[s0 & 0xff]!,
    HEX_HIGH[s1 >>> 24]!,
    HEX_LOW[s1 >>> 24]!,
    HEX_HIGH[(s1 >>> 16) & 0xff]!,
    HEX_LOW[(s1 >>> 16) & 0xff]!,
    HEX_HIGH[(s1 >>> 8) & 0xff]!,
    HEX_LOW[(s1 >>> 8) & 0xff]!,
    HEX_HIGH[s1 & 0xff]!,
    HEX_LOW[s1 & 0xff]!,
    HEX_HIGH[s2 >>> 24]!,
    HEX_LOW[s2 >>> 24]!,
    HEX_HIGH[(s2 >>> 16) & 0xff]!,
    HEX_LOW[(s2 >>> 16) & 0xff]!,
    HEX_HIGH[(s2 >>> 8) & 0xff]!,
    HEX_LOW[(s2 >>> 8) & 0xff]!,
    HEX_HIGH[s2 & 0xff]!,
    HEX_LOW[s2 & 0xff]!,
    HEX_HIGH[s3 >>> 24]!,
    HEX_LOW[s3 >>> 24]!,
    HEX_HIGH[(s3 >>> 16) & 0xff]!,
    HEX_LOW[(s3 >>> 16) & 0xff]!,
    HEX_HIGH[(s3 >>> 8) & 0xff]!,
    HEX_LOW[(s3 >>> 8) & 0xff]!,
    HEX_HIGH[s3 & 0xff]!,
    HEX_LOW[s3 & 0xff]!,
    HEX_HIGH[s4 >>> 24]!,
    HEX_LOW[s4 >>> 24]!,
    HEX_HIGH[(s4 >>> 16) & 0xff]!,
    HEX_LOW[(s4 >>> 16) & 0xff]!,
    HEX_HIGH[(s4 >>> 8) & 0xff]!,
    HEX_LOW[(s4 >>> 8) & 0xff]!,
    HEX_HIGH[s4 & 0xff]!,
    HEX_LOW[s4 & 0xff]!,
    HEX_HIGH[s5 >>> 24]!,
    HEX_LOW[s5 >>> 24]!,
    HEX_HIGH[(s5 >>> 16) & 0xff]!,
    HEX_LOW[(s5 >>> 16) & 0xff]!,
    HEX_HIGH[(s5 >>> 8) & 0xff]!,
    HEX_LOW[(s5 >>> 8) & 0xff]!,
    HEX_HIGH[s5 & 0xff]!,
    HEX_LOW[s5 & 0xff]!,
    HEX_HIGH[s6 >>> 24]!,
    HEX_LOW[s6 >>> 24]!,
    HEX_HIGH[(s6 >>> 16) & 0xff]!,
    HEX_LOW[(s6 >>> 16) & 0xff]!,
    HEX_HIGH[(s6 >>> 8) & 0xff]!,
    HEX_LOW[(s6 >>> 8) & 0xff]!,
    HEX_HIGH[s6 & 0xff]!,
    HEX_LOW[s6 & 0xff]!,
    HEX_HIGH[s7 >>> 24]!,
    HEX_LOW[s7 >>> 24]!,
    HEX_HIGH[(s7 >>> 16) & 0xff]!,
    HEX_LOW[(s7 >>> 16) & 0xff]!,
    HEX_HIGH[(s7 >>> 8) & 0xff]!,
    HEX_LOW[(s7 >>> 8) & 0xff]!,
    HEX_HIGH[s7 & 0xff]!,
    HEX_LOW[s7 & 0xff]!,
  );
}

const utf8 = new TextEncoder();

/** Node's own UTF-8 rules: lone surrogates become U+FFFD, as `Buffer.from(s, "utf8")` and `createHmac` do. */
function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? utf8.encode(data) : data;
}

function digestState(data: string | Uint8Array): Int32Array {
  const bytes = toBytes(data);
  const out = new Int32Array(8);
  hashFrom(out, IV, 0, bytes, bytes.length, new Int32Array(16));
  return out;
}

/** SHA-256 of `data` (a string is hashed as UTF-8). */
export function sha256(data: string | Uint8Array): Uint8Array {
  return stateToBytes(digestState(data));
}

export function sha256Hex(data: string | Uint8Array): string {
  return stateToHex(digestState(data));
}

export interface HmacSha256 {
  /** Lowercase hex HMAC of prefix + `message` (UTF-8): the same string as node:crypto's `digest("hex")`. */
  hex(message: string): string;
  /** The raw 32-byte HMAC of prefix + `message` (a string is taken as UTF-8). */
  digest(message: string | Uint8Array): Uint8Array;
}

/**
 * HMAC-SHA256 under one key, of messages that all start with `prefix`. The key's inner and outer pad blocks are
 * compressed once, here, and the prefix is encoded once (so callers need not concatenate, which costs V8 a copy
 * per call); a message then costs its own blocks (one, up to 55 bytes with the prefix) plus one outer block.
 * Strings, the key and the prefix included, are taken as UTF-8 as node:crypto takes them. The scratch buffers
 * belong to the instance; calls never interleave.
 */
export function createHmacSha256(key: string | Uint8Array, prefix = ""): HmacSha256 {
  let keyBytes = toBytes(key);
  if (keyBytes.length > BLOCK) keyBytes = sha256(keyBytes);
  const padded = new Uint8Array(BLOCK);
  padded.set(keyBytes);
  const w = new Int32Array(16);
  const innerStart = new Int32Array(8);
  const outerStart = new Int32Array(8);
  for (let i = 0; i < BLOCK; i++) padded[i] = padded[i]! ^ 0x36;
  loadBlock(w, padded, 0);
  compress(innerStart, IV, w);
  for (let i = 0; i < BLOCK; i++) padded[i] = padded[i]! ^ 0x36 ^ 0x5c;
  loadBlock(w, padded, 0);
  compress(outerStart, IV, w);

  const prefixBytes = utf8.encode(prefix);
  const prefixLength = prefixBytes.length;
  const { prefixWords, prefixTail } = packPrefix(prefixBytes);

  const outer = new Int32Array(8);
  let scratch = new Uint8Array(256);

  /**
   * The common case, a short ASCII message: its bytes go from char codes straight into the one padded block.
   * Returns false, having hashed nothing, when prefix and message exceed one block or the message is not ASCII.
   */
  function innerShortAscii(message: string): boolean {
    const length = prefixLength + message.length;
    if (length > ONE_BLOCK_TAIL) return false;
    w.set(prefixWords);
    let word = prefixTail;
    for (let i = 0, at = prefixLength; at < length; i++, at++) {
      const c = message.charCodeAt(i);
      if (c > 0x7f) return false;
      word = (word << 8) | c;
      if ((at & 3) === 3) {
        w[at >> 2] = word;
        word = 0;
      }
    }
    // The 0x80 terminator, then zeros up to the bit length, whose high word is 0 for so short an input.
    w[length >> 2] = ((word << 8) | 0x80) << ((3 - (length & 3)) << 3);
    for (let i = (length >> 2) + 1; i < 15; i++) w[i] = 0;
    w[15] = (BLOCK + length) << 3;
    // The inner digest lands in w[0..7], where the outer block wants it (compress reads all of w first).
    compress(w, innerStart, w);
    return true;
  }

  function innerGeneral(message: string | Uint8Array): void {
    let bytes: Uint8Array;
    let length: number;
    if (typeof message === "string") {
      // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units).
      const room = prefixLength + message.length * 3;
      if (scratch.length < room) scratch = new Uint8Array(room);
      scratch.set(prefixBytes);
      length = prefixLength + utf8.encodeInto(message, scratch.subarray(prefixLength)).written;
      bytes = scratch;
    } else if (prefixLength === 0) {
      bytes = message;
      length = message.length;
    } else {
      length = prefixLength + message.length;
      if (scratch.length < length) scratch = new Uint8Array(length);
      scratch.set(prefixBytes);
      scratch.set(message, prefixLength);
      bytes = scratch;
    }
    hashFrom(outer, innerStart, BLOCK, bytes, length, w);
    w.set(outer);
  }

  /** The outer hash, over the inner digest in w[0..7]: one block whose padding is constant. */
  function outerHash(): void {
    w[8] = 0x80000000 | 0;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = (BLOCK + 32) << 3;
    compress(outer, outerStart, w);
  }

  return {
    hex(message: string): string {
      if (!innerShortAscii(message)) innerGeneral(message);
      outerHash();
      return stateToHex(outer);
    },
    digest(message: string | Uint8Array): Uint8Array {
      if (typeof message !== "string" || !innerShortAscii(message)) innerGeneral(message);
      outerHash();
      return stateToBytes(outer);
    },
  };
}
