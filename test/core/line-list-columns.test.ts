// Line-list entries held as sheets' columns must count exactly as the same entries held as objects: the standings
// read the columns directly (StandingsInput.lineList), so every figure, rank, warning and error must be the same.
import { describe, expect, it } from "vitest";
import { lineListProvince } from "../../bench/province.ts";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { LineListColumns } from "../../functions/src/core/line-list-columns.ts";
import type { Entry, LineListEntry } from "../../functions/src/core/model.ts";
import { parseSheet, parseSheetColumns } from "../../functions/src/core/parse-sheet.ts";
import { computeStandings, type StandingsInput } from "../../functions/src/core/standings.ts";
import type { RowIssue } from "../../schemas/index.ts";
import { randomInput, rng } from "../support/random-standings.ts";

/** A sheet's entries as a sheet gives them: exactly the campaign's indicators, each entry once. */
function asRead(input: StandingsInput): Entry[] {
  const keys = input.campaign.indicators.map((i) => i.key);
  return [...new Set(input.entries)].map((e) =>
    e.mode === "line-list"
      ? { ...e, indicators: Object.fromEntries(keys.map((k) => [k, e.indicators[k] === true])) }
      : e,
  );
}

/**
 * The line-list entries as columns, one per unit and first-seen time (a sheet shares one), in input order; their
 * tick masks in campaign order, or in the reverse order when `reversed` (columns read for another campaign object).
 */
function toColumns(
  input: StandingsInput,
  entries: readonly LineListEntry[],
  reversed = false,
): LineListColumns[] {
  const inOrder = input.campaign.indicators.map((i) => i.key);
  const keys = reversed ? [...inOrder].reverse() : inOrder;
  const sheets = new Map<string, LineListColumns>();
  for (const e of entries) {
    const id = `${e.unitId} ${e.firstSeenAt}`;
    let sheet = sheets.get(id);
    if (sheet === undefined) {
      sheet = new LineListColumns({
        unitId: e.unitId,
        firstSeenAt: e.firstSeenAt,
        keyPrefix: `${e.unitId}~`,
        indicatorKeys: keys,
        capacity: entries.length,
        stamps: null,
      });
      sheets.set(id, sheet);
    }
    let ticks = 0;
    keys.forEach((k, bit) => {
      if (e.indicators[k]) ticks |= 1 << bit;
    });
    const ms = e.enteredAt === null ? Number.NaN : Date.parse(e.enteredAt);
    sheet.pushWithStamp(
      e.row,
      e.enteredAt,
      ms,
      e.date,
      e.supporter,
      e.residence,
      ticks,
      e.provider,
      e.idMasked.replaceAll("*", "0"), // an id with the same visible digits
    );
  }
  // Hashes in push order: entries of one sheet in input order.
  const hashes = new Map<LineListColumns, string[]>();
  for (const e of entries) {
    const sheet = sheets.get(`${e.unitId} ${e.firstSeenAt}`)!;
    hashes.set(sheet, [...(hashes.get(sheet) ?? []), e.idHash]);
  }
  for (const [sheet, list] of hashes) sheet.setHashes(list);
  return [...sheets.values()];
}

const outcome = (run: () => unknown): string => {
  try {
    return JSON.stringify(run());
  } catch (e) {
    const err = e as Error & { code?: string; details?: unknown };
    return JSON.stringify({ threw: err.name, code: err.code, message: err.message, details: err.details });
  }
};

