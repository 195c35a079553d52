// Property-based fuzzing of the sheet parser and of everything dondoc writes back to sheets, on the two example
// campaign shapes (line-list: cho-don; aggregate: hai-ba-trung). Inputs are malformed on purpose (see
// test/support/arbitraries.ts). Seeds are fixed; a failure prints its seed and shrunk counterexample, and
// FUZZ_SEED=<n> replays another seed.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { sheetsClient, staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { memoryState, type PersistedState } from "../../functions/src/adapters/google/drive.ts";
import { GoogleUnitAnnotator } from "../../functions/src/adapters/google/sheets-annotate.ts";
import { INPUT_TAB as GOOGLE_INPUT_TAB } from "../../functions/src/adapters/google/sheets-source.ts";
import {
  GoogleSummaryPublisher,
  type PublisherState,
} from "../../functions/src/adapters/google/sheets-summary.ts";
import { XlsxAnnotator } from "../../functions/src/adapters/xlsx/annotate.ts";
import { INPUT_TAB } from "../../functions/src/adapters/xlsx/input-workbook.ts";
import { writeSummaryWorkbook } from "../../functions/src/adapters/xlsx/summary-writer.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { parseCitizenId } from "../../functions/src/core/citizen-id.ts";
import type { RawSheet, UnitSyncState } from "../../functions/src/core/model.ts";
import { ISSUE_MESSAGES, parseSheet } from "../../functions/src/core/parse-sheet.ts";
import { parsePhone } from "../../functions/src/core/phone.ts";
import { draftReport } from "../../functions/src/core/report.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import { buildSummaryTabs } from "../../functions/src/core/summary-build.ts";
import { isBlankText } from "../../functions/src/core/vi-text.ts";
import { type Campaign, type CellValue, type RowIssue, Unit } from "../../schemas/index.ts";
import {
  digitRuns,
  type FuzzSheet,
  findPii,
  piiForms,
  sheetArb,
  unitNameArb,
} from "../support/arbitraries.ts";
import type { FakeInput, GoogleFake } from "../support/google-fake/server.ts";
import { startGoogleFake } from "../support/google-fake/server.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_250_819);
const hashId = makeIdHasher("fuzz-secret-".repeat(4));
/** "Now" the morning after each example campaign ends: every campaign day is in the past. */
const NOW: Record<string, Date> = {
  "line-list": new Date("2025-08-19T05:00:00Z"),
  aggregate: new Date("2023-08-16T05:00:00Z"),
};

let lineList: Campaign;
let aggregate: Campaign;
let rowsFuzzed = 0;

beforeAll(async () => {
  lineList = (await loadCampaignFolder(resolve("examples/cho-don"))).campaign;
  aggregate = (await loadCampaignFolder(resolve("examples/hai-ba-trung"))).campaign;
});

afterAll(() => {
  console.log(`parse-sheet fuzz: ${rowsFuzzed} generated rows parsed (seed ${SEED})`);
});

// Templates as regexes: what follows the location must be one of the Vietnamese messages, filled in.
const TEMPLATES = Object.values(ISSUE_MESSAGES).map(
  (t) =>
    new RegExp(
      `^${t
        .split(/\{\w+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("[\\s\\S]*")}$`,
    ),
);

function rawOf(unit: Unit, sheet: FuzzSheet): RawSheet {
  return { unitId: unit.id, source: "fuzz", header: sheet.header, rows: sheet.rows };
}

function nfd(v: CellValue): CellValue {
  return typeof v === "string" ? v.normalize("NFD") : v;
}

/** Digit runs of ids and phones anywhere in the input, in every form a message could show them. */
function piiOf(sheet: FuzzSheet): Set<string> {
  const forms = new Set<string>();
  for (const row of [sheet.header, ...sheet.rows]) {
    for (const cell of row) {
      if (cell === null || typeof cell === "boolean") continue;
      const text = typeof cell === "number" ? (Number.isSafeInteger(cell) ? String(cell) : "") : cell;
      // Only what really is an id or a phone: a date and its time squeezed together ("0408202510") is not.
      for (const run of digitRuns(text)) {
        const id = parseCitizenId(run);
        if (id.ok) for (const f of piiForms("id", id.id)) forms.add(f);
        const phone = parsePhone(run);
        if (phone.ok && phone.phone) for (const f of piiForms("phone", phone.phone)) forms.add(f);
      }
    }
  }
  return forms;
}

