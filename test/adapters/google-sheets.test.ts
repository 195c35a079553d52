// The Google edges through the real @googleapis clients against the local fake: request counts per cycle,
// annotations only where issues changed, publishing in one batch, and the same results under 30 % faults.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { driveClient, sheetsClient, staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { colorToHex } from "../../functions/src/adapters/google/colors.ts";
import { GoogleDrive, memoryState, SheetModificationLog } from "../../functions/src/adapters/google/drive.ts";
import { GoogleUnitAnnotator } from "../../functions/src/adapters/google/sheets-annotate.ts";
import {
  GoogleSheetSource,
  INPUT_TAB,
  toRawRows,
} from "../../functions/src/adapters/google/sheets-source.ts";
import {
  GoogleSummaryPublisher,
  PROTECTION_DESCRIPTION,
  type PublisherState,
  REPORT_TAB,
} from "../../functions/src/adapters/google/sheets-summary.ts";
import { INPUT_TAB as XLSX_INPUT_TAB } from "../../functions/src/adapters/xlsx/input-workbook.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import { BAND_FILL, ERROR_FILL } from "../../functions/src/core/summary.ts";
import { buildSummaryTabs, TAB_RANKING } from "../../functions/src/core/summary-build.ts";
import { type RowIssue, type Standings, Unit, type UnitStanding } from "../../schemas/index.ts";
import { choDonCampaign, choDonStandings, villageStanding } from "../support/campaigns.ts";
import { type FakeInput, type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";

const SERVICE_ACCOUNT = "dondoc@cho-don.iam.gserviceaccount.com";
const instant = { sleep: async () => {} };

let fake: GoogleFake;
let folderId: string;

function clients(f: GoogleFake) {
  const auth = staticTokenAuth();
  const sheets = sheetsClient({ auth, rootUrl: f.rootUrl });
  const drive = new GoogleDrive({ drive: driveClient({ auth, rootUrl: f.rootUrl }), retry: instant });
  return { sheets, drive };
}

const HEADER: FakeInput[] = [
  "Thời điểm nhập",
  "Ngày hỗ trợ",
  "Người hỗ trợ",
  "Họ và tên",
  "Số định danh",
  "VNeID mức 2",
];

function unitRows(n: number, seed: number): FakeInput[][] {
  return [
    HEADER,
    ...Array.from({ length: n }, (_, i): FakeInput[] => [
      null,
      { date: `2025-08-0${(i % 5) + 1}` },
      `Cán bộ ${seed}`,
      `Công dân ${seed}-${i}`,
      `0012030045${String(i).padStart(2, "0")}`,
      i % 2 === 0 ? "Có" : true,
    ]),
  ];
}

function makeUnits(count: number): Unit[] {
  return Array.from({ length: count }, (_, i) => {
    const sheetId = fake.state.createSpreadsheet({
      title: `Đơn vị ${i + 1}`,
      tabs: [INPUT_TAB, "Hướng dẫn"],
      parents: [folderId],
    });
    fake.state.setValues(sheetId, INPUT_TAB, unitRows(3 + (i % 4), i));
    return Unit.parse({ id: `thon-${i + 1}`, name: `Thôn số ${i + 1}`, kind: "village", sheetId });
  });
}

beforeEach(async () => {
  fake = await startGoogleFake({ seed: 2025, serviceAccount: SERVICE_ACCOUNT });
  folderId = fake.state.createFolder("Chiến dịch Chợ Đồn");
});
afterEach(async () => {
  await fake.close();
});

/** What a sync keeps between cycles: unit id → modifiedTime of its last read. */
async function readAll(source: GoogleSheetSource, units: Unit[], last: Map<string, string | null>) {
  const changed = await source.changedUnits(units, last);
  const sheets: RawSheet[] = [];
  for (const u of changed) {
    const sheet = await source.read(u);
    last.set(u.id, sheet.modifiedTime ?? null);
    sheets.push(sheet);
  }
  return { changed, sheets };
}

describe("toRawRows", () => {
  it("turns a values response into a header and rows: empty text is null, ragged rows left as sent, trailing empty rows dropped", () => {
    const values: unknown[][] = [
      ["Ngày hỗ trợ", "Người hỗ trợ", "Số định danh cá nhân"],
      [45_873, "Nguyễn Thị Hằng", "001095012345"],
      ["", "Đặng Ngọc Ánh"],
      [Number.NaN, true, { formula: "x" }, "extra"],
      [],
      ["", ""],
    ];
    expect(toRawRows(values)).toEqual({
      header: ["Ngày hỗ trợ", "Người hỗ trợ", "Số định danh cá nhân"],
      rows: [
        [45_873, "Nguyễn Thị Hằng", "001095012345"],
        [null, "Đặng Ngọc Ánh"],
        [null, true, null, "extra"],
      ],
    });
    expect(toRawRows([])).toEqual({ header: [], rows: [] });
    expect(toRawRows([["A"], [""], []])).toEqual({ header: ["A"], rows: [] });
  });
});

describe("GoogleSheetSource", () => {
  it("uses the same input tab name as the .xlsx adapter", () => {
    expect(INPUT_TAB).toBe(XLSX_INPUT_TAB);
  });

  it("reads only changed spreadsheets: 20 units, 3 changed → 1 Drive list and exactly 3 Sheets reads; none → 0", async () => {
    const units = makeUnits(20);
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive, folderId, retry: instant });
    const last = new Map<string, string | null>();

    const first = await readAll(source, units, last);
    expect(first.changed).toHaveLength(20);
    expect(fake.counts.sheets.read).toBe(20);

    fake.counts.reset();
    for (const i of [2, 9, 17]) fake.state.setValues(units[i]!.sheetId!, INPUT_TAB, unitRows(8, 100 + i));
    const second = await readAll(source, units, last);
    expect(second.changed.map((u) => u.id)).toEqual(["thon-3", "thon-10", "thon-18"]);
    expect(fake.counts.sheets.read).toBe(3);
    expect(fake.counts.sheets.valuesBatchGet).toBe(3);
    expect([...fake.counts.readsBySpreadsheet.keys()]).toEqual([2, 9, 17].map((i) => units[i]!.sheetId));
    expect(fake.counts.drive).toMatchObject({ list: 1, total: 1 });
    expect(fake.counts.sheets.write).toBe(0);

    fake.counts.reset();
    const third = await readAll(source, units, last);
    expect(third.changed).toEqual([]);
    expect(fake.counts.sheets.read).toBe(0);
    expect(fake.counts.drive.list).toBe(1);
  });

  it("pages through a long folder listing", async () => {
    const units = makeUnits(7);
    const { sheets } = clients(fake);
    const auth = staticTokenAuth();
    const drive = new GoogleDrive({ drive: driveClient({ auth, rootUrl: fake.rootUrl }), pageSize: 3 });
    const source = new GoogleSheetSource({ sheets, drive, folderId });
    expect(await source.changedUnits(units, new Map())).toHaveLength(7);
    expect(fake.counts.drive.list).toBe(3);
  });

  it("lists by ids when no folder is given, ignoring spreadsheets that are not the units'", async () => {
    const units = makeUnits(3);
    fake.state.createSpreadsheet({ title: "không liên quan" });
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive });
    const last = new Map(units.map((u) => [u.id, fake.state.file(u.sheetId!).modifiedTime]));
    expect(await source.changedUnits(units, last)).toEqual([]);
    fake.state.setValues(units[1]!.sheetId!, INPUT_TAB, unitRows(1, 9));
    expect((await source.changedUnits(units, last)).map((u) => u.id)).toEqual(["thon-2"]);
  });

  it("returns the header and rows unformatted: serial dates, numbers, booleans, formulas as text, ragged as sent, trailing empty rows dropped", async () => {
    const [unit] = makeUnits(1);
    fake.state.setValues(unit!.sheetId!, INPUT_TAB, [
      HEADER,
      [null, { date: "2025-08-04" }, "Nguyễn Văn A", "Trần Thị B", "001203004567", "Có"],
      ["", 45874, '=IMPORTXML("http://x","//a")'],
      [],
      [null, null, null, null, null, true],
      [],
      [],
    ]);
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive, folderId });
    await source.changedUnits([unit!], new Map());
    const sheet = await source.read(unit!);
    expect(sheet).toEqual({
      unitId: "thon-1",
      source: unit!.sheetId,
      header: HEADER,
      rows: [
        [null, 45873, "Nguyễn Văn A", "Trần Thị B", "001203004567", "Có"],
        [null, 45874, '=IMPORTXML("http://x","//a")'],
        [],
        [null, null, null, null, null, true],
      ],
      modifiedTime: fake.state.file(unit!.sheetId!).modifiedTime,
    });
  });

  it("asks for compact JSON on every request (prettyPrint=false), which Google indents otherwise", async () => {
    const units = makeUnits(3);
    for (const [i, unit] of units.entries()) fake.state.setValues(unit.sheetId!, INPUT_TAB, unitRows(50, i));
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive, folderId });
    const changed = await source.changedUnits(units, new Map());
    for (const unit of changed) await source.read(unit);
    expect(fake.counts.sheets.valuesBatchGet).toBe(3);
    expect(fake.counts.drive.list).toBe(1);
    expect(fake.counts.prettyPrinted).toBe(0);
    // The same read as text, compact and then as Google sends it to a client that does not ask.
    const read = async (prettyPrint: boolean) => {
      const before = fake.counts.bytesSent.sheets;
      const res = await sheets.spreadsheets.values.batchGet(
        { spreadsheetId: units[0]!.sheetId!, ranges: [INPUT_TAB], prettyPrint },
        { responseType: "text" },
      );
      return { text: String(res.data), bytes: fake.counts.bytesSent.sheets - before };
    };
    const compact = await read(false);
    const indented = await read(true);
    expect(fake.counts.prettyPrinted).toBe(1);
    expect(compact.text).not.toContain("\n");
    expect(indented.text).toContain('\n      "values": [\n        [\n          "Thời điểm nhập",\n');
    expect(JSON.parse(indented.text)).toEqual(JSON.parse(compact.text));
    expect(indented.bytes).toBeGreaterThan(1.5 * compact.bytes);
  });

  it("reports unreachable, renamed-tab and unprovisioned sheets per unit, naming the unit, with no Sheets request for the last", async () => {
    const units = makeUnits(3);
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive, folderId, retry: instant });
    fake.state.revoke(units[0]!.sheetId!);
    fake.state.sheet(units[1]!.sheetId!, INPUT_TAB).properties.title = "Nhap lieu";
    const orphan = Unit.parse({ id: "to-1", name: "Tổ dân phố 1", kind: "residential-group" });
    const changed = await source.changedUnits([...units, orphan], new Map());
    expect(changed.map((u) => u.id)).toEqual(["thon-1", "thon-2", "thon-3", "to-1"]);

    await expect(source.read(units[0]!)).rejects.toMatchObject({
      code: "sheet-unreachable",
      message: expect.stringContaining("Thôn số 1"),
    });
    await expect(source.read(units[1]!)).rejects.toMatchObject({
      code: "sheet-tab-missing",
      message: 'Bảng tính của Thôn số 2 không có trang "Nhập liệu" (trang có thể đã bị đổi tên hoặc xóa).',
    });
    fake.counts.reset();
    await expect(source.read(orphan)).rejects.toMatchObject({ code: "sheet-not-provisioned" });
    expect(fake.counts.sheets.read).toBe(0);
  });

  it("gives up with google-unavailable after the bounded retries when Google keeps failing", async () => {
    const [unit] = makeUnits(1);
    const { sheets, drive } = clients(fake);
    const source = new GoogleSheetSource({ sheets, drive, folderId, retry: { ...instant, attempts: 4 } });
    fake.setFaults({ faultRate: 1, faultStatuses: [503] });
    const error = await source.read(unit!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DondocError);
    expect(error).toMatchObject({ code: "google-unavailable", details: { attempts: 4, status: 503 } });
    expect((error as DondocError).message).toContain("Thôn số 1");
    expect(fake.counts.faults.total).toBe(4);
  });
});

