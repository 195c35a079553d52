import { describe, expect, it } from "vitest";
import { dedupeCitizens } from "../../functions/src/core/dedupe.ts";
import type { AggregateEntry, Entry, LineListEntry } from "../../functions/src/core/model.ts";

function citizen(
  unitId: string,
  idHash: string,
  row: number,
  enteredAt: string | null,
  firstSeenAt: string,
): LineListEntry {
  return {
    mode: "line-list",
    key: `${unitId}~${idHash}`,
    unitId,
    row,
    enteredAt,
    firstSeenAt,
    idHash,
    idMasked: "001*******89",
    date: "2025-07-29",
    supporter: "Nguyễn Văn A",
    residence: "Nà Pậu",
    indicators: { signature: true },
    provider: null,
  };
}
const names: Record<string, string> = {
  "na-pau": "Thôn Nà Pậu",
  "th-cho-don": "Trường Tiểu học Chợ Đồn",
  "ban-cuon": "Thôn Bản Cuôn",
};
const unitName = (id: string) => names[id] ?? id;
const T = (h: number) => `2025-07-29T${String(h).padStart(2, "0")}:00:00+07:00`;

describe("dedupeCitizens", () => {
  it.each<[string, LineListEntry[], string]>([
    [
      "earlier stamp wins",
      [citizen("na-pau", "x", 7, T(10), T(12)), citizen("th-cho-don", "x", 3, T(9), T(12))],
      "th-cho-don",
    ],
    [
      "a missing stamp counts from first sight",
      [citizen("na-pau", "x", 7, null, T(8)), citizen("th-cho-don", "x", 3, T(9), T(9))],
      "na-pau",
    ],
    [
      "same stamp: earlier first sight",
      [citizen("na-pau", "x", 7, T(9), T(10)), citizen("th-cho-don", "x", 3, T(9), T(11))],
      "na-pau",
    ],
    [
      "same times: unit id in plain order",
      [citizen("th-cho-don", "x", 3, T(9), T(9)), citizen("na-pau", "x", 7, T(9), T(9))],
      "na-pau",
    ],
    [
      "offsets are compared as instants, not text",
      [citizen("na-pau", "x", 7, "2025-07-29T02:30:00Z", T(12)), citizen("th-cho-don", "x", 3, T(9), T(12))],
      "th-cho-don",
    ],
  ])("%s", (_, list, winner) => {
    for (const input of [list, [...list].reverse()]) {
      const r = dedupeCitizens(input, unitName);
      expect(r.kept.map((e) => e.unitId)).toEqual([winner]);
      expect(r.duplicates).toHaveLength(1);
      expect(r.duplicates[0]!.keptBy.unitId).toBe(winner);
    }
  });

  it("lets aggregate entries and distinct citizens through in input order", () => {
    const report: AggregateEntry = {
      mode: "aggregate",
      key: "na-pau~2025-07-31",
      unitId: "na-pau",
      row: 2,
      enteredAt: T(9),
      firstSeenAt: T(9),
      reportDate: "2025-07-31",
      counts: { signature: 4 },
      reporter: "",
      note: "",
    };
    const input: Entry[] = [
      citizen("na-pau", "a", 2, T(9), T(9)),
      report,
      citizen("ban-cuon", "b", 2, T(8), T(8)),
    ];
    const r = dedupeCitizens(input, unitName);
    expect(r.kept).toEqual(input);
    expect(r.duplicates).toEqual([]);
    expect(r.issues).toEqual([]);
  });

  it("tells apart ids whose hash codes collide, and groups each citizen's recordings wherever they sit", () => {
    // The dedupe's 32-bit code reads a non-HMAC string's first and last 8 characters and its length: these two
    // share all of that and differ in the middle.
    const a = "AAAAAAAA1111BBBBBBBB";
    const b = "AAAAAAAA2222BBBBBBBB";
    const entries: Entry[] = [
      citizen("na-pau", a, 2, T(8), T(12)),
      citizen("na-pau", b, 3, T(8), T(12)),
      citizen("ban-cuon", "c", 2, T(8), T(12)),
      citizen("th-cho-don", b, 5, T(9), T(12)),
      citizen("ban-cuon", a, 4, T(10), T(12)),
      citizen("th-cho-don", a, 6, T(11), T(12)),
    ];
    const { kept, duplicates } = dedupeCitizens(entries, unitName);
    expect(kept).toEqual(entries.slice(0, 3));
    expect(duplicates.map((d) => [d.entry.unitId, d.entry.idHash, d.keptBy.unitId, d.keptBy.row])).toEqual([
      ["th-cho-don", b, "na-pau", 3],
      ["ban-cuon", a, "na-pau", 2],
      ["th-cho-don", a, "na-pau", 2],
    ]);
  });

  it("finds every shared citizen among many, the same as grouping hashes in a Map", () => {
    // 60.000 recordings of 64-digit hashes: a pool reused at random (shared citizens), hashes that share their
    // first 6 digits (the bit sets' 24 bits) or all 8 that make the code, and fresh ones.
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed;
    };
    const hex = (n: number) => Array.from({ length: n }, () => (next() % 16).toString(16)).join("");
    const pool = Array.from({ length: 2000 }, () => hex(64));
    const units = ["na-pau", "th-cho-don", "ban-cuon"];
    const entries: Entry[] = Array.from({ length: 60_000 }, (_, i) => {
      const pick = next() % 10;
      const hash =
        pick === 0
          ? pool[next() % pool.length]!
          : pick === 1
            ? `abcdef${hex(58)}`
            : pick === 2
              ? `12345678${hex(56)}`
              : hex(64);
      return citizen(units[i % 3]!, hash, 2 + Math.floor(i / 3), T(8 + (i % 10)), T(20));
    });
    const byHash = new Map<string, number>();
    for (const e of entries) {
      const h = (e as LineListEntry).idHash;
      byHash.set(h, (byHash.get(h) ?? 0) + 1);
    }
    const expected = [...byHash.values()].reduce((n, count) => n + count - 1, 0);
    expect(expected).toBeGreaterThan(3000);
    const { kept, duplicates } = dedupeCitizens(entries, unitName);
    expect(duplicates.length).toBe(expected);
    expect(kept.length).toBe(entries.length - expected);
    expect(new Set(kept.map((e) => (e as LineListEntry).idHash)).size).toBe(byHash.size);
  });

  it("keeps one of three and warns the two later units without personal data", () => {
    const input = [
      citizen("ban-cuon", "x", 5, T(11), T(11)),
      citizen("na-pau", "x", 7, T(10), T(10)),
      citizen("th-cho-don", "x", 3, T(9), T(9)),
    ];
    const r = dedupeCitizens(input, unitName);
    expect(r.kept.map((e) => e.unitId)).toEqual(["th-cho-don"]);
    expect(r.issues.map((i) => [i.unitId, i.row, i.message])).toEqual([
      [
        "na-pau",
        7,
        "Thôn Nà Pậu, dòng 7: người dân này đã được Trường Tiểu học Chợ Đồn ghi nhận trước; không tính trùng.",
      ],
      [
        "ban-cuon",
        5,
        "Thôn Bản Cuôn, dòng 5: người dân này đã được Trường Tiểu học Chợ Đồn ghi nhận trước; không tính trùng.",
      ],
    ]);
    for (const i of r.issues) {
      expect(i).toMatchObject({ code: "duplicate-citizen", severity: "warning", column: "", header: "" });
      expect(i.message).not.toContain("001");
    }
  });
});

