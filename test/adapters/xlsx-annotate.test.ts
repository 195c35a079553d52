import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, stat, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { WARNING_FILL, XlsxAnnotator } from "../../functions/src/adapters/xlsx/annotate.ts";
import {
  GUIDE_TAB,
  INPUT_TAB,
  writeInputWorkbook,
} from "../../functions/src/adapters/xlsx/input-workbook.ts";
import { sheetContent, XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { ERROR_FILL } from "../../functions/src/core/summary.ts";
import type { CellValue, RowIssue } from "../../schemas/index.ts";
import { lineListCampaign, unit } from "./xlsx-fixtures.ts";

const rows: CellValue[][] = [
  [
    null,
    45873,
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "001203004567",
    "0912345678",
    "Thôn Nà Tùm",
    "Có",
    "Có",
    "Có",
  ],
  [null, 45873, "Nguyễn Văn An", "Lò Văn Cường", "12345", "0912", "Thôn Nà Tùm", "Có", null, "Có"],
  [null, "31/02/2025", "Nguyễn Văn An", "Hà Thị Dung", "001203004568", null, "Thôn Nà Tùm", "Có", "Có", "Có"],
];

function issue(row: number, column: string, severity: RowIssue["severity"], message: string): RowIssue {
  return { code: "test", severity, unitId: unit.id, row, column, header: "", message };
}

async function setup(): Promise<{
  source: string;
  sourceDir: string;
  outDir: string;
  annotator: XlsxAnnotator;
}> {
  const dir = await mkdtemp(join(tmpdir(), "dondoc-annotate-"));
  const sourceDir = join(dir, "sheets");
  const outDir = join(dir, "out", "units");
  await mkdir(sourceDir);
  const source = join(sourceDir, `${unit.id}.xlsx`);
  await writeInputWorkbook(source, lineListCampaign, unit, rows);
  // A note and a fill the unit made themselves, which the copy must keep.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(source);
  const ws = wb.getWorksheet(INPUT_TAB)!;
  ws.getCell("C3").note = "Anh An nhập hộ";
  ws.getCell("G4").style = {
    ...ws.getCell("G4").style,
    fill: { type: "pattern", pattern: "solid", fgColor: { argb: "FF00B0F0" } },
  };
  await wb.xlsx.writeFile(source);
  return { source, sourceDir, outDir, annotator: new XlsxAnnotator({ sourceDir, outDir }) };
}

async function sha(path: string): Promise<string> {
  return createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
}

async function loadInput(path: string): Promise<{ wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { wb, ws: wb.getWorksheet(INPUT_TAB)! };
}

function fillOf(cell: ExcelJS.Cell): string | undefined {
  const fill = cell.fill;
  return fill?.type === "pattern" ? fill.fgColor?.argb : undefined;
}

function noteOf(cell: ExcelJS.Cell): string {
  const note = cell.note;
  if (note === undefined) return "";
  return typeof note === "string" ? note : (note.texts ?? []).map((t) => t.text).join("");
}

const issues: RowIssue[] = [
  issue(3, "E", "error", "Số định danh cá nhân phải có 12 chữ số."),
  issue(3, "F", "warning", "Số điện thoại không đúng dạng."),
  issue(3, "E", "warning", "Có thể trùng với dòng khác."),
  issue(4, "B", "error", "Ngày 31/02/2025 không tồn tại."),
  issue(0, "", "error", 'Thiếu cột "Nhà cung cấp chữ ký số".'),
  issue(3, "C", "warning", "Người hỗ trợ chưa có trong danh sách."),
  issue(2, "", "warning", "Dòng nhập sau hạn chốt."),
];

describe("XlsxAnnotator", () => {
  it("writes a copy with bad cells filled and noted, leaving the unit's file untouched", async () => {
    const { source, sourceDir, outDir, annotator } = await setup();
    const before = await sha(source);
    const mtimeBefore = (await stat(source)).mtimeMs;
    const sheet = await new XlsxSheetSource({ dir: sourceDir }).read(unit);

    await annotator.annotate(unit, sheet, issues, []);

    expect(await sha(source)).toBe(before);
    expect((await stat(source)).mtimeMs).toBe(mtimeBefore);

    const { wb, ws } = await loadInput(join(outDir, `${unit.id}.xlsx`));
    // Error wins over warning on the same cell; both messages are in the note.
    expect(fillOf(ws.getCell("E3"))).toBe(`FF${ERROR_FILL}`);
    expect(noteOf(ws.getCell("E3"))).toBe(
      "Lỗi: Số định danh cá nhân phải có 12 chữ số.\nCảnh báo: Có thể trùng với dòng khác.",
    );
    expect(fillOf(ws.getCell("F3"))).toBe(`FF${WARNING_FILL}`);
    expect(noteOf(ws.getCell("F3"))).toBe("Cảnh báo: Số điện thoại không đúng dạng.");
    expect(fillOf(ws.getCell("B4"))).toBe(`FF${ERROR_FILL}`);
    // Sheet-level issue on A1.
    expect(fillOf(ws.getCell("A1"))).toBe(`FF${ERROR_FILL}`);
    expect(noteOf(ws.getCell("A1"))).toContain('Lỗi: Thiếu cột "Nhà cung cấp chữ ký số".');
    // The unit's own note stays, below ours.
    expect(noteOf(ws.getCell("C3"))).toBe(
      "Cảnh báo: Người hỗ trợ chưa có trong danh sách.\n———\nAnh An nhập hộ",
    );
    // A row-level issue marks the row's first cell and fills the row across the table.
    expect(noteOf(ws.getCell("A2"))).toBe("Cảnh báo: Dòng nhập sau hạn chốt.");
    expect(fillOf(ws.getCell("L2"))).toBe(`FF${WARNING_FILL}`);

    // Cells sharing a style with a marked cell are not recoloured, and marked cells keep the rest of their style.
    expect(fillOf(ws.getCell("E2"))).toBe(`FF${WARNING_FILL}`); // row 2 is marked as a whole
    expect(fillOf(ws.getCell("E4"))).toBeUndefined();
    expect(ws.getCell("E3").numFmt).toBe("@");
    expect(ws.getCell("E3").protection?.locked).toBe(false);
    expect(fillOf(ws.getCell("G3"))).toBeUndefined();
    expect(fillOf(ws.getCell("A3"))).toBeUndefined();
    expect(ws.getCell("A1").font?.bold).toBe(true);

    // Content, other tabs, freeze and protection are the unit's.
    const original = await loadInput(source);
    expect(sheetContent(ws)).toEqual(sheetContent(original.ws));
    expect(wb.worksheets.map((w) => w.name)).toEqual([INPUT_TAB, GUIDE_TAB]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.getCell("G4").fill).toMatchObject({ fgColor: { argb: "FF00B0F0" } });
  });

  it("rewrites a clean copy once the issues are fixed, so old marks disappear", async () => {
    const { outDir, annotator, sourceDir } = await setup();
    const sheet = await new XlsxSheetSource({ dir: sourceDir }).read(unit);
    await annotator.annotate(unit, sheet, issues, []);
    await annotator.annotate(unit, sheet, [], issues);
    const { ws } = await loadInput(join(outDir, `${unit.id}.xlsx`));
    for (const a of ["E3", "F3", "B4", "A1", "A2", "L2"]) {
      expect(fillOf(ws.getCell(a)) ?? "", a).not.toBe(`FF${ERROR_FILL}`);
      expect(fillOf(ws.getCell(a)) ?? "", a).not.toBe(`FF${WARNING_FILL}`);
    }
    expect(noteOf(ws.getCell("E3"))).toBe("");
    expect(noteOf(ws.getCell("C3"))).toBe("Anh An nhập hộ");
  });

  it("gives the same bytes for the same file and issues", async () => {
    const { outDir, annotator, sourceDir } = await setup();
    const sheet = await new XlsxSheetSource({ dir: sourceDir }).read(unit);
    const copy = join(outDir, `${unit.id}.xlsx`);
    await annotator.annotate(unit, sheet, issues, []);
    const first = await sha(copy);
    await annotator.annotate(unit, sheet, issues, issues);
    expect(await sha(copy)).toBe(first);
  });

  it("leaves an up-to-date copy alone and redoes it when the issues or the unit's file change", async () => {
    const { source, outDir, annotator, sourceDir } = await setup();
    const sheet = await new XlsxSheetSource({ dir: sourceDir }).read(unit);
    const copy = join(outDir, `${unit.id}.xlsx`);
    // Every write goes through a temp file and a rename, so a rewrite shows as a new inode.
    await annotator.annotate(unit, sheet, issues, []);
    const first = (await stat(copy)).ino;
    await annotator.annotate(unit, sheet, [...issues].reverse(), issues);
    expect((await stat(copy)).ino).toBe(first);

    await annotator.annotate(unit, sheet, issues.slice(1), issues);
    const second = (await stat(copy)).ino;
    expect(second).not.toBe(first);
    expect(noteOf((await loadInput(copy)).ws.getCell("E3"))).toBe("Cảnh báo: Có thể trùng với dòng khác.");

    const later = new Date("2025-08-05T01:00:00.000Z");
    await utimes(source, later, later);
    await annotator.annotate(unit, sheet, issues.slice(1), issues);
    expect((await stat(copy)).ino).not.toBe(second);
  });

  it("reports a missing unit workbook with the unit's name", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dondoc-annotate-"));
    const annotator = new XlsxAnnotator({ sourceDir: dir, outDir: join(dir, "out") });
    const sheet = { unitId: unit.id, source: "x", header: [], rows: [] };
    await expect(annotator.annotate(unit, sheet, issues, [])).rejects.toMatchObject({
      code: "sheet-missing",
      message: expect.stringContaining(unit.name),
    });
  });
});