function issue(
  row: number,
  column: string,
  message: string,
  severity: "error" | "warning" = "error",
): RowIssue {
  return { code: "x", severity, unitId: "thon-1", row, column, header: "", message };
}

describe("GoogleUnitAnnotator", () => {
  async function setup() {
    const units = makeUnits(2);
    const { sheets, drive } = clients(fake);
    const log = new SheetModificationLog(memoryState());
    const source = new GoogleSheetSource({ sheets, drive, folderId, log });
    const annotator = new GoogleUnitAnnotator({ sheets, drive, log, retry: instant });
    return { units, source, annotator };
  }

  it("writes notes and fills only where issues changed, and clears fixed cells", async () => {
    const { units, source, annotator } = await setup();
    const unit = units[0]!;
    const id = unit.sheetId!;
    await source.changedUnits(units, new Map());
    const sheet = await source.read(unit);
    const first = [
      issue(2, "E", "Số định danh phải có 12 chữ số."),
      issue(2, "E", "Công dân chưa đủ 14 tuổi."),
      issue(3, "B", "Ngày hỗ trợ ở tương lai."),
      issue(4, "F", "Giá trị không rõ: ghi Có hoặc Không.", "warning"),
      issue(0, "", "Thiếu cột bắt buộc."),
      issue(1, "C", "Tiêu đề cột lạ."),
    ];
    fake.counts.reset();
    await annotator.annotate(unit, sheet, first, []);
    expect(fake.counts.sheets.batchUpdate).toBe(1);
    expect(fake.counts.sheets.read).toBe(0);
    expect(fake.state.cell(id, INPUT_TAB, 1, 4)?.note).toBe(
      "Công dân chưa đủ 14 tuổi.\nSố định danh phải có 12 chữ số.",
    );
    expect(
      colorToHex(fake.state.cell(id, INPUT_TAB, 1, 4)?.userEnteredFormat?.backgroundColor as object),
    ).toBe(ERROR_FILL);
    expect(
      colorToHex(fake.state.cell(id, INPUT_TAB, 3, 5)?.userEnteredFormat?.backgroundColor as object),
    ).toBe(BAND_FILL.behind);
    // Header and sheet-level issues stay on the summary: the header's own help notes are not touched.
    expect(fake.state.cell(id, INPUT_TAB, 0, 2)?.note).toBeUndefined();
    expect(fake.state.cell(id, INPUT_TAB, 0, 0)?.note).toBeUndefined();
    // Values are untouched by annotations.
    expect(fake.state.values(id, INPUT_TAB)[1]?.[3]).toBe("Công dân 0-0");

    fake.counts.reset();
    await annotator.annotate(unit, sheet, [...first].reverse(), first);
    expect(fake.counts.sheets.write + fake.counts.sheets.read + fake.counts.drive.total).toBe(0);

    const second = [
      issue(2, "E", "Số định danh phải có 12 chữ số."),
      issue(4, "F", "Giá trị không rõ.", "error"),
    ];
    await annotator.annotate(unit, sheet, second, first);
    expect(fake.counts.sheets.batchUpdate).toBe(1);
    expect(fake.state.cell(id, INPUT_TAB, 1, 4)?.note).toBe("Số định danh phải có 12 chữ số.");
    expect(fake.state.cell(id, INPUT_TAB, 2, 1)?.note).toBeUndefined();
    expect(fake.state.cell(id, INPUT_TAB, 2, 1)?.userEnteredFormat?.backgroundColor).toBeUndefined();
    expect(
      colorToHex(fake.state.cell(id, INPUT_TAB, 3, 5)?.userEnteredFormat?.backgroundColor as object),
    ).toBe(ERROR_FILL);

    await annotator.annotate(unit, sheet, [], second);
    for (const [r, c] of [
      [1, 4],
      [3, 5],
    ] as const) {
      expect(fake.state.cell(id, INPUT_TAB, r, c)?.note).toBeUndefined();
      expect(fake.state.cell(id, INPUT_TAB, r, c)?.userEnteredFormat?.backgroundColor).toBeUndefined();
    }
  });

  it("does not let its own writes make the next cycle re-read the sheet, but a unit's edit afterwards does", async () => {
    const { units, source, annotator } = await setup();
    const last = new Map<string, string | null>();
    const { sheets } = await readAll(source, units, last);
    await annotator.annotate(units[0]!, sheets[0]!, [issue(2, "B", "Sai ngày.")], []);
    expect(fake.state.file(units[0]!.sheetId!).modifiedTime).not.toBe(last.get("thon-1"));

    fake.counts.reset();
    expect(await source.changedUnits(units, last)).toEqual([]);
    // Annotating again (no read in between) keeps pointing at the content that was read.
    await annotator.annotate(
      units[0]!,
      { unitId: "thon-1", source: "thon-1", header: [], rows: [] },
      [],
      [issue(2, "B", "Sai ngày.")],
    );
    expect(await source.changedUnits(units, last)).toEqual([]);

    fake.state.setValues(units[0]!.sheetId!, INPUT_TAB, unitRows(2, 77));
    expect((await source.changedUnits(units, last)).map((u) => u.id)).toEqual(["thon-1"]);
  });

  it("records nothing when the unit edited between the read and the annotation", async () => {
    const { units, source, annotator } = await setup();
    const last = new Map<string, string | null>();
    const { sheets } = await readAll(source, units, last);
    fake.state.setValues(units[0]!.sheetId!, INPUT_TAB, unitRows(5, 5));
    await annotator.annotate(units[0]!, sheets[0]!, [issue(2, "B", "Sai ngày.")], []);
    expect((await source.changedUnits(units, last)).map((u) => u.id)).toEqual(["thon-1"]);
  });
});

