// The province-scale rewrite of dedupe, ledgers and standings must not change a single figure: for many seeded
// random campaigns (both modes, duplicates across and within units, partly overlapping indicators, stamps before
// and after cutoffs, missing stamps, odd but valid ISO forms, ties) the live core's output is compared, byte for
// byte as JSON, with a snapshot of the implementation it replaced (test/core/reference/). A deliberate change of
// the rules changes the reference with it.
import { describe, expect, it } from "vitest";
import * as live from "../../functions/src/core/aggregate.ts";
import { dedupeCitizens, isoMs } from "../../functions/src/core/dedupe.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import { outcome, type Rng, randomInput, rng } from "../support/random-standings.ts";
import * as ref from "./reference/aggregate.ts";
import { dedupeCitizens as refDedupeCitizens } from "./reference/dedupe.ts";
import { computeStandings as refComputeStandings } from "./reference/standings.ts";

/** Strings shaped like stored instants, most valid, some with a field out of range or a character off. */
function isoLike(r: Rng): string {
  const two = (max: number) => String(r.int(0, max)).padStart(2, "0");
  const year = r.pick(["2025", "2024", "1970", "0099", "0100", "0000", "9999", "1969", "2100", "20a5"]);
  const millis = r.pick(["", ".000", ".123", ".999", ".1", ".12", ".1234", ".", ".12x"]);
  const zone = r.pick([
    "Z",
    "+07:00",
    "-03:00",
    "+00:00",
    "-00:00",
    "+23:59",
    "-09:30",
    "+24:00",
    "+07:60",
    "+0700",
    "z",
    "",
    "+07",
  ]);
  const t = r.pick(["T", "T", "T", "t", " "]);
  let s = `${year}-${two(13)}-${two(32)}${t}${two(25)}:${two(61)}:${two(61)}${millis}${zone}`;
  // One character of any field replaced: a letter, a separator or a digit where a separator goes.
  if (r.chance(0.1)) {
    const at = r.int(0, s.length - 1);
    s = `${s.slice(0, at)}${r.pick(["x", "/", "-", ":", " ", "9", ".", "+", "\u0660"])}${s.slice(at + 1)}`;
  }
  return r.chance(0.05) ? s.slice(0, r.int(0, s.length)) : s;
}

const SEEDS = Array.from({ length: 250 }, (_, i) => i + 1);

describe("the province-scale core matches the implementation it replaced", () => {
  it("computeStandings: identical standings and duplicate warnings for random campaigns", () => {
    let withDuplicates = 0;
    let threw = 0;
    for (const seed of SEEDS) {
      const input = randomInput(seed);
      const before = outcome(() => refComputeStandings(input));
      const after = outcome(() => computeStandings(input));
      expect(after, `seed ${seed}`).toBe(before);
      if (before.includes("duplicate-citizen")) withDuplicates += 1;
      if (before.startsWith('{"threw"')) threw += 1;
    }
    // The generator really exercises the dedupe, and valid entries never fail.
    expect(withDuplicates).toBeGreaterThan(SEEDS.length / 4);
    expect(threw).toBe(0);
  });

  it("an unreadable entry time fails the same way", () => {
    let threw = 0;
    for (const seed of SEEDS.slice(0, 100)) {
      const input = randomInput(seed);
      const r = rng(seed * 7919);
      const broken = input.entries.map((e) =>
        r.chance(0.03) ? { ...e, enteredAt: r.pick(["not a time", "2025-13-01T00:00:00Z"]) } : e,
      );
      const withBroken = { ...input, entries: broken };
      const before = outcome(() => refComputeStandings(withBroken));
      expect(
        outcome(() => computeStandings(withBroken)),
        `seed ${seed}`,
      ).toBe(before);
      if (before.includes("invalid-entry-time")) threw += 1;
    }
    expect(threw).toBeGreaterThan(50);
  });

  it("isoMs reads every instant exactly as Date.parse does", () => {
    const edges = [
      "2024-02-29T00:00:00Z",
      "2100-02-29T00:00:00Z",
      "2000-02-29T12:00:00.500+07:00",
      "2025-02-29T00:00:00Z",
      "2025-04-31T00:00:00Z",
      "2025-12-31T23:59:59.999-09:30",
      "0100-01-01T00:00:00Z",
      "0099-12-31T23:59:59Z",
      "0000-01-01T00:00:00+07:00",
      "1969-12-31T23:59:59.999Z",
    ];
    for (const s of edges) expect(isoMs(s), s).toBe(Date.parse(s));
    const r = rng(2025);
    for (let i = 0; i < 50_000; i++) {
      const s = isoLike(r);
      expect(isoMs(s), s).toBe(Date.parse(s));
    }
  });

  it("dedupeCitizens: same kept entries (same objects where untouched), duplicates and warnings", () => {
    for (const seed of SEEDS) {
      const { entries, units } = randomInput(seed);
      const name = (id: string) => units.find((u) => u.id === id)?.name ?? id;
      const before = refDedupeCitizens(entries, name);
      const { kept, duplicates, issues } = dedupeCitizens(entries, name);
      const after = { kept, duplicates, issues };
      expect(JSON.stringify(after), `seed ${seed}`).toBe(JSON.stringify(before));
      const untouched = (r: typeof before) => r.kept.map((e) => entries.includes(e));
      expect(untouched(after), `seed ${seed}`).toEqual(untouched(before));
      expect(
        after.duplicates.every((d, i) => d.entry === before.duplicates[i]!.entry),
        `seed ${seed}`,
      ).toBe(true);
    }
  });

  it("ledger queries answer the same at every instant", () => {
    for (const seed of SEEDS.slice(0, 150)) {
      const { campaign: c, entries } = randomInput(seed);
      const r = rng(seed * 31);
      const before = ref.buildLedgers(c, entries);
      const after = live.buildLedgers(c, entries);
      expect([...after.keys()], `seed ${seed}`).toEqual([...before.keys()]);
      const times = entries.map((e) => Date.parse(e.enteredAt ?? e.firstSeenAt));
      const instants = [
        ...Array.from({ length: 30 }, () => (times.length ? r.pick(times) + r.int(-1, 1) : 0)),
        Number.NEGATIVE_INFINITY,
        Number.POSITIVE_INFINITY,
        Number.NaN,
        ...Array.from({ length: 10 }, () => r.int(1_750_000_000_000, 1_760_000_000_000)),
      ];
      const asked = [...before.keys(), "nobody"].flatMap((unitId) =>
        instants.map((at, i) => ({ unitId, start: instants[(i * 7) % instants.length]!, at })),
      );
      const answers = (impl: typeof ref | typeof live, ledgers: typeof before | typeof after) =>
        asked.map(({ unitId, start, at }) => {
          // biome-ignore lint/suspicious/noExplicitAny: the reference and live ledgers differ in shape; each impl reads its own.
          const l = ledgers.get(unitId) as any;
          return [
            impl.countsAt(c, l, at),
            impl.countsAddedBetween(c, l, start, at),
            impl.enteredBetween(l, start, at),
            impl.lateCount(l, at),
            l ? impl.latestReport(l, at) : null,
          ];
        });
      const answersBefore = answers(ref, before);
      const answersAfter = answers(live, after);
      expect(JSON.stringify(answersAfter), `seed ${seed}`).toBe(JSON.stringify(answersBefore));
    }
  });
});
