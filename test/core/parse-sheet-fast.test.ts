// The line-list fast path (core/line-list-fast.ts) must give exactly what the full reader gives: the same
// entries, issues, counts, in the same order. Both are run on fuzzed sheets — plain rows the fast path takes,
// rows with one hostile cell it must hand over, repeated ids, replays — and on the example workbooks.
import { resolve } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { serialStampReader } from "../../functions/src/core/cell-dates.ts";
import { SpellingCache } from "../../functions/src/core/cell-text.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { FirstRowById } from "../../functions/src/core/id-rows.ts";
import { LineListColumns } from "../../functions/src/core/line-list-columns.ts";
import { fastColumnsOf, fastLineListReader } from "../../functions/src/core/line-list-fast.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import { parseSheet } from "../../functions/src/core/parse-sheet.ts";
import { type Campaign, type CellValue, Unit } from "../../schemas/index.ts";
import { citizenIdArb, hostileCellArb, phoneArb, rowArb, sheetArb } from "../support/arbitraries.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_251_122);
const hashId = makeIdHasher("fast-path-secret-".repeat(3));
const NOW = new Date("2025-08-19T05:00:00Z");
const unit = Unit.parse({ id: "thon-ban-duong-1", name: "Thôn Bản Duồng 1", kind: "village", staff: 5 });

let campaign: Campaign;
beforeAll(async () => {
  campaign = (await loadCampaignFolder(resolve("examples/cho-don"))).campaign;
});

const MS_PER_DAY = 86_400_000;
const serialOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY + 25_569;

