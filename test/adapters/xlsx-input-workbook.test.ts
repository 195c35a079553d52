import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { columnLetter, readCell } from "../../functions/src/adapters/xlsx/cells.ts";
import {
  GUIDE_TAB,
  INPUT_TAB,
  LISTS_TAB,
  MIN_VALIDATED_ROWS,
  SPARE_ROWS,
  writeInputWorkbook,
} from "../../functions/src/adapters/xlsx/input-workbook.ts";
import { BOOL_TRUE_CHOICE, inputColumns } from "../../functions/src/core/columns.ts";
import { Campaign } from "../../schemas/index.ts";
import { aggregateCampaign, lineListCampaign, unit } from "./xlsx-fixtures.ts";

async function tmpFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "dondoc-input-")), name);
}

async function sheetXml(path: string, n: number): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(path));
  return zip.file(`xl/worksheets/sheet${n}.xml`)!.async("string");
}

async function load(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

/** The <dataValidation> elements by the column of their range, e.g. "J" → its XML. */
function validationsByColumn(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of xml.matchAll(/<dataValidation\b[^>]*>.*?<\/dataValidation>/gs)) {
    const sqref = /sqref="([A-Z]+)\d+:/.exec(m[0]);
    const text = m[0].replaceAll("&quot;", '"').replaceAll("&apos;", "'").replaceAll("&amp;", "&");
    if (sqref?.[1]) out.set(sqref[1], text);
  }
  return out;
}

const columns = inputColumns(lineListCampaign);
const letterOf = (key: string) => columnLetter(columns.findIndex((c) => c.key === key) + 1);

