// Deterministic inputs for the hash tests and the HMAC benchmark: a seeded PRNG and text of an exact UTF-8 size.
import { mulberry32 } from "../../scripts/examples/prng.ts";

/** mulberry32 (scripts/examples/prng.ts): small, seedable, the same numbers on every run. */
export const prng = mulberry32;

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
