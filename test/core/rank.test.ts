import { describe, expect, it } from "vitest";
import { assignBands, paceBand, rankWithin, trendOf } from "../../functions/src/core/rank.ts";
import type { Band } from "../../schemas/index.ts";

const item = (name: string, score: number) => ({ id: name.toLowerCase().replace(/\s+/g, "-"), name, score });

describe("rankWithin", () => {
  it.each<[string, [string, number][], [string, number][]]>([
    [
      "distinct scores",
      [
        ["B", 5],
        ["A", 9],
        ["C", 1],
      ],
      [
        ["A", 1],
        ["B", 2],
        ["C", 3],
      ],
    ],
    [
      "ties share a rank, the next rank skips, tied names in Vietnamese order",
      [
        ["Đồng Nguyên", 10],
        ["Đông Ngàn", 10],
        ["Đình Bảng", 10],
        ["Châu Khê", 12],
        ["Phù Khê", 3],
      ],
      [
        ["Châu Khê", 1],
        ["Đình Bảng", 2],
        ["Đông Ngàn", 2],
        ["Đồng Nguyên", 2],
        ["Phù Khê", 5],
      ],
    ],
    [
      "d before đ, tones after the base letter",
      [
        ["Đào Viên", 0],
        ["Dương Nội", 0],
        ["Ấp Bắc", 0],
        ["An Bình", 0],
      ],
      [
        ["An Bình", 1],
        ["Ấp Bắc", 1],
        ["Dương Nội", 1],
        ["Đào Viên", 1],
      ],
    ],
  ])("%s", (_, input, expected) => {
    const ranked = rankWithin(input.map(([n, s]) => item(n, s)));
    expect(ranked.map((r) => [r.item.name, r.rank])).toEqual(expected);
    expect(ranked.every((r) => r.rankOf === input.length)).toBe(true);
  });

  it("is the same whatever the input order", () => {
    const list = [item("Đông Ngàn", 4), item("Đình Bảng", 4), item("Đồng Nguyên", 4), item("Tam Sơn", 7)];
    const a = rankWithin(list).map((r) => r.item.name);
    const b = rankWithin([...list].reverse()).map((r) => r.item.name);
    expect(a).toEqual(b);
    expect(a).toEqual(["Tam Sơn", "Đình Bảng", "Đông Ngàn", "Đồng Nguyên"]);
  });
});

describe("trendOf", () => {
  it.each([
    [3, null, "new"],
    [2, 5, "up"],
    [5, 2, "down"],
    [4, 4, "same"],
  ] as const)("rank %d after %s is %s", (rank, previous, trend) => {
    expect(trendOf(rank, previous)).toBe(trend);
  });
});

describe("assignBands", () => {
  const bands = { praise: 3, criticise: 2, behindBelowPace: 0.8 };
  const run = (scores: number[], opts = bands, ranked = true) => [
    ...assignBands(
      scores.map((score, i) => ({ id: `u${i}`, score, target: null, percent: null })),
      opts,
      50,
      ranked,
    ).values(),
  ];

  it.each<[string, number[], typeof bands, Band[]]>([
    [
      "top three praised, bottom two criticised",
      [90, 80, 70, 60, 50, 40, 30],
      bands,
      ["praise", "praise", "praise", "on-track", "on-track", "criticise", "criticise"],
    ],
    [
      "a tie at the praise edge is praised too",
      [90, 80, 70, 70, 50, 40, 30],
      bands,
      ["praise", "praise", "praise", "praise", "on-track", "criticise", "criticise"],
    ],
    [
      "a tie at the criticise edge is criticised together",
      [90, 80, 70, 60, 30, 30, 30],
      bands,
      ["praise", "praise", "praise", "on-track", "criticise", "criticise", "criticise"],
    ],
    [
      "fewer units than praise + criticise: praise wins",
      [40, 30, 20, 10],
      bands,
      ["praise", "praise", "praise", "criticise"],
    ],
    ["three units: all praised, none criticised", [40, 30, 20], bands, ["praise", "praise", "praise"]],
    [
      "level with a praised unit is never criticised",
      [50, 50, 50, 50],
      { praise: 1, criticise: 2, behindBelowPace: 0.8 },
      ["praise", "praise", "praise", "praise"],
    ],
    [
      "nobody praised for nothing, nobody singled out when all are level",
      [0, 0, 0, 0],
      bands,
      ["on-track", "on-track", "on-track", "on-track"],
    ],
    [
      "zeros at the bottom are criticised, not praised",
      [5, 0, 0],
      { praise: 2, criticise: 1, behindBelowPace: 0.8 },
      ["praise", "criticise", "criticise"],
    ],
    [
      "no bands configured",
      [3, 2, 1],
      { praise: 0, criticise: 0, behindBelowPace: 0.8 },
      ["on-track", "on-track", "on-track"],
    ],
  ])("%s", (_, scores, opts, expected) => {
    expect(run(scores, opts)).toEqual(expected);
  });

  it("never praises or criticises kinds that are not ranked", () => {
    expect(run([90, 80, 70, 60, 50], bands, false)).toEqual([
      "on-track",
      "on-track",
      "on-track",
      "on-track",
      "on-track",
    ]);
  });

  it("marks the middle behind when under the share of pace", () => {
    const group = [
      { id: "a", score: 9, target: 100, percent: 90 },
      { id: "b", score: 5, target: 100, percent: 39.9 },
      { id: "c", score: 6, target: 100, percent: 40 },
      { id: "d", score: 4, target: null, percent: null },
      { id: "e", score: 1, target: 100, percent: 1 },
    ];
    const out = assignBands(group, { praise: 1, criticise: 1, behindBelowPace: 0.8 }, 50, true);
    expect(Object.fromEntries(out)).toEqual({
      a: "praise",
      b: "behind",
      c: "on-track",
      d: "on-track",
      e: "criticise",
    });
  });
});

describe("paceBand", () => {
  it.each([
    [39.9, 100, 50, 0.8, "behind"],
    [40, 100, 50, 0.8, "on-track"],
    [null, null, 50, 0.8, "on-track"],
    [0, 0, 50, 0.8, "on-track"],
    [10, 100, 0, 0.8, "on-track"],
    [49, 100, 50, 1, "behind"],
  ] as const)("percent %s of target %s at pace %d × %d → %s", (percent, target, pace, share, band) => {
    expect(paceBand(percent, target, pace, share)).toBe(band);
  });
});