describe("line-list entries as columns", () => {
  it("give the same standings as the same entries as objects, all or some of them as columns", () => {
    let compared = 0;
    let duplicates = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const input = randomInput(seed);
      const entries = asRead(input);
      const lineList = entries.filter((e): e is LineListEntry => e.mode === "line-list");
      if (lineList.length === 0) continue;
      const others = entries.filter((e) => e.mode !== "line-list");
      const asObjects = outcome(() => computeStandings({ ...input, entries }));
      const asColumns = outcome(() =>
        computeStandings({ ...input, entries: others, lineList: toColumns(input, lineList) }),
      );
      expect(asColumns, `seed ${seed}`).toBe(asObjects);
      // Half as objects, half as columns.
      const r = rng(seed * 13);
      const split = lineList.filter(() => r.chance(0.5));
      const rest = lineList.filter((e) => !split.includes(e));
      const mixed = outcome(() =>
        computeStandings({
          ...input,
          entries: [...others, ...split],
          lineList: toColumns(input, rest, true),
        }),
      );
      expect(mixed, `seed ${seed} mixed`).toBe(asObjects);
      compared += 1;
      if (asObjects.includes("duplicate-citizen")) duplicates += 1;
    }
    expect(compared).toBeGreaterThan(100);
    expect(duplicates).toBeGreaterThan(30);
  });

  it("refuses more indicators than a tick mask holds, and entries once hashed", () => {
    const init = (keys: number) => ({
      unitId: "u",
      firstSeenAt: "2025-08-01T00:00:00.000+07:00",
      keyPrefix: "u~",
      indicatorKeys: Array.from({ length: keys }, (_, k) => `i${k}`),
      capacity: 2,
      stamps: null,
    });
    expect(() => new LineListColumns(init(31))).toThrow(/30/);
    const sheet = new LineListColumns(init(30));
    sheet.pushWithStamp(2, null, Number.NaN, "2025-08-01", "A", "", 1 << 29, null, "001095012345");
    sheet.setHashes(["h"]);
    expect(sheet.entry(0).indicators.i29).toBe(true);
    expect(() =>
      sheet.pushWithStamp(3, null, Number.NaN, "2025-08-01", "A", "", 1, null, "001095012346"),
    ).toThrow();
  });

  it("hand the hasher twelve-digit ids as their values, and any other id as text", () => {
    const sheet = () =>
      new LineListColumns({
        unitId: "u",
        firstSeenAt: "2025-08-01T00:00:00.000+07:00",
        keyPrefix: "u~",
        indicatorKeys: ["a"],
        capacity: 3,
        stamps: null,
      });
    const push = (to: LineListColumns, row: number, id: string) =>
      to.pushWithStamp(row, null, Number.NaN, "2025-08-01", "A", "", 1, null, id);
    const twelve = sheet();
    push(twelve, 2, "001095012345");
    push(twelve, 3, "999999999999");
    expect([...twelve.idValuesToHash()!]).toEqual([1_095_012_345, 999_999_999_999]);
    expect(twelve.idsToHash()).toEqual(["001095012345", "999999999999"]);
    const odd = sheet();
    push(odd, 2, "001095012345");
    push(odd, 3, "12345");
    push(odd, 4, "00109501234x");
    expect(odd.idValuesToHash()).toBeNull();
    expect(odd.idsToHash()).toEqual(["001095012345", "12345", "00109501234x"]);
    // A value that is not the id's is refused rather than hashed in its place.
    const wrong = sheet();
    expect(() => wrong.push(2, null, 0, 0, 0, 1, -1, "001095012345", Float64Array.of(1_095_012_346))).toThrow(
      /value/,
    );
    wrong.push(2, null, 0, 0, 0, 1, -1, "001a95012345", Float64Array.of(Number.NaN));
    expect(wrong.idsToHash()).toEqual(["001a95012345"]);

    // A sheet read with the batch hasher (values) and with one that hashes an id at a time: the same hashes.
    const hashId = makeIdHasher("test-secret-0123456789abcdef0123456789abcdef");
    const p = lineListProvince({ communes: 1, rowsPerCommune: 300 });
    const [header = [], ...rows] = JSON.parse(p.bodies[0]!).valueRanges[0].values;
    const read = (hasher: typeof hashId) =>
      parseSheetColumns({
        campaign: p.campaign,
        unit: p.reporting[0]!,
        sheet: { unitId: p.reporting[0]!.id, source: "test", header, rows },
        now: p.now,
        hashId: hasher,
      }).lineList!;
    const batch = read(hashId);
    const single = read((id) => hashId(id));
    expect(batch.length).toBeGreaterThan(250);
    expect(batch.entries()).toEqual(single.entries());
    const idColumn = header.findIndex((label: string) => /định danh/.test(label));
    expect(batch.idHash(0)).toBe(hashId(rows[batch.row[0]! - 2][idColumn]));
  });

  it("an entry whose stamp cannot be read fails as it does among objects", () => {
    const lineListOf = (input: StandingsInput) =>
      asRead(input).filter((e): e is LineListEntry => e.mode === "line-list");
    const seed = Array.from({ length: 50 }, (_, i) => i + 1).find(
      (s) => lineListOf(randomInput(s)).length > 20,
    )!;
    const input = randomInput(seed);
    const entries = lineListOf(input);
    entries[5] = { ...entries[5]!, enteredAt: "2025-13-01T00:00:00Z" };
    const asObjects = outcome(() => computeStandings({ ...input, entries }));
    expect(asObjects).toContain("invalid-entry-time");
    expect(
      outcome(() => computeStandings({ ...input, entries: [], lineList: toColumns(input, entries) })),
    ).toBe(asObjects);
  });

  it("read from sheets, count as parseSheet's entries do, with and without a fixed-offset zone", () => {
    const hashId = makeIdHasher("test-secret-0123456789abcdef0123456789abcdef");
    for (const timezone of ["Asia/Ho_Chi_Minh", "Asia/Bangkok", "Europe/Paris"]) {
      const p = lineListProvince({ communes: 4, rowsPerCommune: 400 });
      const campaign = { ...p.campaign, timezone };
      const objects: Entry[] = [];
      const columns: LineListColumns[] = [];
      const issues: RowIssue[] = [];
      p.bodies.forEach((body, i) => {
        const unit = p.reporting[i]!;
        const [header = [], ...rows] = JSON.parse(body).valueRanges[0].values;
        // Some rows without a stamp: those count from when the server first saw them.
        rows.forEach((row: unknown[], k: number) => {
          if (k % 17 === 0) row[0] = "";
        });
        const sheet = { unitId: unit.id, source: "test", header, rows };
        const read = { campaign, unit, sheet, now: p.now, hashId };
        const parsed = parseSheet(read);
        const asColumns = parseSheetColumns(read);
        objects.push(...parsed.entries);
        columns.push(asColumns.lineList!);
        issues.push(...parsed.issues);
      });
      expect(objects.some((e) => e.enteredAt === null)).toBe(true);
      const base = { campaign, units: p.units, unitStates: [], issues, asOf: p.now };
      const fromObjects = computeStandings({ ...base, entries: objects });
      expect(fromObjects.duplicateIssues.length, timezone).toBeGreaterThan(0);
      expect(computeStandings({ ...base, entries: [], lineList: columns })).toEqual(fromObjects);
    }
  });
});
