import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import {
  columnIndex,
  columnLetter,
  dateToSerial,
  fromCellValue,
  MAX_CELL_TEXT,
  readCell,
  serialToDate,
  toCellValue,
} from "../../functions/src/adapters/xlsx/cells.ts";
import { DondocError } from "../../functions/src/core/errors.ts";

// 04/08/2025 14:00 as a 1900-system serial: 45873 days after 1899-12-30, plus 14/24.
const AUG_4_2025 = 45873;
const AUG_4_2025_1400 = AUG_4_2025 + 14 / 24;

async function roundTrip(fill: (ws: ExcelJS.Worksheet, wb: ExcelJS.Workbook) => void): Promise<{
  ws: ExcelJS.Worksheet;
  sheetXml: string;
}> {
  const wb = new ExcelJS.Workbook();
  fill(wb.addWorksheet("a"), wb);
  const dir = await mkdtemp(join(tmpdir(), "dondoc-cells-"));
  const path = join(dir, "t.xlsx");
  await wb.xlsx.writeFile(path);
  const zip = await JSZip.loadAsync(await readFile(path));
  const sheetXml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
  const back = new ExcelJS.Workbook();
  await back.xlsx.readFile(path);
  return { ws: back.getWorksheet("a")!, sheetXml };
}

describe("toCellValue", () => {
  it.each<[string, ExcelJS.CellValue, unknown]>([
    ["null", null, null],
    ["undefined", undefined, null],
    ["empty string (Sheets omits it)", "", null],
    ["string", "Nguyễn Văn An", "Nguyễn Văn An"],
    ["id text keeps its zero", "001203004567", "001203004567"],
    ["number", 19662, 19662],
    ["fraction", 12.5, 12.5],
    ["boolean", true, true],
    ["date (UTC fields = wall clock)", new Date(Date.UTC(2025, 7, 4, 14, 0)), AUG_4_2025_1400],
    ["rich text", { richText: [{ text: "Nà " }, { text: "Tùm", font: { bold: true } }] }, "Nà Tùm"],
    ["hyperlink", { text: "Hướng dẫn", hyperlink: "https://vneid.gov.vn" }, "Hướng dẫn"],
    [
      "hyperlink with rich text",
      { text: { richText: [{ text: "a" }, { text: "b" }] }, hyperlink: "x" } as unknown as ExcelJS.CellValue,
      "ab",
    ],
    ["error", { error: "#REF!" }, "#REF!"],
    ["formula is data, not its result", { formula: "IMPORTXML(A1,B1)", result: 3 }, "=IMPORTXML(A1,B1)"],
    ["formula with error result", { formula: "1/0", result: { error: "#DIV/0!" } }, "=1/0"],
  ])("%s", (_name, input, expected) => {
    expect(toCellValue(input)).toEqual(expected);
  });

  it("treats a merged follower as empty, like Sheets", () => {
    expect(toCellValue("Thôn Nà Tùm", ExcelJS.ValueType.Merge)).toBeNull();
  });
});

describe("serial dates", () => {
  it("maps whole days exactly and back", () => {
    expect(dateToSerial(new Date(Date.UTC(1899, 11, 30)))).toBe(0);
    expect(dateToSerial(new Date(Date.UTC(2025, 7, 4)))).toBe(AUG_4_2025);
    expect(serialToDate(AUG_4_2025).toISOString()).toBe("2025-08-04T00:00:00.000Z");
    expect(serialToDate(AUG_4_2025_1400).toISOString()).toBe("2025-08-04T14:00:00.000Z");
  });

  it("rejects an invalid Date", () => {
    expect(() => dateToSerial(new Date(Number.NaN))).toThrow(DondocError);
  });
});

