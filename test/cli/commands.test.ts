// The other CLI commands and the failure paths a user meets: bad rows, broken folders, --help, init, validate.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { ERROR_FILL } from "../../functions/src/core/summary.ts";
import { Standings } from "../../schemas/index.ts";
import { dondoc, exampleCopy } from "./support.ts";

/** Appends rows, given by column key, to a unit's input tab as a person typing would. */
async function appendRows(
  campaignDir: string,
  unitId: string,
  rows: Record<string, string>[],
): Promise<number[]> {
  const { campaign } = await loadCampaignFolder(campaignDir);
  const keys = inputColumns(campaign).map((c) => c.key);
  const path = join(campaignDir, "sheets", `${unitId}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const ws = wb.getWorksheet("Nhập liệu")!;
  const added: number[] = [];
  for (const row of rows) {
    const at = ws.actualRowCount + 1;
    ws.getRow(at).values = keys.map((k) => row[k] ?? null);
    added.push(at);
  }
  await wb.xlsx.writeFile(path);
  return added;
}

async function errorTab(out: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(out, "tong-hop.xlsx"));
  const lines: string[] = [];
  wb.getWorksheet("Lỗi dữ liệu")!.eachRow((row) => {
    lines.push((row.values as ExcelJS.CellValue[]).filter((v) => v !== undefined && v !== null).join(" | "));
  });
  return lines;
}

async function standingsOf(out: string) {
  return Standings.parse(JSON.parse(await readFile(join(out, "standings.json"), "utf8")));
}

describe("bad rows in a unit's workbook", () => {
  it("id 12345 and date 31/02/2025 go to «Lỗi dữ liệu» and the annotated copy; the unit's valid rows still count", async () => {
    const d = await exampleCopy("cho-don");
    const args = ["run", "--campaign", d.campaign, "--out", d.out, "--data", d.data, "--no-remind"];
    expect((await dondoc(...args)).code).toBe(0);
    const before = (await standingsOf(d.out)).units.find((u) => u.id === "thon-ban-en")!;

    const base = {
      enteredAt: "01/08/2025 09:30:00",
      date: "01/08/2025",
      supporter: "Hoàng Văn Thắng",
      citizenName: "Lò Thị Mai",
      residence: "Bản Én",
      "ind:vneid": "Có",
      "ind:healthBook": "Có",
      "ind:signature": "Có",
    };
    const [idRow, dateRow] = await appendRows(d.campaign, "thon-ban-en", [
      { ...base, citizenId: "12345" },
      { ...base, citizenId: "006190012345", date: "31/02/2025" },
    ]);
    const run = await dondoc(...args);
    expect(run.code, run.err).toBe(0);

    const lines = await errorTab(d.out);
    expect(lines.some((l) => l.includes(`Thôn Bản Én, dòng ${idRow}, cột E`))).toBe(true);
    expect(
      lines.some((l) => l.includes(`Thôn Bản Én, dòng ${dateRow}, cột B`) && l.includes("31/02/2025")),
    ).toBe(true);
    expect(lines.join("\n")).not.toContain("006190012345");

    const after = (await standingsOf(d.out)).units.find((u) => u.id === "thon-ban-en")!;
    expect(after.counts).toEqual(before.counts);
    expect(after.errors).toBe(before.errors + 2);

    const copy = new ExcelJS.Workbook();
    await copy.xlsx.readFile(join(d.out, "units", "thon-ban-en.xlsx"));
    const ws = copy.getWorksheet("Nhập liệu")!;
    for (const [row, col] of [
      [idRow!, "E"],
      [dateRow!, "B"],
    ] as const) {
      const cell = ws.getCell(`${col}${row}`);
      expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb?.slice(-6)).toBe(ERROR_FILL);
      expect(JSON.stringify(cell.note)).toContain(`dòng ${row}`);
    }
    // The unit's own file is never modified by a run.
    const original = new ExcelJS.Workbook();
    await original.xlsx.readFile(join(d.campaign, "sheets", "thon-ban-en.xlsx"));
    expect(original.getWorksheet("Nhập liệu")!.getCell(`E${idRow}`).note).toBeUndefined();
  }, 120_000);

  it("a count of -3 in an aggregate report is an error naming the cell", async () => {
    const d = await exampleCopy("hai-ba-trung");
    const { campaign } = await loadCampaignFolder(d.campaign);
    const firstIndicator = `ind:${campaign.indicators[0]!.key}`;
    const counts = Object.fromEntries(campaign.indicators.map((i) => [`ind:${i.key}`, "10"]));
    const [row] = await appendRows(d.campaign, "bach-khoa", [
      {
        enteredAt: "20/06/2023 09:00:00",
        reportDate: "20/06/2023",
        ...counts,
        [firstIndicator]: "-3",
        reporter: "Cán bộ VHTT",
      },
    ]);
    const run = await dondoc(
      "run",
      "--campaign",
      d.campaign,
      "--out",
      d.out,
      "--data",
      d.data,
      "--no-remind",
    );
    expect(run.code, run.err).toBe(0);
    const lines = await errorTab(d.out);
    expect(lines.some((l) => l.includes(`dòng ${row}`) && l.includes("-3"))).toBe(true);
  }, 60_000);
});

describe("every example runs", () => {
  it.each(["tu-son", "quang-chau", "hai-ba-trung", "vinh-loc"])(
    "dondoc run --campaign examples/%s",
    async (name) => {
      const d = await exampleCopy(name);
      const run = await dondoc("run", "--campaign", d.campaign, "--out", d.out, "--data", d.data);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/Hạng\s+Đơn vị/);
      const report = await readFile(join(d.out, "bao-cao.txt"), "utf8");
      if (name === "tu-son") {
        expect(report).toContain("19.662");
        expect(report).toContain("phường Đình Bảng (1.012 trường hợp)");
        expect(report).toContain("phường Đông Ngàn (127 trường hợp)");
        // `dondoc report` drafts the same paragraph from what the run stored.
        const printed = await dondoc("report", "--campaign", d.campaign, "--data", d.data);
        expect(printed.code, printed.err).toBe(0);
        expect(printed.out.trim()).toBe(report.trim());
      }
    },
    60_000,
  );
});

describe("broken campaign folders", () => {
  it("a missing folder exits 2 with a clear Vietnamese message", async () => {
    const run = await dondoc(
      "run",
      "--campaign",
      "/nonexistent/campaign",
      "--out",
      "/tmp/x",
      "--data",
      "/tmp/y",
    );
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Không tìm thấy/);
  });

  it("an invalid campaign.json exits 2 naming the problem", async () => {
    const d = await exampleCopy("vinh-loc");
    const path = join(d.campaign, "campaign.json");
    const json = JSON.parse(await readFile(path, "utf8"));
    json.schedule.time = "25:00";
    await writeFile(path, JSON.stringify(json));
    const run = await dondoc("run", "--campaign", d.campaign, "--out", d.out, "--data", d.data);
    expect(run.code).toBe(2);
    expect(run.err).toContain("schedule.time");
  });
});

describe("--help", () => {
  it.each(["run", "validate", "init", "report", "remind"])("dondoc %s --help", async (name) => {
    const run = await dondoc(name, "--help");
    expect(run.code).toBe(0);
    expect(run.out).toContain(`dondoc ${name}`);
    expect(run.out).toContain("--campaign DIR");
  });

  it("dondoc with no command lists the commands", async () => {
    const run = await dondoc("--help");
    expect(run.code).toBe(0);
    for (const name of ["run", "validate", "init", "report", "remind"])
      expect(run.out).toContain(`  ${name}`);
  });
});

describe("init and validate", () => {
  it("init writes a blank workbook per unit from the template and never overwrites", async () => {
    const d = await exampleCopy("quang-chau");
    const into = join(d.root, "blank");
    const run = await dondoc("init", "--campaign", d.campaign, "--into", into);
    expect(run.code, run.err).toBe(0);
    const { campaign, units } = await loadCampaignFolder(d.campaign);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(into, `${units[1]!.id}.xlsx`));
    const ws = wb.getWorksheet("Nhập liệu")!;
    const columns = inputColumns(campaign);
    expect(columns.map((_, i) => ws.getRow(1).getCell(i + 1).value)).toEqual(columns.map((c) => c.label));
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const idCol = columns.findIndex((c) => c.type === "id") + 1;
    expect(ws.getRow(2).getCell(idCol).numFmt).toBe("@");
    expect(ws.actualRowCount).toBe(1);
    const again = await dondoc("init", "--campaign", d.campaign, "--into", into);
    expect(again.code).toBe(2);
    expect(again.err).toContain("không ghi đè");
  });

  it("validate prints each error with unit, row and column and exits 1", async () => {
    const d = await exampleCopy("cho-don");
    const [row] = await appendRows(d.campaign, "thon-na-pai", [
      {
        enteredAt: "01/08/2025 09:30:00",
        date: "31/02/2025",
        supporter: "A",
        citizenName: "B",
        citizenId: "12345",
      },
    ]);
    const run = await dondoc(
      "validate",
      join(d.campaign, "sheets", "thon-na-pai.xlsx"),
      "--campaign",
      d.campaign,
      "--data",
      d.data,
    );
    expect(run.code).toBe(1);
    expect(run.out).toContain(`Thôn Nà Pài, dòng ${row}, cột E (Số định danh cá nhân)`);
    expect(run.out).toContain(`Thôn Nà Pài, dòng ${row}, cột B (Ngày hỗ trợ)`);
  });
});