// ---------------------------------------------------------------------------------------------------------

const campaign = choDonCampaign();

const standing = (id: string, name: string, over: Partial<UnitStanding>) =>
  villageStanding(id, name, { rankOf: 3, ...over });

function standings(signatures: number[]): Standings {
  const names = ["Thôn Bản Cuôn", '=IMPORTXML("http://evil","//a")', "Thôn Nà Pậu"];
  const bands = ["praise", "on-track", "criticise"] as const;
  const units = signatures.map((sig, i) =>
    standing(`u${i}`, names[i % 3]!, {
      counts: { vneid: 19_662 + i, signature: sig },
      percent: Math.round((sig / 30) * 1000) / 10,
      rank: i + 1,
      band: bands[Math.min(i, 2)]!,
    }),
  );
  return choDonStandings({
    totals: {
      counts: { vneid: 40, signature: 30 },
      periodCounts: { vneid: 10, signature: 8 },
      target: 90,
      percent: 33.3,
      pace: 38.3,
      units: units.length,
      reported: units.length,
    },
    units,
    rollup: [
      {
        id: "cho-don",
        name: "Xã Chợ Đồn",
        kind: "commune",
        depth: 0,
        counts: { vneid: 40, signature: 30 },
        target: 90,
        percent: 33.3,
      },
      ...units.map((u) => ({
        id: u.id,
        name: u.name,
        kind: u.kind,
        depth: 1,
        counts: u.counts,
        target: u.target,
        percent: u.percent,
      })),
    ],
    issues: [issue(5, "E", "Số định danh 001203004567 sai.")],
  });
}

