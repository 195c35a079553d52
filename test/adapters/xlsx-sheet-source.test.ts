import { mkdir, mkdtemp, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { INPUT_TAB, writeInputWorkbook } from "../../functions/src/adapters/xlsx/input-workbook.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import type { CellValue } from "../../schemas/index.ts";
import { lineListCampaign, otherUnit, unit } from "./xlsx-fixtures.ts";

async function campaignDir(): Promise<{ dir: string; sheets: string }> {
  const dir = await mkdtemp(join(tmpdir(), "dondoc-source-"));
  const sheets = join(dir, "sheets");
  await mkdir(sheets);
  return { dir, sheets };
}

async function writeTabs(path: string, tabs: { name: string; rows: CellValue[][]; hidden?: boolean }[]) {
  const wb = new ExcelJS.Workbook();
  for (const t of tabs) {
    const ws = wb.addWorksheet(t.name, { state: t.hidden ? "hidden" : "visible" });
    t.rows.forEach((r, i) => {
      r.forEach((v, j) => {
        if (v !== null) ws.getCell(i + 1, j + 1).value = v;
      });
    });
  }
  await wb.xlsx.writeFile(path);
}

const labels = inputColumns(lineListCampaign).map((c) => c.label);

describe("XlsxSheetSource.read", () => {
  it("returns the template's header and the rows as typed, gaps kept and trailing emptiness dropped", async () => {
    const { sheets } = await campaignDir();
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
        "VNPT",
      ],
      [],
      [
        null,
        "31/02/2025",
        "Nguyễn Văn An",
        "Lò Văn Cường",
        12345,
        null,
        null,
        "x",
        null,
        '=IMPORTXML("a","b")',
      ],
      [null, null, "", null],
    ];
    await writeInputWorkbook(join(sheets, `${unit.id}.xlsx`), lineListCampaign, unit, rows);
    const source = new XlsxSheetSource({ dir: sheets });
    const sheet = await source.read(unit);

    expect(sheet.unitId).toBe(unit.id);
    expect(sheet.source).toBe(`sheets/${unit.id}.xlsx`);
    expect(sheet.header).toEqual(labels);
    expect(sheet.rows).toEqual([rows[0], [], rows[2]]);
    const st = await stat(join(sheets, `${unit.id}.xlsx`));
    expect(sheet.modifiedTime).toBe(st.mtime.toISOString());
  });

  it("takes the 'Nhập liệu' tab wherever it is, even with decomposed Unicode, else the first visible tab", async () => {
    const { sheets } = await campaignDir();
    const path = join(sheets, `${unit.id}.xlsx`);
    await writeTabs(path, [
      { name: "Ghi chú", rows: [["không phải dữ liệu"]] },
      { name: INPUT_TAB.normalize("NFD"), rows: [["Ngày hỗ trợ"], [45873]] },
    ]);
    const source = new XlsxSheetSource({ dir: sheets });
    expect((await source.read(unit)).rows).toEqual([[45873]]);

    await writeTabs(path, [
      { name: "Danh mục", rows: [["ẩn"]], hidden: true },
      {
        name: "Sheet1",
        rows: [
          ["Ngày hỗ trợ", "Người hỗ trợ"],
          [45874, "Hà Văn Dũng"],
        ],
      },
    ]);
    expect(await source.read(unit)).toMatchObject({
      header: ["Ngày hỗ trợ", "Người hỗ trợ"],
      rows: [[45874, "Hà Văn Dũng"]],
    });
  });

  it("names the unit and the expected path when the file is missing", async () => {
    const { sheets } = await campaignDir();
    const source = new XlsxSheetSource({ dir: sheets });
    const err = await source.read(otherUnit).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "sheet-missing", details: { unitId: otherUnit.id } });
    expect((err as Error).message).toContain(otherUnit.name);
    expect((err as Error).message).toContain(join(sheets, `${otherUnit.id}.xlsx`));
  });

  it("reports a corrupt file as unreadable, naming the unit", async () => {
    const { sheets } = await campaignDir();
    await writeFile(join(sheets, `${unit.id}.xlsx`), "PK\u0003\u0004 this is not really a zip");
    const err = await new XlsxSheetSource({ dir: sheets }).read(unit).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "sheet-unreadable" });
    expect((err as Error).message).toContain(unit.name);
  });

  it("reports a folder in place of the file as unreadable", async () => {
    const { sheets } = await campaignDir();
    await mkdir(join(sheets, `${unit.id}.xlsx`));
    await expect(new XlsxSheetSource({ dir: sheets }).read(unit)).rejects.toMatchObject({
      code: "sheet-unreadable",
    });
  });
});

describe("XlsxSheetSource.changedUnits", () => {
  it("returns units never seen, changed or missing, and skips the unchanged", async () => {
    const { sheets } = await campaignDir();
    const a = { ...unit, id: "a" };
    const b = { ...unit, id: "b" };
    const c = { ...unit, id: "c" };
    const gone = { ...unit, id: "gone" };
    for (const u of [a, b, c]) await writeInputWorkbook(join(sheets, `${u.id}.xlsx`), lineListCampaign, u);
    const past = new Date("2025-08-01T03:00:00.000Z");
    for (const u of [a, b, c]) await utimes(join(sheets, `${u.id}.xlsx`), past, past);

    const source = new XlsxSheetSource({ dir: sheets });
    const seen = new Map<string, string | null>([
      ["a", past.toISOString()],
      ["b", "2025-07-30T00:00:00.000Z"],
      ["c", null],
      ["gone", past.toISOString()],
    ]);
    const changed = await source.changedUnits([a, b, c, gone], seen);
    expect(changed.map((u) => u.id)).toEqual(["b", "c", "gone"]);

    // What read() reports is exactly what changedUnits compares against.
    const read = await source.read(a);
    expect(read.modifiedTime).toBe(past.toISOString());
  });
});