/** A row as the template gets it filled in: serial stamp and date, plain id and phone, "Có" ticks. */
function plainRowArb(c: Campaign): fc.Arbitrary<CellValue[]> {
  const first = serialOf(c.start);
  const last = serialOf(c.end);
  // Mostly good cells, now and then one the full reader must explain.
  const mostly = (good: fc.Arbitrary<CellValue>, ...bad: CellValue[]) =>
    fc.oneof({ arbitrary: good, weight: 30 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
  const byKey: Record<string, fc.Arbitrary<CellValue>> = {
    enteredAt: mostly(
      fc.oneof(fc.constant(null), fc.double({ min: first, max: last + 0.99, noNaN: true })),
      last + 30,
    ),
    date: mostly(
      fc.oneof(
        fc.integer({ min: first, max: last }),
        fc.integer({ min: 1, max: 18 }).map((d) => `${String(d).padStart(2, "0")}/08/2025`),
      ),
      first - 2,
      last + 2,
      "31/02/2025",
    ),
    supporter: mostly(
      fc.constantFrom("Nguyễn Thị Hằng", "Đặng Ngọc Ánh", " Lương  Minh Quỳnh ", "Ánh"),
      "\u200B",
    ),
    citizenName: mostly(fc.constantFrom("Trần Thuỵ Khuê", "Đỗ Văn An", "an", "\u00A0Lê Na"), "\u200B", "   "),
    citizenId: mostly(citizenIdArb, "001215012345", "001095012345", "1095012345"),
    phone: mostly(fc.oneof(fc.constant(null), phoneArb), "0212345678", "0084123456", "912345678"),
    residence: fc.constantFrom<CellValue>(null, "Thôn Khuổi Cuồng", "Tổ dân phố Phố Chợ", "  ", "\u200B"),
    note: fc.constantFrom<CellValue>(null, "Hỗ trợ tại nhà văn hóa thôn"),
  };
  return fc.tuple(
    ...inputColumns(c).map((col) => {
      if (col.type === "bool")
        return fc.constantFrom<CellValue>("Có", true, false, null, "x", "Không", "có ");
      if (col.type === "choice")
        return fc.constantFrom<CellValue>(null, ...(col.options ?? []), "  ", "Viettel ", "ABC");
      return byKey[col.key] ?? fc.constant(null);
    }),
  );
}

/** Plain rows, some with one cell replaced by something hostile, some ids repeated from earlier rows. */
function mixedSheetArb(c: Campaign): fc.Arbitrary<RawSheet> {
  const columns = inputColumns(c);
  const idAt = columns.findIndex((col) => col.key === "citizenId");
  const row = fc.oneof(
    { arbitrary: plainRowArb(c), weight: 12 },
    {
      arbitrary: fc
        .tuple(plainRowArb(c), fc.nat({ max: columns.length - 1 }), hostileCellArb)
        .map(([r, at, cell]) => r.map((x, i) => (i === at ? cell : x))),
      weight: 3,
    },
    { arbitrary: rowArb(c, 0.05), weight: 2 },
  );
  return fc
    .tuple(fc.array(row, { minLength: 20, maxLength: 60 }), fc.array(fc.nat(), { maxLength: 6 }))
    .map(([rows, repeats]) => {
      for (const r of repeats) {
        const from = rows[r % rows.length]!;
        const to = rows[(r * 7 + 3) % rows.length]!;
        to[idAt] = from[idAt] ?? null;
      }
      return { unitId: unit.id, source: "fuzz", header: columns.map((col) => col.label), rows };
    });
}

function bothPaths(c: Campaign, sheet: RawSheet, extra: { replay?: boolean; now?: Date } = {}) {
  const input = { campaign: c, unit, sheet, now: extra.now ?? NOW, hashId, replay: extra.replay ?? false };
  const fast = parseSheet(input);
  const full = parseSheet({ ...input, fullReaderOnly: true });
  return { fast, full };
}

describe("line-list fast path", () => {
  it("gives the full reader's result on plain, mixed and repeated rows", () => {
    let entries = 0;
    let issues = 0;
    fc.assert(
      fc.property(mixedSheetArb(campaign), (sheet) => {
        const { fast, full } = bothPaths(campaign, sheet);
        expect(fast).toStrictEqual(full);
        entries += full.entries.length;
        issues += full.issues.length;
      }),
      { seed: SEED, numRuns: 300 },
    );
    // Both kinds of rows were exercised, not just one.
    expect(entries).toBeGreaterThan(2_000);
    expect(issues).toBeGreaterThan(1_000);
  });

  it("reads rows cut short after their last filled cell, as the Sheets API sends them, like full-width rows", () => {
    let cut = 0;
    fc.assert(
      fc.property(mixedSheetArb(campaign), (sheet) => {
        const ragged = sheet.rows.map((r) => {
          let n = r.length;
          while (n > 0 && r[n - 1] === null) n--;
          cut += r.length - n;
          return r.slice(0, n);
        });
        const trimmed = bothPaths(campaign, { ...sheet, rows: ragged });
        const padded = bothPaths(campaign, sheet);
        expect(trimmed.fast).toStrictEqual(padded.fast);
        expect(trimmed.full).toStrictEqual(padded.full);
      }),
      { seed: SEED + 3, numRuns: 100 },
    );
    expect(cut).toBeGreaterThan(1_000);
  });

  it("gives the full reader's result on hostile sheets with mangled, shuffled and duplicated headers", () => {
    fc.assert(
      fc.property(sheetArb(campaign, { minRows: 10, maxRows: 40 }), (s) => {
        const sheet: RawSheet = { unitId: unit.id, source: "fuzz", header: s.header, rows: s.rows };
        const { fast, full } = bothPaths(campaign, sheet);
        expect(fast).toStrictEqual(full);
      }),
      { seed: SEED + 1, numRuns: 120 },
    );
  });

  it("gives the full reader's result when replaying at an instant inside the campaign", () => {
    const midCampaign = new Date("2025-08-07T03:00:00Z");
    fc.assert(
      fc.property(mixedSheetArb(campaign), (sheet) => {
        const { fast, full } = bothPaths(campaign, sheet, { replay: true, now: midCampaign });
        expect(fast).toStrictEqual(full);
      }),
      { seed: SEED + 2, numRuns: 100 },
    );
  });

  it("takes the plain rows itself and hands every doubtful one to the full reader", () => {
    const knownProviders = new SpellingCache<string | null>();
    knownProviders.set("VNPT", "VNPT");
    const columns = inputColumns(campaign);
    const at = (key: string) => columns.findIndex((c) => c.key === key);
    const stamps = serialStampReader(campaign.timezone)!;
    const out = new LineListColumns({
      unitId: unit.id,
      firstSeenAt: "2025-08-19T12:00:00.000+07:00",
      keyPrefix: `${unit.id}~`,
      indicatorKeys: campaign.indicators.map((i) => i.key),
      capacity: 10,
      stamps,
    });
    const read = fastLineListReader({
      campaign,
      columns: fastColumnsOf(
        (key) => at(key),
        campaign.indicators.map((i) => i.key),
      ),
      today: "2025-08-19",
      nowMs: NOW.getTime(),
      stampToleranceMs: 5 * 60_000,
      out,
      intern: (t) => t,
      boolCell: (cell) =>
        cell === "Có" || cell === true ? true : cell === null || cell === false ? false : null,
      providerByText: knownProviders,
      firstRowById: new FirstRowById(),
    });
    const plain: CellValue[] = columns.map((c) => {
      switch (c.key) {
        case "enteredAt":
          return serialOf("2025-08-04") + 0.5;
        case "date":
          return serialOf("2025-08-04");
        case "supporter":
          return "Nguyễn Thị Hằng";
        case "citizenName":
          return "Đỗ Văn An";
        case "citizenId":
          return "001095012345";
        case "phone":
          return "0912345678";
        case "provider":
          return "VNPT";
        default:
          return c.type === "bool" ? "Có" : null;
      }
    });
    expect(read(plain, 2)).toBe(true);
    // The same id again is a duplicate the full reader must report.
    expect(read(plain, 3)).toBe(false);
    const variant = (key: string, cell: CellValue) =>
      read(
        plain.map((x, i) => (i === at(key) ? cell : i === at("citizenId") ? "001095099999" : x)),
        4,
      );
    expect(variant("phone", "0212345678")).toBe(false); // landline
    expect(variant("date", serialOf("2025-08-25"))).toBe(false); // after the campaign
    expect(variant("citizenName", "\u200B")).toBe(false); // blank to the eye
    expect(variant("enteredAt", serialOf("2025-08-30"))).toBe(false); // stamped in the future
    expect(variant("provider", "Viettel")).toBe(false); // not yet known to this sheet
    expect(variant("supporter", 12)).toBe(false); // a number where a name goes
    expect(variant("citizenId", "099095099999")).toBe(false); // no province has code 099
    expect(variant("citizenId", "00109509999")).toBe(false); // eleven digits: the full reader pads and warns
    expect(variant("citizenId", "001095099999")).toBe(true);
    // Each entry taken left its id to be hashed, in order; no rejected row did.
    expect(out.idsToHash()).toEqual(["001095012345", "001095099999"]);
    // Keys and hashes come from the hashes of those ids.
    out.setHashes(["h1", "h2"]);
    expect(out.entry(0)).toMatchObject({
      key: `${unit.id}~h1`,
      idHash: "h1",
      row: 2,
      idMasked: "001*******45",
      date: "2025-08-04",
      enteredAt: "2025-08-04T12:00:00.000+07:00",
      provider: "VNPT",
      residence: "",
    });
    expect(out.entry(1)).toMatchObject({ key: `${unit.id}~h2`, row: 4, idMasked: "001*******99" });
  });
});
