// `dondoc run` end to end on the embedded default: what `npm start` does, on a copy of the Chợ Đồn example.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { BAND_FILL } from "../../functions/src/core/summary.ts";
import { Standings } from "../../schemas/index.ts";
import { dondoc, exampleCopy } from "./support.ts";

let dirs: Awaited<ReturnType<typeof exampleCopy>>;
let first: Awaited<ReturnType<typeof dondoc>>;
let second: Awaited<ReturnType<typeof dondoc>>;
const snapshot = new Map<string, Buffer>();

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

beforeAll(async () => {
  dirs = await exampleCopy("cho-don");
  const args = ["run", "--campaign", dirs.campaign, "--out", dirs.out, "--data", dirs.data];
  first = await dondoc(...args);
  for (const f of await files(dirs.out)) snapshot.set(f, await readFile(f));
  second = await dondoc(...args);
}, 180_000);

describe("dondoc run on the Chợ Đồn example", () => {
  it("finishes, shows progress while reading and prints the ranking", () => {
    expect(first.code, first.err).toBe(0);
    expect(first.err).toMatch(/\[1\/\d+\] đang đọc/);
    expect(first.out).toMatch(/Hạng\s+Đơn vị/);
    expect(first.out).toContain("Thôn Bản Én");
    expect(first.out).toMatch(/Tổng cộng/);
    expect(first.out).toMatch(/Firestore: đã ghi [1-9][\d.]* tài liệu/);
  });

  it("writes tong-hop.xlsx, standings.json (valid), bao-cao.txt, annotated copies and the outbox", async () => {
    const names = [...snapshot.keys()].map((f) => f.slice(dirs.out.length + 1));
    expect(names).toEqual(expect.arrayContaining(["tong-hop.xlsx", "standings.json", "bao-cao.txt"]));
    const inputs = (await readdir(join(dirs.campaign, "sheets"))).filter((f) => f.endsWith(".xlsx"));
    expect(names.filter((n) => n.startsWith("units/") && n.endsWith(".xlsx")).sort()).toEqual(
      inputs.map((f) => `units/${f}`).sort(),
    );
    expect(names.some((n) => n.startsWith("outbox/") && n.endsWith(".eml"))).toBe(true);
    const standings = Standings.parse(JSON.parse(snapshot.get(join(dirs.out, "standings.json"))!.toString()));
    expect(standings.campaignId).toBe("cho-don-2025-07");
    expect((await readFile(join(dirs.out, "bao-cao.txt"), "utf8")).trim()).toMatch(/biểu dương/);
  });

  it("a second run on unchanged data writes 0 documents and produces identical files", async () => {
    expect(second.code, second.err).toBe(0);
    expect(second.out).toContain("Firestore: đã ghi 0 tài liệu.");
    const now = await files(dirs.out);
    expect(now).toEqual([...snapshot.keys()]);
    for (const f of now) expect((await readFile(f)).equals(snapshot.get(f)!), f).toBe(true);
  });

  it("tong-hop.xlsx reads back with the four tabs, band fills and the standings' figures", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dirs.out, "tong-hop.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu"]);
    const standings = Standings.parse(JSON.parse(await readFile(join(dirs.out, "standings.json"), "utf8")));
    const ranking = wb.getWorksheet("Xếp hạng")!;
    const rowsByName = new Map<string, ExcelJS.Row>();
    ranking.eachRow((row) => {
      const name = row.getCell(2).value;
      if (typeof name === "string") rowsByName.set(name, row);
    });
    const key = standings.ranking.indicator;
    for (const unit of standings.units) {
      const row = rowsByName.get(unit.name);
      expect(row, unit.name).toBeDefined();
      const values = (row!.values as ExcelJS.CellValue[]).slice(1);
      expect(values).toContain(unit.counts[key]);
      const fill = BAND_FILL[unit.band];
      const argb = (row!.getCell(2).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;
      if (fill) expect(argb?.slice(-6)).toBe(fill);
      else expect(argb === undefined || !Object.values(BAND_FILL).includes(argb.slice(-6))).toBe(true);
    }
    expect(standings.units.some((u) => u.band === "praise")).toBe(true);
    expect(standings.units.some((u) => u.band === "criticise")).toBe(true);
    const errors = wb.getWorksheet("Lỗi dữ liệu")!;
    const messages: string[] = [];
    errors.eachRow((row) => {
      for (const v of row.values as ExcelJS.CellValue[]) if (typeof v === "string") messages.push(v);
    });
    // The example plants a 13-digit id on row 158 of the lower secondary school's sheet.
    expect(messages.some((m) => m.includes("Trường THCS Bằng Lũng, dòng 158"))).toBe(true);
  });
});
