// A unit snapshot must give back exactly the entries it was made from, and standings computed from snapshots must be
// the standings computed from the entries: the cycle counts from snapshots instead of the entries themselves.
import { createHash } from "node:crypto";
import { DateTime, FixedOffsetZone } from "luxon";
import { describe, expect, it } from "vitest";
import { isIsoAtOffset, isoAtOffset } from "../../functions/src/core/cell-dates.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import type { Entry } from "../../functions/src/core/model.ts";
import { computeStandings, type StandingsInput } from "../../functions/src/core/standings.ts";
import {
  decodeUnitSnapshot,
  encodeUnitSnapshot,
  type UnitEntries,
} from "../../functions/src/core/unit-snapshot.ts";
import { outcome, randomInput, rng } from "../support/random-standings.ts";

/** The random input's entries as a store would hold them: HMAC-like hashes and masks, one entry per key. */
function storedEntries(seed: number): { input: StandingsInput; byUnit: Map<string, Entry[]> } {
  const input = randomInput(seed);
  const r = rng(seed * 7919);
  const byKey = new Map<string, Entry>();
  for (const e of input.entries) {
    if (e.mode === "line-list" && !r.chance(0.05)) {
      // Mostly hex hashes (as the HMAC gives), now and then a hand-made one that cannot be a column.
      const idHash = createHash("sha256").update(e.idHash).digest("hex");
      const masked = r.pick(["001*******89", "079*******01", "0**", "abc*******xy", "001*******89"]);
      // Mostly every campaign indicator present, as the sheet reader writes them; sometimes as the generator has.
      const keys = input.campaign.indicators.map((i) => i.key);
      const indicators = r.chance(0.8)
        ? Object.fromEntries(keys.map((k) => [k, e.indicators[k] === true]))
        : e.indicators;
      const copy = { ...e, idHash, key: `${e.unitId}~${idHash}`, idMasked: masked, indicators };
      if (r.chance(0.1)) copy.provider = r.pick(["VNPT", "Viettel"]);
      if (r.chance(0.05)) copy.key = `other~${idHash}`;
      byKey.set(copy.key, copy);
    } else byKey.set(e.key, e);
  }
  const byUnit = new Map<string, Entry[]>();
  for (const e of [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const list = byUnit.get(e.unitId) ?? [];
    list.push(e);
    byUnit.set(e.unitId, list);
  }
  return { input: { ...input, entries: [...byKey.values()] }, byUnit };
}

function roundTrip(unitId: string, entries: Entry[]): UnitEntries {
  return decodeUnitSnapshot(encodeUnitSnapshot(unitId, entries));
}

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

describe("unit snapshots", () => {
  it("give back every entry field for field, most line-list entries as columns", () => {
    let inColumns = 0;
    let whole = 0;
    for (const seed of SEEDS) {
      const { byUnit } = storedEntries(seed);
      for (const [unitId, entries] of byUnit) {
        const back = roundTrip(unitId, entries);
        const columns = back.lineList?.entries() ?? [];
        inColumns += columns.length;
        whole += back.entries.filter((e) => e.mode === "line-list").length;
        const sorted = [...back.entries, ...columns].sort((a, b) => (a.key < b.key ? -1 : 1));
        expect(sorted, `seed ${seed}, unit ${unitId}`).toEqual(entries);
        expect(back.unitId).toBe(unitId);
      }
    }
    // Both kinds are exercised: line-list entries of the usual shape as columns, the rest whole.
    expect(inColumns).toBeGreaterThan(3 * whole);
    expect(whole).toBeGreaterThan(100);
  });

  it("keep stamps written in other forms and masks without a code as they were", () => {
    const base = {
      mode: "line-list" as const,
      unitId: "u1",
      row: 2,
      firstSeenAt: "2025-08-01T09:00:00.000+07:00",
      idMasked: "001*******89",
      date: "2025-08-01",
      supporter: "Nguyễn Văn An",
      residence: "Thôn Nà Pậu",
      indicators: { vneid: true, signature: false },
      provider: null,
    };
    const hash = (n: number) => createHash("sha256").update(String(n)).digest("hex");
    const entries: Entry[] = [
      "2025-08-01T08:15:00.000+07:00",
      "2025-08-01T01:15:00.000Z",
      "2025-08-01T08:15+07:00",
      "không rõ",
      null,
    ].map((enteredAt, i) => ({
      ...base,
      key: `u1~${hash(i)}`,
      idHash: hash(i),
      row: i + 2,
      enteredAt,
      idMasked: i === 3 ? "0**" : base.idMasked,
    }));
    const back = roundTrip("u1", entries);
    expect(back.entries).toEqual([]);
    expect(back.lineList?.entries()).toEqual(entries);
    expect(back.lineList?.enteredMs[3]).toBeNaN();
  });

  it("give the same standings as the entries they were made from", () => {
    let compared = 0;
    for (const seed of SEEDS) {
      const { input, byUnit } = storedEntries(seed);
      const decoded = [...byUnit].map(([unitId, entries]) => roundTrip(unitId, entries));
      const fromEntries = outcome(() => computeStandings(input));
      const fromSnapshots = outcome(() =>
        computeStandings({
          ...input,
          entries: decoded.flatMap((d) => d.entries),
          lineList: decoded.flatMap((d) => (d.lineList ? [d.lineList] : [])),
        }),
      );
      expect(fromSnapshots, `seed ${seed}`).toBe(fromEntries);
      if (!fromEntries.includes('"threw"')) compared++;
    }
    expect(compared).toBeGreaterThan(SEEDS.length / 2);
  });

  it("refuse bytes that are not a snapshot", () => {
    const good = encodeUnitSnapshot("u1", []);
    for (const bad of [
      new Uint8Array(2),
      good.subarray(0, good.length - 1),
      new Uint8Array([9, 0, 0, 0, 1]),
    ]) {
      expect(() => decodeUnitSnapshot(bad)).toThrow(DondocError);
    }
    const truncated = encodeUnitSnapshot("u1", storedEntries(3).byUnit.values().next().value ?? []);
    expect(() => decodeUnitSnapshot(truncated.subarray(0, truncated.length - 32))).toThrow(/bị hỏng/);
  });
});

describe("stamps at a fixed offset", () => {
  it("isoAtOffset is luxon's toISO at that offset, and isIsoAtOffset recognises exactly its text", () => {
    const r = rng(42);
    let checked = 0;
    for (let i = 0; i < 5000; i++) {
      const ms = r.int(-2_000_000_000_000, 4_000_000_000_000) + r.pick([0, 0.25, 999]);
      const offset = r.pick([420, 0, -180, 345, -570, 840]);
      const whole = Math.trunc(ms);
      const text = isoAtOffset(whole, offset);
      const luxon = DateTime.fromMillis(whole, { zone: FixedOffsetZone.instance(offset) }).toISO();
      if (text === null) {
        expect(DateTime.fromMillis(whole, { zone: "UTC" }).year < 1000 || luxon!.startsWith("+")).toBe(true);
        continue;
      }
      // luxon writes a zero offset as "Z"; the stamps' own "+00:00" is kept as written.
      expect(text).toBe(offset === 0 ? luxon!.replace(/Z$/, "+00:00") : luxon);
      expect(isIsoAtOffset(text, whole, offset)).toBe(true);
      // One character changed, another instant or another offset: not its text.
      const at = r.int(0, text.length - 1);
      const changed = `${text.slice(0, at)}${text[at] === "1" ? "2" : "1"}${text.slice(at + 1)}`;
      expect(isIsoAtOffset(changed, whole, offset)).toBe(false);
      expect(isIsoAtOffset(text, whole + r.pick([1, 1000, 60_000, 86_400_000]), offset)).toBe(false);
      expect(isIsoAtOffset(text, whole, offset + 60)).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
