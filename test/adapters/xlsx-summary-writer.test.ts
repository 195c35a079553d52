import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { readCell } from "../../functions/src/adapters/xlsx/cells.ts";
import { quoteSheetName } from "../../functions/src/adapters/xlsx/chart.ts";
import { HEADER_FILL, writeSummaryWorkbook } from "../../functions/src/adapters/xlsx/summary-writer.ts";
import { BAND_FILL, type SummaryTabs } from "../../functions/src/core/summary.ts";

const title = [
  "Chiến dịch 1 người hỗ trợ 15 người",
  "Số liệu tính đến 14:00 04/08/2025",
  "Kỳ báo cáo 3: từ 14:00 31/07/2025 đến trước 14:00 04/08/2025",
];

/** Shaped like buildSummaryTabs' output: title lines, a ranking with a chart, a roll-up with totals. */
const tabs: SummaryTabs = {
  tabs: [
    {
      name: "Xếp hạng",
      title,
      columns: [
        { header: "Hạng", format: "integer", width: 6 },
        { header: "Đơn vị", format: "text", width: 32 },
        { header: "Chữ ký số công cộng", format: "integer", width: 20 },
        { header: "Chỉ tiêu", format: "integer", width: 10 },
        { header: "Tỷ lệ (%)", format: "percent", width: 10 },
        { header: "Xếp loại", format: "text", width: 14 },
      ],
      rows: [
        { band: "praise", cells: [1, "Phường Đình Bảng", 19662, 20000, 98.3, "Biểu dương"] },
        { band: "on-track", cells: [2, "Phường Đông Ngàn", 1012, 2000, 50.6, "Đạt tiến độ"] },
        { band: "behind", cells: [3, "Xã Tam Sơn", 450, 1000, 45.2, "Chậm tiến độ"] },
        { band: "criticise", cells: [4, "Xã Hương Mạc", 12, null, null, "Phê bình"] },
      ],
      chart: { title: "Chữ ký số công cộng", categoryColumn: 1, seriesColumns: [2, 3] },
    },
    {
      name: "Tổng hợp",
      title,
      columns: [
        { header: "Đơn vị", format: "text", width: 36 },
        { header: "Chữ ký số công cộng", format: "integer", width: 20 },
        { header: "Tỷ lệ (%)", format: "percent", width: 10 },
      ],
      rows: [
        { bold: true, indent: 0, cells: ["Thị xã Từ Sơn", 20674, 75.5] },
        { indent: 1, cells: ["Phường Đình Bảng", 19662, 98.3] },
        { bold: true, cells: ["Tổng cộng", 21136, 76.1] },
      ],
    },
    {
      name: "Chưa báo cáo",
      title,
      columns: [
        { header: "Đơn vị", format: "text", width: 32 },
        { header: "Hạn", format: "datetime", width: 18 },
        { header: "Ngày", format: "date", width: 12 },
      ],
      rows: [{ cells: ["Xã Hương Mạc", "2025-08-04T14:00:00+07:00", "2025-08-04"] }],
    },
    {
      name: "Lỗi dữ liệu",
      title: [],
      columns: [
        { header: "Đơn vị", format: "text", width: 32 },
        { header: "Dòng", format: "integer", width: 7 },
        { header: "Nội dung", format: "text", width: 90 },
      ],
      rows: [{ band: "criticise", cells: ["Xã Tam Sơn", 7, '=IMPORTXML("http://x","//a")'] }],
    },
  ],
};

async function written(t: SummaryTabs = tabs): Promise<{ path: string; wb: ExcelJS.Workbook; zip: JSZip }> {
  const path = join(await mkdtemp(join(tmpdir(), "dondoc-summary-")), "tong-hop.xlsx");
  await writeSummaryWorkbook(path, t);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return { path, wb, zip: await JSZip.loadAsync(await readFile(path)) };
}

function argbOf(cell: ExcelJS.Cell): string | undefined {
  return cell.fill?.type === "pattern" ? cell.fill.fgColor?.argb : undefined;
}

/** Parses with a strict, namespace-aware parser; returns the elements' qualified names in document order. */
function parseXml(xml: string): string[] {
  const names: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on("opentag", (node) => {
    names.push(node.name);
  });
  parser.write(xml).close();
  return names;
}