/** Every property of one parse; returns nothing, throws (via expect) on the first violation. */
function checkSheet(campaign: Campaign, unit: Unit, sheet: FuzzSheet): void {
  const now = NOW[campaign.mode]!;
  const input = { campaign, unit, sheet: rawOf(unit, sheet), now, hashId };
  const out = parseSheet(input); // must not throw
  rowsFuzzed += sheet.rows.length;

  // Deterministic: same input (a fresh copy), same output.
  const again = parseSheet({ ...input, sheet: structuredClone(input.sheet) });
  expect(isDeepStrictEqual(again, out)).toBe(true);

  // Every row holding anything in an input column ends as an entry or with an error on that row.
  const stampAt = sheet.positions[0]!; // column 0 of both shapes is the stamp
  const contentCols = sheet.positions.filter((p) => p !== stampAt);
  const filled = new Set<number>();
  sheet.rows.forEach((cells, i) => {
    const any = contentCols.some((c) => {
      const v = cells[c] ?? null;
      return !(v === null || (typeof v === "string" && isBlankText(v)));
    });
    if (any) filled.add(i + 2);
  });
  expect(out.filledRows).toBe(filled.size);
  const entryRows = new Set(out.entries.map((e) => e.row));
  expect(entryRows.size).toBe(out.entries.length);
  const errorRows = new Set(out.issues.filter((i) => i.severity === "error").map((i) => i.row));
  const notCounted = new Set(out.issues.filter((i) => i.code === "no-indicator").map((i) => i.row));
  for (const row of filled) {
    const ok = entryRows.has(row) || errorRows.has(row) || notCounted.has(row);
    if (!ok)
      throw new Error(`row ${row} is neither an entry nor reported: ${JSON.stringify(sheet.rows[row - 2])}`);
    expect(entryRows.has(row) && errorRows.has(row)).toBe(false);
  }
  for (const row of [...entryRows, ...errorRows]) if (row > 1) expect(filled.has(row)).toBe(true);

  // Every issue is Vietnamese, names the unit, its row and a column, and quotes no id or phone.
  const pii = piiOf(sheet);
  for (const issue of out.issues) {
    const location = `${unit.name}, dòng ${issue.row}, cột ${issue.column} (${issue.header}): `;
    expect(issue.column).toMatch(/^[A-Z]{1,3}$/);
    expect(issue.message.startsWith(location)).toBe(true);
    const text = issue.message.slice(location.length);
    if (!TEMPLATES.some((t) => t.test(text))) throw new Error(`not a known Vietnamese message: ${text}`);
    const leaked = findPii(text, pii);
    if (leaked.length > 0) throw new Error(`issue ${issue.code} shows ${leaked.join(", ")}: ${text}`);
  }

  // The same sheet typed in NFD (macOS, Word) reads exactly as in NFC.
  const decomposed: FuzzSheet = {
    ...sheet,
    header: sheet.header.map(nfd),
    rows: sheet.rows.map((r) => r.map(nfd)),
  };
  const viaNfd = parseSheet({ ...input, sheet: rawOf(unit, decomposed) });
  expect(viaNfd.entries).toEqual(out.entries);
  const shape = (issues: RowIssue[]) => issues.map((i) => [i.row, i.column, i.code, i.severity]);
  expect(shape(viaNfd.issues)).toEqual(shape(out.issues));
}

function unitArb(): fc.Arbitrary<Unit> {
  return unitNameArb.map((name) => Unit.parse({ id: "don-vi-fuzz", name, kind: "village", staff: 5 }));
}

describe("parseSheet under hostile input", () => {
  it("line-list (cho-don): never throws, every row an entry or a located Vietnamese error, deterministic, no PII, NFC = NFD", () => {
    fc.assert(
      fc.property(unitArb(), sheetArb(lineList, { minRows: 40, maxRows: 70 }), (unit, sheet) =>
        checkSheet(lineList, unit, sheet),
      ),
      { seed: SEED, numRuns: 110 },
    );
  });

  it("aggregate (hai-ba-trung): the same properties with counts and cumulative checks", () => {
    fc.assert(
      fc.property(unitArb(), sheetArb(aggregate, { minRows: 30, maxRows: 60 }), (unit, sheet) =>
        checkSheet(aggregate, unit, sheet),
      ),
      { seed: SEED + 1, numRuns: 110 },
    );
  });

  it("fuzzed at least 10,000 rows", () => {
    expect(rowsFuzzed).toBeGreaterThanOrEqual(10_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Nothing written back can execute as a formula.

interface Written {
  campaign: Campaign;
  units: Unit[];
  sheets: Map<string, RawSheet>;
  issues: Map<string, RowIssue[]>;
  tabs: ReturnType<typeof buildSummaryTabs>;
  standings: ReturnType<typeof computeStandings>["standings"];
}

function buildAll(campaign: Campaign, names: string[], sheets: FuzzSheet[]): Written {
  const units = names.map((name, i) =>
    Unit.parse({ id: `don-vi-${i + 1}`, name, kind: "village", staff: 5 + i, households: 100 }),
  );
  const now = NOW[campaign.mode]!;
  const raws = new Map<string, RawSheet>();
  const issues = new Map<string, RowIssue[]>();
  const entries = [];
  const states: UnitSyncState[] = [];
  for (const [i, unit] of units.entries()) {
    const raw = rawOf(unit, sheets[i]!);
    const parsed = parseSheet({ campaign, unit, sheet: raw, now, hashId });
    raws.set(unit.id, raw);
    issues.set(unit.id, parsed.issues);
    entries.push(...parsed.entries);
    states.push({
      unitId: unit.id,
      lastModified: null,
      lastSyncAt: now.toISOString(),
      issues: parsed.issues,
      problem: null,
      confirmedPeriods: [],
    });
  }
  const { standings, duplicateIssues } = computeStandings({
    campaign,
    units,
    entries,
    unitStates: states,
    issues: states.flatMap((s) => s.issues),
    asOf: now,
  });
  for (const d of duplicateIssues) issues.get(d.unitId)?.push(d);
  return { campaign, units, sheets: raws, issues, tabs: buildSummaryTabs(campaign, standings), standings };
}

/** Excel refuses longer cell text; the unit's own copy is written by the test, not by dondoc. */
function storable(v: CellValue): CellValue {
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  if (typeof v === "string" && v.length > 32_000) return v.slice(0, 32_000);
  return v;
}

function formulaCellsOf(wb: ExcelJS.Workbook): string[] {
  const found: string[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = cell.value as unknown;
        const isObjectFormula =
          typeof v === "object" && v !== null && ("formula" in v || "sharedFormula" in v);
        if (cell.type === ExcelJS.ValueType.Formula || isObjectFormula) found.push(`${ws.name}!R${r}C${c}`);
      });
    });
  });
  return found;
}