describe("GoogleSummaryPublisher", () => {
  function publisher(f: GoogleFake, spreadsheetId: string, state = memoryState<PublisherState>()) {
    const { sheets } = clients(f);
    return {
      state,
      publisher: new GoogleSummaryPublisher({
        sheets,
        spreadsheetId,
        state,
        editorEmail: SERVICE_ACCOUNT,
        retry: instant,
      }),
    };
  }

  async function publish(p: GoogleSummaryPublisher, s: Standings, report = "Đoạn 1.\nĐoạn 2.") {
    await p.publish(buildSummaryTabs(campaign, s), s, report);
  }

  it("writes every tab with one batchUpdate and no read: values, formats, bands, frozen header, chart, protection", async () => {
    const id = fake.state.createSpreadsheet({ title: "Tổng hợp chiến dịch" });
    const { publisher: p, state } = publisher(fake, id);
    const s = standings([27, 15, 3]);
    await publish(p, s);
    expect(fake.counts.sheets.batchUpdate).toBe(1);
    expect(fake.counts.sheets.read).toBe(0);

    const ss = fake.state.spreadsheet(id);
    expect(ss.properties).toMatchObject({ locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" });
    expect(ss.sheets.map((t) => t.properties.title)).toEqual([
      "Xếp hạng",
      "Tổng hợp",
      "Chưa báo cáo",
      "Lỗi dữ liệu",
      REPORT_TAB,
      "Sheet1",
    ]);
    const tabs = buildSummaryTabs(campaign, s).tabs;
    const ranking = tabs[0]!;
    const values = fake.state.values(id, TAB_RANKING);
    const headerRow = ranking.title.length;
    expect(values.slice(0, headerRow)).toEqual(ranking.title.map((t) => [t]));
    expect(values[headerRow]).toEqual(ranking.columns.map((c) => c.header));
    expect(values.slice(headerRow + 1).map((r) => r.slice(0, 2))).toEqual([
      [1, "Thôn Bản Cuôn"],
      [2, '=IMPORTXML("http://evil","//a")'],
      [3, "Thôn Nà Pậu"],
    ]);
    // User text that looks like a formula is stored as text, never as a formula.
    expect(fake.state.formulaCells(id)).toEqual([]);
    expect(fake.state.cell(id, TAB_RANKING, headerRow + 2, 1)?.userEnteredValue).toEqual({
      stringValue: '=IMPORTXML("http://evil","//a")',
    });

    const tab = fake.state.sheet(id, TAB_RANKING);
    expect(tab.properties.gridProperties.frozenRowCount).toBe(headerRow + 1);
    const fillOf = (r: number) =>
      colorToHex(fake.state.cell(id, TAB_RANKING, r, 1)?.userEnteredFormat?.backgroundColor as object);
    expect([fillOf(headerRow + 1), fillOf(headerRow + 2), fillOf(headerRow + 3)]).toEqual([
      BAND_FILL.praise,
      null,
      BAND_FILL.criticise,
    ]);
    const formatOf = (c: number) =>
      fake.state.cell(id, TAB_RANKING, headerRow + 1, c)?.userEnteredFormat?.numberFormat;
    const indicatorCol = ranking.columns.findIndex((c) => c.header === "VNeID mức độ 2");
    const percentCol = ranking.columns.findIndex((c) => c.format === "percent");
    expect(formatOf(indicatorCol)).toEqual({ type: "NUMBER", pattern: "#,##0" });
    expect(fake.state.cell(id, TAB_RANKING, headerRow + 1, indicatorCol)?.userEnteredValue).toEqual({
      numberValue: 19_662,
    });
    expect(formatOf(percentCol)).toEqual({ type: "NUMBER", pattern: '0.0"%"' });
    expect(fake.state.cell(id, TAB_RANKING, headerRow, 0)?.userEnteredFormat?.textFormat).toEqual({
      bold: true,
    });
    expect(tab.columnMetadata[1]?.pixelSize).toBe(Math.round(ranking.columns[1]!.width * 7 + 5));

    expect(tab.charts).toHaveLength(1);
    const basic = tab.charts[0]!.spec.basicChart as {
      chartType: string;
      series: unknown[];
      domains: unknown[];
    };
    expect(basic.chartType).toBe("COLUMN");
    expect(basic.series).toHaveLength(ranking.chart!.seriesColumns.length);
    expect(basic.domains).toEqual([
      {
        domain: {
          sourceRange: {
            sources: [
              {
                sheetId: tab.properties.sheetId,
                startRowIndex: headerRow,
                endRowIndex: headerRow + 4,
                startColumnIndex: 1,
                endColumnIndex: 2,
              },
            ],
          },
        },
      },
    ]);
    for (const name of [...tabs.map((t) => t.name), REPORT_TAB]) {
      expect(fake.state.sheet(id, name).protectedRanges).toEqual([
        expect.objectContaining({
          description: PROTECTION_DESCRIPTION,
          warningOnly: false,
          editors: { users: [SERVICE_ACCOUNT] },
        }),
      ]);
    }
    expect(fake.state.values(id, REPORT_TAB).slice(-2)).toEqual([["Đoạn 1."], ["Đoạn 2."]]);
    expect(fake.state.values(id, "Lỗi dữ liệu").at(-1)?.[4]).not.toContain("001203004567");
    expect(state.value?.tabs[TAB_RANKING]?.chartId).toBe(tab.charts[0]!.chartId);
  });

  it("republishes with one batchUpdate: replaces the chart, keeps one protection, clears rows that went away", async () => {
    const id = fake.state.createSpreadsheet({ title: "Tổng hợp" });
    const { publisher: p, state } = publisher(fake, id);
    await publish(p, standings([27, 15, 3, 1]));
    const firstChart = fake.state.sheet(id, TAB_RANKING).charts[0]!.chartId;
    fake.counts.reset();
    await publish(p, standings([28, 16]));
    expect(fake.counts.sheets.batchUpdate).toBe(1);
    expect(fake.counts.sheets.read).toBe(0);
    const tab = fake.state.sheet(id, TAB_RANKING);
    expect(tab.charts).toHaveLength(1);
    expect(tab.charts[0]!.chartId).not.toBe(firstChart);
    expect(tab.protectedRanges).toHaveLength(1);
    const values = fake.state.values(id, TAB_RANKING);
    expect(values.slice(-2).map((r) => r[1])).toEqual(["Thôn Bản Cuôn", '=IMPORTXML("http://evil","//a")']);
    expect(values.flat()).not.toContain("Thôn Nà Pậu");
    expect(state.value?.tabs[TAB_RANKING]?.chartId).toBe(tab.charts[0]!.chartId);
  });

  it("recovers when its state was lost: one layout read, then the same spreadsheet without duplicates", async () => {
    const id = fake.state.createSpreadsheet({ title: "Tổng hợp" });
    await publish(publisher(fake, id).publisher, standings([27, 15, 3]));
    fake.counts.reset();
    const { publisher: fresh, state } = publisher(fake, id);
    await publish(fresh, standings([20, 10, 5]));
    expect(fake.counts.sheets.get).toBe(1);
    expect(fake.counts.sheets.batchUpdate).toBe(2);
    const ss = fake.state.spreadsheet(id);
    expect(ss.sheets.map((t) => t.properties.title).filter((t) => t === TAB_RANKING)).toHaveLength(1);
    const tab = fake.state.sheet(id, TAB_RANKING);
    expect(tab.charts).toHaveLength(1);
    expect(tab.protectedRanges).toHaveLength(1);
    expect(state.value?.tabs[TAB_RANKING]?.sheetId).toBe(tab.properties.sheetId);
  });

  it("reports a spreadsheet it may not write as summary-unreachable", async () => {
    const id = fake.state.createSpreadsheet({ title: "Tổng hợp" });
    fake.state.revoke(id);
    await expect(publish(publisher(fake, id).publisher, standings([1]))).rejects.toMatchObject({
      code: "summary-unreachable",
    });
  });
});

describe("under 30 % injected 429/503 faults", () => {
  it("reads all 20 units and publishes exactly what a clean run does", async () => {
    async function cycle(faultRate: number) {
      const f = await startGoogleFake({ seed: 99, serviceAccount: SERVICE_ACCOUNT });
      try {
        const folder = f.state.createFolder("Chiến dịch");
        const units = Array.from({ length: 20 }, (_, i) => {
          const sheetId = f.state.createSpreadsheet({
            title: `Đơn vị ${i}`,
            tabs: [INPUT_TAB],
            parents: [folder],
          });
          f.state.setValues(sheetId, INPUT_TAB, unitRows(2 + (i % 5), i));
          return Unit.parse({ id: `u-${i}`, name: `Đơn vị ${i}`, kind: "village", sheetId });
        });
        const summaryId = f.state.createSpreadsheet({ title: "Tổng hợp" });
        f.setFaults({ faultRate, faultStatuses: [429, 503] });
        const auth = staticTokenAuth();
        const sheets = sheetsClient({ auth, rootUrl: f.rootUrl });
        const retry = { ...instant, attempts: 10 };
        const drive = new GoogleDrive({ drive: driveClient({ auth, rootUrl: f.rootUrl }), retry });
        const source = new GoogleSheetSource({ sheets, drive, folderId: folder, retry });
        const { sheets: read } = await readAll(source, units, new Map());
        const publisher = new GoogleSummaryPublisher({
          sheets,
          spreadsheetId: summaryId,
          state: memoryState(),
          editorEmail: SERVICE_ACCOUNT,
          retry,
        });
        const s = standings([27, 15, 3]);
        await publisher.publish(buildSummaryTabs(campaign, s), s, "Báo cáo.");
        const published = f.state
          .spreadsheet(summaryId)
          .sheets.map((t) => [t.properties.title, f.state.values(summaryId, t.properties.title)]);
        return {
          read: read.map(({ modifiedTime: _m, source: _s, ...rest }) => rest),
          published,
          faults: f.counts.faults.total,
          reads: f.counts.sheets.read,
          batchUpdates: f.counts.sheets.batchUpdate,
        };
      } finally {
        await f.close();
      }
    }
    const clean = await cycle(0);
    const faulty = await cycle(0.3);
    expect(clean.faults).toBe(0);
    expect(faulty.faults).toBeGreaterThan(5);
    expect(faulty.read).toEqual(clean.read);
    expect(faulty.published).toEqual(clean.published);
    // Faulted attempts never reach the handlers: the answered calls are the minimum either way.
    expect([faulty.reads, faulty.batchUpdates]).toEqual([20, 1]);
    expect([clean.reads, clean.batchUpdates]).toEqual([20, 1]);
  });
});