describe("reading cells from a saved workbook", () => {
  it("normalises what exceljs hands back after a file round trip", async () => {
    const { ws } = await roundTrip((s) => {
      s.getCell("A1").value = AUG_4_2025_1400;
      s.getCell("A1").numFmt = "dd/mm/yyyy hh:mm";
      s.getCell("A2").value = AUG_4_2025;
      s.getCell("A2").numFmt = "dd/mm/yyyy";
      s.getCell("A3").value = AUG_4_2025; // no date format: Sheets returns the plain number too
      s.getCell("B1").value = { formula: "A1*2", shareType: "shared", ref: "B1:B3" } as ExcelJS.CellValue;
      s.getCell("B2").value = { sharedFormula: "B1" } as ExcelJS.CellValue;
      s.getCell("C1").value = "Thôn Nà Tùm";
      s.mergeCells("C1:D1");
      s.getCell("E1").value = { richText: [{ text: "Chợ " }, { text: "Đồn" }] };
      s.getCell("F1").value = { formula: 'IMPORTXML("http://x","//a")', result: "cached" };
      s.getCell("G1").value = { error: "#N/A" };
      s.getCell("H1").value = false;
    });
    // exceljs turns date-formatted numbers into Dates; they come back as the very serial written.
    expect(ws.getCell("A1").value).toBeInstanceOf(Date);
    expect(readCell(ws.getCell("A1"))).toBe(AUG_4_2025_1400);
    expect(readCell(ws.getCell("A2"))).toBe(AUG_4_2025);
    expect(readCell(ws.getCell("A3"))).toBe(AUG_4_2025);
    expect(readCell(ws.getCell("B1"))).toBe("=A1*2");
    // A shared formula's follower gets its own references, not the master's.
    expect(readCell(ws.getCell("B2"))).toBe("=A2*2");
    expect(readCell(ws.getCell("C1"))).toBe("Thôn Nà Tùm");
    expect(readCell(ws.getCell("D1"))).toBeNull();
    expect(readCell(ws.getCell("E1"))).toBe("Chợ Đồn");
    expect(readCell(ws.getCell("F1"))).toBe('=IMPORTXML("http://x","//a")');
    expect(readCell(ws.getCell("G1"))).toBe("#N/A");
    expect(readCell(ws.getCell("H1"))).toBe(false);
    expect(readCell(ws.getCell("Z9"))).toBeNull();
  });

  it("gives 1900-system serials for a workbook saved in the 1904 date system", async () => {
    const { ws, sheetXml } = await roundTrip((s, wb) => {
      wb.properties.date1904 = true;
      s.getCell("A1").value = serialToDate(AUG_4_2025);
      s.getCell("A1").numFmt = "dd/mm/yyyy";
    });
    // On disk the serial is 1462 days smaller; the reader must not leak that offset.
    expect(sheetXml).toContain(`<v>${AUG_4_2025 - 1462}</v>`);
    expect(readCell(ws.getCell("A1"))).toBe(AUG_4_2025);
  });
});

describe("fromCellValue", () => {
  it("writes a leading '=' as text, never as a formula", async () => {
    const { ws, sheetXml } = await roundTrip((s) => {
      s.getCell("A1").value = fromCellValue('=IMPORTXML("http://x","//a")');
      s.getCell("A2").value = fromCellValue("001203004567");
      s.getCell("A3").value = fromCellValue(19662);
      s.getCell("A4").value = fromCellValue(true);
    });
    expect(sheetXml).not.toContain("<f>");
    expect(readCell(ws.getCell("A1"))).toBe('=IMPORTXML("http://x","//a")');
    expect(ws.getCell("A1").type).toBe(ExcelJS.ValueType.String);
    expect(readCell(ws.getCell("A2"))).toBe("001203004567");
    expect(readCell(ws.getCell("A3"))).toBe(19662);
    expect(readCell(ws.getCell("A4"))).toBe(true);
  });

  it("refuses what Excel cannot hold", () => {
    expect(() => fromCellValue("x".repeat(MAX_CELL_TEXT + 1))).toThrow(
      expect.objectContaining({ code: "cell-too-long" }),
    );
    expect(() => fromCellValue(Number.POSITIVE_INFINITY)).toThrow(
      expect.objectContaining({ code: "cell-not-finite" }),
    );
    expect(fromCellValue("x".repeat(MAX_CELL_TEXT))).toHaveLength(MAX_CELL_TEXT);
  });
});

describe("column letters", () => {
  it.each([
    [1, "A"],
    [26, "Z"],
    [27, "AA"],
    [52, "AZ"],
    [703, "AAA"],
  ])("%i ↔ %s", (n, letter) => {
    expect(columnLetter(n)).toBe(letter);
    expect(columnIndex(letter)).toBe(n);
  });

  it("rejects non-columns", () => {
    expect(columnIndex("")).toBeNull();
    expect(columnIndex("a1")).toBeNull();
    expect(() => columnLetter(0)).toThrow(DondocError);
  });
});