describe("nothing written back to a sheet can execute as a formula", () => {
  let dir: string;
  let google: GoogleFake;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "dondoc-fuzz-"));
    google = await startGoogleFake({ seed: 7 });
  });
  afterAll(async () => {
    await google?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const caseArb = (campaign: () => Campaign) =>
    fc
      .integer({ min: 2, max: 4 })
      .chain((n) =>
        fc.tuple(
          fc.uniqueArray(unitNameArb, { minLength: n, maxLength: n }),
          fc.array(sheetArb(campaign(), { minRows: 3, maxRows: 12 }), { minLength: n, maxLength: n }),
        ),
      );

  let round = 0;
  async function check(campaign: Campaign, names: string[], fuzzSheets: FuzzSheet[]): Promise<void> {
    const w = buildAll(campaign, names, fuzzSheets);
    const at = join(dir, `r${++round}`);
    const sourceDir = join(at, "sheets");
    const outDir = join(at, "units");
    await mkdir(sourceDir, { recursive: true });

    // (a) .xlsx: the summary workbook and the annotated copies.
    const summaryPath = join(at, "tong-hop.xlsx");
    await writeSummaryWorkbook(summaryPath, w.tabs);
    const summary = new ExcelJS.Workbook();
    await summary.xlsx.readFile(summaryPath);
    expect(formulaCellsOf(summary)).toEqual([]);
    const annotator = new XlsxAnnotator({ sourceDir, outDir });
    for (const unit of w.units) {
      const raw = w.sheets.get(unit.id)!;
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(INPUT_TAB);
      ws.addRow(raw.header.map(storable));
      for (const row of raw.rows) ws.addRow(row.map(storable));
      await wb.xlsx.writeFile(join(sourceDir, `${unit.id}.xlsx`));
      await annotator.annotate(unit, raw, w.issues.get(unit.id) ?? [], []);
      const copy = new ExcelJS.Workbook();
      await copy.xlsx.readFile(annotator.copyPathOf(unit));
      expect(formulaCellsOf(copy)).toEqual([]);
    }

    // (b) Google Sheets: the leaders' spreadsheet and each unit's input tab.
    const sheets = sheetsClient({ auth: staticTokenAuth(), rootUrl: google.rootUrl });
    const leaders = google.state.createSpreadsheet({ title: `Tổng hợp ${round}` });
    const state: PersistedState<PublisherState> = memoryState();
    const publisher = new GoogleSummaryPublisher({
      sheets,
      spreadsheetId: leaders,
      state,
      editorEmail: "dondoc@fuzz.iam.gserviceaccount.com",
      retry: { sleep: async () => {} },
    });
    await publisher.publish(w.tabs, w.standings, draftReport(campaign, w.standings));
    expect(google.state.formulaCells(leaders)).toEqual([]);
    const googleAnnotator = new GoogleUnitAnnotator({ sheets, retry: { sleep: async () => {} } });
    for (const unit of w.units) {
      const raw = w.sheets.get(unit.id)!;
      const id = google.state.createSpreadsheet({ title: unit.name, tabs: [GOOGLE_INPUT_TAB] });
      google.state.setValues(
        id,
        GOOGLE_INPUT_TAB,
        [raw.header, ...raw.rows].map((r) => r.map(storable) as FakeInput[]),
      );
      await googleAnnotator.annotate({ ...unit, sheetId: id }, raw, w.issues.get(unit.id) ?? [], []);
      expect(google.state.formulaCells(id)).toEqual([]);
    }
  }

  it("line-list: summary tabs, annotated copies, Google tabs and notes hold no formula", async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb(() => lineList),
        ([names, sheets]) => check(lineList, names, sheets),
      ),
      { seed: SEED + 2, numRuns: 8 },
    );
  });

  it("aggregate: the same", async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArb(() => aggregate),
        ([names, sheets]) => check(aggregate, names, sheets),
      ),
      { seed: SEED + 3, numRuns: 10 },
    );
  });
});