describe("writeInputWorkbook (line-list)", () => {
  it("has the input tab first with the parser's header, frozen, styled and widths set", async () => {
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, lineListCampaign, unit);
    const wb = await load(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual([INPUT_TAB, GUIDE_TAB]);
    const ws = wb.getWorksheet(INPUT_TAB)!;
    expect(ws.getRow(1).values).toEqual([undefined, ...columns.map((c) => c.label)]);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    columns.forEach((c, i) => {
      const cell = ws.getCell(1, i + 1);
      expect(cell.font?.bold).toBe(true);
      expect(cell.alignment?.wrapText).toBe(true);
      expect(cell.fill).toMatchObject({ type: "pattern", pattern: "solid" });
      // Locked is the default an xf without <protection> carries, so exceljs reads it back as absent.
      expect(cell.protection?.locked).not.toBe(false);
      expect(ws.getColumn(i + 1).width).toBe(c.width);
      expect(
        String(typeof cell.note === "string" ? cell.note : cell.note?.texts?.map((t) => t.text).join("")),
      ).toContain(c.help);
    });
  });

  it("formats id and phone columns as text and date columns as dd/mm/yyyy, unlocking only data cells", async () => {
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, lineListCampaign, unit);
    const ws = (await load(path)).getWorksheet(INPUT_TAB)!;
    const col = (key: string) => ws.getColumn(letterOf(key));
    expect(col("citizenId").numFmt).toBe("@");
    expect(col("phone").numFmt).toBe("@");
    expect(col("date").numFmt).toBe("dd/mm/yyyy");
    expect(col("enteredAt").numFmt).toBe("dd/mm/yyyy hh:mm");
    expect(col("citizenName").protection?.locked).toBe(false);
    expect(col("ind:signature").protection?.locked).toBe(false);
    // The stamp belongs to the system; its column stays locked.
    expect(col("enteredAt").protection?.locked).not.toBe(false);

    const xml = await sheetXml(path, 1);
    const protection = /<sheetProtection\b[^>]*\/>/.exec(xml)?.[0] ?? "";
    expect(protection).toContain('sheet="1"');
    // No password: no hash, so regenerated files are identical and an office can lift it.
    expect(protection).not.toContain("hashValue");
  });

  it("adds dropdowns, count and date validations with Vietnamese messages down to row 1000", async () => {
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, lineListCampaign, unit);
    const v = validationsByColumn(await sheetXml(path, 1));

    const signature = v.get(letterOf("ind:signature"))!;
    expect(signature).toContain('type="list"');
    expect(signature).toContain(
      `sqref="${letterOf("ind:signature")}2:${letterOf("ind:signature")}${MIN_VALIDATED_ROWS}"`,
    );
    expect(signature).toContain(`<formula1>"${BOOL_TRUE_CHOICE},Không"</formula1>`);
    expect(signature).toContain("Vui lòng chọn");

    const provider = v.get(letterOf("provider"))!;
    expect(provider).toContain(`<formula1>"${lineListCampaign.providers.join(",")}"</formula1>`);

    const date = v.get(letterOf("date"))!;
    expect(date).toContain('type="date"');
    // 28/07/2025 and 18/08/2025 as serials: the campaign's days, not shifted by any zone.
    expect(date).toContain("<formula1>45866</formula1>");
    expect(date).toContain("<formula2>45887</formula2>");
    expect(date).toContain("28/07/2025");

    const id = v.get(letterOf("citizenId"))!;
    expect(id).toContain('type="textLength"');
    expect(id).toContain('errorStyle="warning"');
    expect(v.has(letterOf("enteredAt"))).toBe(false);
    expect(v.has(letterOf("citizenName"))).toBe(false);
  });

  it("writes given rows as they are, mistakes included, and extends validation past them", async () => {
    const path = await tmpFile("a.xlsx");
    const width = columns.length;
    const row = (values: Record<string, string | number | boolean>) =>
      columns.map((c) => (c.key in values ? values[c.key]! : null));
    const rows = Array.from({ length: 800 }, () =>
      row({ date: 45873, supporter: "Nguyễn Văn An", citizenId: "001203004567", "ind:signature": "Có" }),
    );
    rows[1] = row({ citizenId: 1203004567, supporter: '=IMPORTXML("http://x","//a")', date: "31/02/2025" });
    expect(rows[0]).toHaveLength(width);
    await writeInputWorkbook(path, lineListCampaign, unit, rows);

    const ws = (await load(path)).getWorksheet(INPUT_TAB)!;
    const at = (r: number, key: string) => readCell(ws.getCell(`${letterOf(key)}${r}`));
    expect(at(2, "citizenId")).toBe("001203004567");
    expect(at(2, "date")).toBe(45873);
    expect(ws.getCell(`${letterOf("date")}2`).value).toBeInstanceOf(Date);
    expect(at(2, "ind:signature")).toBe("Có");
    expect(at(3, "citizenId")).toBe(1203004567);
    expect(at(3, "supporter")).toBe('=IMPORTXML("http://x","//a")');
    expect(ws.getCell(`${letterOf("supporter")}3`).type).toBe(ExcelJS.ValueType.String);
    expect(at(3, "date")).toBe("31/02/2025");

    const signature = validationsByColumn(await sheetXml(path, 1)).get(letterOf("ind:signature"))!;
    expect(signature).toContain(`:${letterOf("ind:signature")}${800 + 1 + SPARE_ROWS}"`);
  });

  it("explains every column on the guide tab", async () => {
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, lineListCampaign, unit, [], { title: "Sổ theo dõi hỗ trợ người dân" });
    const wb = await load(path);
    const guide = wb.getWorksheet(GUIDE_TAB)!;
    expect(guide.getCell("A1").value).toBe("Sổ theo dõi hỗ trợ người dân");
    expect(guide.getCell("A1").font?.bold).toBe(true);
    expect(wb.title).toBe("Sổ theo dõi hỗ trợ người dân");
    const texts: string[] = [];
    guide.eachRow((r) => {
      texts.push((r.values as unknown[]).filter((x) => typeof x === "string").join(" | "));
    });
    expect(texts.some((t) => t.includes(unit.name))).toBe(true);
    for (const c of columns) {
      const line = texts.find((t) => t.includes(` | ${c.label} | `));
      expect(line, c.label).toBeDefined();
      expect(line).toContain(c.help);
    }
    expect(texts.find((t) => t.includes("Số định danh cá nhân |"))).toContain("001203004567");
  });

  it("gives identical bytes when written twice", async () => {
    const a = await tmpFile("a.xlsx");
    const b = await tmpFile("b.xlsx");
    await writeInputWorkbook(a, lineListCampaign, unit, [["x", 1, true]]);
    await writeInputWorkbook(b, lineListCampaign, unit, [["x", 1, true]]);
    expect((await readFile(a)).equals(await readFile(b))).toBe(true);
  });

  it("moves a dropdown that cannot be inline (a comma in a choice) to a hidden list tab", async () => {
    const campaign = Campaign.parse({
      ...lineListCampaign,
      providers: ["VNPT", "Công ty A, chi nhánh Bắc Kạn"],
    });
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, campaign, unit);
    const wb = await load(path);
    const lists = wb.getWorksheet(LISTS_TAB)!;
    expect(lists.state).toBe("hidden");
    expect(lists.getColumn(1).values.slice(2)).toEqual(["VNPT", "Công ty A, chi nhánh Bắc Kạn"]);
    const provider = validationsByColumn(await sheetXml(path, 1)).get(letterOf("provider"))!;
    expect(provider).toContain(`<formula1>'${LISTS_TAB}'!$A$2:$A$3</formula1>`);
    expect(wb.worksheets[0]!.name).toBe(INPUT_TAB);
  });
});

describe("writeInputWorkbook (aggregate)", () => {
  it("validates counts as whole numbers ≥ 0", async () => {
    const path = await tmpFile("a.xlsx");
    await writeInputWorkbook(path, aggregateCampaign, unit);
    const agg = inputColumns(aggregateCampaign);
    const ws = (await load(path)).getWorksheet(INPUT_TAB)!;
    expect(ws.getRow(1).values).toEqual([undefined, ...agg.map((c) => c.label)]);
    const letter = columnLetter(agg.findIndex((c) => c.type === "count") + 1);
    const count = validationsByColumn(await sheetXml(path, 1)).get(letter)!;
    expect(count).toContain('type="whole"');
    expect(count).toContain('operator="greaterThanOrEqual"');
    expect(count).toContain("<formula1>0</formula1>");
  });
});
