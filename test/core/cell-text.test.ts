// TextNumbers stands in for a Map from a sheet's supporter spellings to their text index on the line-list fast
// path: it must answer exactly as a Map would, whatever the texts, however many, and for every fresh string
// with the same characters.
import { describe, expect, it } from "vitest";
import { TextNumbers } from "../../functions/src/core/cell-text.ts";
import { rng } from "../support/random-standings.ts";

describe("TextNumbers", () => {
  it("answers as a Map does, for texts made to collide and past its first size", () => {
    const r = rng(7);
    // Texts that agree on the characters its slot is picked from (length, last two, middle, quarter).
    const alike = Array.from(
      { length: 40 },
      (_, k) => `Nguyễn ${String.fromCharCode(0x41 + (k % 26))}${k < 26 ? "a" : "b"} Văn Bình`,
    );
    const random = Array.from({ length: 3_000 }, () =>
      Array.from({ length: r.int(0, 30) }, () =>
        String.fromCharCode(r.chance(0.5) ? r.int(0x61, 0x7a) : r.int(0xc0, 0x1ef9)),
      ).join(""),
    );
    const table = new TextNumbers();
    const map = new Map<string, number>();
    [...alike, ...random].forEach((text, i) => {
      if (map.has(text)) return;
      expect(table.get(text)).toBeUndefined();
      table.set(text, i);
      map.set(text, i);
    });
    expect(map.size).toBeGreaterThan(2_048); // grew twice
    for (const [text, value] of map) {
      // A fresh string with the same characters, as the next row's cell would be.
      const fresh = [...text].join("");
      expect(table.get(fresh), JSON.stringify(text)).toBe(value);
    }
    for (const text of ["", "x", "Nguyễn Aa Văn Bìnk", "Nguyễn Aa Văn Bình "]) {
      expect(table.get(text)).toBe(map.get(text));
    }
  });
});