describe("dedupeCitizens, per indicator", () => {
  const withIndicators = (e: LineListEntry, indicators: Record<string, boolean>): LineListEntry => ({
    ...e,
    indicators,
  });

  it("counts what a later unit did that the first did not, and only that", () => {
    const first = withIndicators(citizen("na-pau", "x", 4, T(9), T(12)), { vneid: true, signature: false });
    const later = withIndicators(citizen("th-cho-don", "x", 6, T(10), T(12)), {
      vneid: true,
      signature: true,
    });
    const { kept, duplicates, issues } = dedupeCitizens([later, first], unitName);
    expect(duplicates).toEqual([]);
    expect(issues).toEqual([]);
    expect(kept).toEqual([{ ...later, indicators: { vneid: false, signature: true } }, first]);
  });

  it("marks a later recording with nothing new as the duplicate of the first", () => {
    const first = withIndicators(citizen("na-pau", "x", 4, T(9), T(12)), { vneid: true, signature: true });
    const second = withIndicators(citizen("ban-cuon", "x", 2, T(10), T(12)), {
      vneid: false,
      signature: true,
    });
    const third = withIndicators(citizen("th-cho-don", "x", 8, T(11), T(12)), {
      vneid: true,
      signature: false,
    });
    const { kept, duplicates } = dedupeCitizens([third, second, first], unitName);
    expect(kept).toEqual([first]);
    expect(duplicates.map((d) => [d.entry.unitId, d.keptBy.unitId])).toEqual([
      ["ban-cuon", "na-pau"],
      ["th-cho-don", "na-pau"],
    ]);
  });
});