describe("writeSummaryWorkbook", () => {
  it("writes the tabs in order with titles, a frozen styled header and widths", async () => {
    const { wb } = await written();
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu"]);
    const ws = wb.getWorksheet("Xếp hạng")!;
    expect(ws.getCell("A1").value).toBe(title[0]);
    expect(ws.getCell("A1").font?.bold).toBe(true);
    expect(ws.getCell("A3").value).toBe(title[2]);
    // Titles on rows 1–3, a blank row, the header on row 5.
    expect(ws.getRow(5).values).toEqual([
      undefined,
      "Hạng",
      "Đơn vị",
      "Chữ ký số công cộng",
      "Chỉ tiêu",
      "Tỷ lệ (%)",
      "Xếp loại",
    ]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 5 });
    expect(ws.getCell("B5").font?.bold).toBe(true);
    expect(argbOf(ws.getCell("B5"))).toBe(`FF${HEADER_FILL}`);
    expect(ws.getColumn(2).width).toBe(32);
    expect(ws.autoFilter).toBe("A5:F9");

    const issues = wb.getWorksheet("Lỗi dữ liệu")!;
    expect(issues.getRow(1).values).toEqual([undefined, "Đơn vị", "Dòng", "Nội dung"]);
    expect(issues.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
  });

  it("fills rows by band and keeps the figures as numbers with Vietnamese formats", async () => {
    const { wb } = await written();
    const ws = wb.getWorksheet("Xếp hạng")!;
    expect(argbOf(ws.getCell("B6"))).toBe(`FF${BAND_FILL.praise}`);
    expect(argbOf(ws.getCell("F6"))).toBe(`FF${BAND_FILL.praise}`);
    expect(argbOf(ws.getCell("B7"))).toBeUndefined();
    expect(argbOf(ws.getCell("B8"))).toBe(`FF${BAND_FILL.behind}`);
    expect(argbOf(ws.getCell("E9"))).toBe(`FF${BAND_FILL.criticise}`);

    expect(ws.getCell("C6").value).toBe(19662);
    expect(ws.getCell("C6").numFmt).toBe("[$-42A]#,##0");
    expect(ws.getCell("E8").value).toBe(45.2);
    expect(ws.getCell("E8").numFmt).toBe('[$-42A]0.0"%"');
    expect(ws.getCell("D9").value).toBeNull();
    expect(ws.getCell("B6").value).toBe("Phường Đình Bảng");
  });

  it("renders roll-up bold rows and indentation", async () => {
    const ws = (await written()).wb.getWorksheet("Tổng hợp")!;
    expect(ws.getCell("A6").font?.bold).toBe(true);
    expect(ws.getCell("A7").alignment).toMatchObject({ indent: 1, horizontal: "left" });
    expect(ws.getCell("A7").font?.bold).not.toBe(true);
    expect(ws.getCell("A8").value).toBe("Tổng cộng");
    expect(ws.getCell("B8").font?.bold).toBe(true);
    expect(ws.getCell("B8").value).toBe(21136);
  });

  it("writes dates as Vietnamese wall-clock serials with dd/mm/yyyy formats", async () => {
    const ws = (await written()).wb.getWorksheet("Chưa báo cáo")!;
    expect(ws.getCell("B6").numFmt).toBe("dd/mm/yyyy hh:mm");
    expect(readCell(ws.getCell("B6"))).toBe(45873 + 14 / 24);
    expect(ws.getCell("C6").numFmt).toBe("dd/mm/yyyy");
    expect(readCell(ws.getCell("C6"))).toBe(45873);
  });

  it("writes text starting with '=' as text, never as a formula", async () => {
    const { wb, zip } = await written();
    const ws = wb.getWorksheet("Lỗi dữ liệu")!;
    expect(ws.getCell("C2").value).toBe('=IMPORTXML("http://x","//a")');
    for (const name of Object.keys(zip.files).filter((n) => n.startsWith("xl/worksheets/sheet"))) {
      expect(await zip.file(name)!.async("string"), name).not.toContain("<f>");
    }
  });

  it("adds a well-formed clustered column chart referencing the ranking's cells", async () => {
    const { zip } = await written();
    const chart = await zip.file("xl/charts/chart1.xml")!.async("string");
    const names = parseXml(chart);
    expect(names[0]).toBe("c:chartSpace");
    expect(names).toContain("c:barChart");
    expect(chart).toContain('<c:barDir val="col"/>');
    expect(chart).toContain('<c:grouping val="clustered"/>');
    // Figures in C, targets in D, names in B, rows 6–9 below the header on row 5.
    const refs = [...chart.matchAll(/<c:f>([^<]*)<\/c:f>/g)].map((m) => m[1]!.replaceAll("&apos;", "'"));
    expect(refs).toEqual([
      "'Xếp hạng'!$C$5",
      "'Xếp hạng'!$B$6:$B$9",
      "'Xếp hạng'!$C$6:$C$9",
      "'Xếp hạng'!$D$5",
      "'Xếp hạng'!$B$6:$B$9",
      "'Xếp hạng'!$D$6:$D$9",
    ]);
    expect(chart).toContain("<c:v>Phường Đình Bảng</c:v>");
    expect(chart).toContain("<c:v>19662</c:v>");
    expect(chart).toContain("<c:v>Chỉ tiêu</c:v>");

    const drawing = await zip.file("xl/drawings/drawing1.xml")!.async("string");
    expect(parseXml(drawing)).toContain("xdr:twoCellAnchor");
    // Right of the six-column table, from the header row.
    expect(drawing).toContain("<xdr:from><xdr:col>7</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row>");
    const drawingRels = await zip.file("xl/drawings/_rels/drawing1.xml.rels")!.async("string");
    parseXml(drawingRels);
    expect(drawingRels).toContain('Target="../charts/chart1.xml"');

    const sheet = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    const sheetNames = parseXml(sheet);
    const drawingEl = /<drawing r:id="(rId\d+)"\/>/.exec(sheet);
    expect(drawingEl).not.toBeNull();
    // <drawing> sits where the schema wants it: after pageSetup, before any legacyDrawing.
    expect(sheetNames.indexOf("drawing")).toBeGreaterThan(sheetNames.indexOf("pageMargins"));
    const sheetRels = await zip.file("xl/worksheets/_rels/sheet1.xml.rels")!.async("string");
    parseXml(sheetRels);
    expect(sheetRels).toContain(`Id="${drawingEl![1]}"`);
    expect(sheetRels).toContain('Target="../drawings/drawing1.xml"');

    const types = await zip.file("[Content_Types].xml")!.async("string");
    parseXml(types);
    expect(types).toContain('PartName="/xl/charts/chart1.xml"');
    expect(types).toContain('PartName="/xl/drawings/drawing1.xml"');
    // Only the ranking has a chart.
    expect(zip.file("xl/charts/chart2.xml")).toBeNull();
  });

  it("quotes sheet names in chart formulas", () => {
    expect(quoteSheetName("Xếp hạng")).toBe("'Xếp hạng'");
    expect(quoteSheetName("Đơn vị's")).toBe("'Đơn vị''s'");
  });

  it("gives identical bytes for identical tabs", async () => {
    const a = await written();
    const b = await written();
    expect((await readFile(a.path)).equals(await readFile(b.path))).toBe(true);
  });

  it("writes no chart for a ranking without rows", async () => {
    const empty: SummaryTabs = { tabs: [{ ...tabs.tabs[0]!, rows: [] }] };
    const { zip, wb } = await written(empty);
    expect(zip.file("xl/charts/chart1.xml")).toBeNull();
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Xếp hạng"]);
  });

  it("rejects a chart pointing outside the table", async () => {
    const bad: SummaryTabs = {
      tabs: [{ ...tabs.tabs[0]!, chart: { title: "x", categoryColumn: 1, seriesColumns: [9] } }],
    };
    await expect(written(bad)).rejects.toMatchObject({ code: "summary-chart-column" });
  });
});

const soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((p) => existsSync(p));

// LibreOffice is the reference for "a real spreadsheet program opens it". CI needs libreoffice-calc-nogui.
describe.skipIf(soffice === undefined)("tong-hop.xlsx in LibreOffice", () => {
  it("converts to PDF headless", async () => {
    const { path } = await written();
    const outDir = await mkdtemp(join(tmpdir(), "dondoc-soffice-"));
    await promisify(execFile)(
      soffice!,
      [
        `-env:UserInstallation=file://${outDir}/profile`,
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        outDir,
        path,
      ],
      { timeout: 120_000 },
    );
    const pdf = await readFile(join(outDir, "tong-hop.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(5000);
  }, 180_000);
});
