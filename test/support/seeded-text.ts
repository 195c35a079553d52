// Deterministic inputs for the hash tests and the HMAC benchmark: a seeded PRNG and text of an exact UTF-8 size.

/** mulberry32: small, seedable, the same numbers on every run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Text whose UTF-8 length is exactly `bytes`, drawn from `pieces` (which must include a 1-byte one). */
export function textOfBytes(bytes: number, pieces: readonly string[], random: () => number): string {
  let text = "";
  let left = bytes;
  while (left > 0) {
    const piece = pieces[Math.floor(random() * pieces.length)]!;
    const size = Buffer.byteLength(piece, "utf8");
    if (size <= left) {
      text += piece;
      left -= size;
    }
  }
  return text;
}
