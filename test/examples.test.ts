// The examples are the letters turned into data. These tests hold them to the letters' published figures (typed
// here again from the letters, not imported from the data modules, so a wrong module cannot agree with itself),
// check that the committed files are what the generator writes now, and run the core over them.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../functions/src/adapters/crypto/hmac.ts";
import { readCell } from "../functions/src/adapters/xlsx/cells.ts";
import { buildInputWorkbook } from "../functions/src/adapters/xlsx/input-workbook.ts";
import { XlsxSheetSource } from "../functions/src/adapters/xlsx/sheet-source.ts";
import { type CampaignFolder, loadCampaignFolder } from "../functions/src/app/campaign-folder.ts";
import { formatUnitsCsv } from "../functions/src/app/units-csv.ts";
import type { Entry } from "../functions/src/core/model.ts";
import { parseSheet } from "../functions/src/core/parse-sheet.ts";
import { campaignFinalInstant, cutoffs } from "../functions/src/core/periods.ts";
import { draftReport } from "../functions/src/core/report.ts";
import { computeStandings } from "../functions/src/core/standings.ts";
import { unitTarget } from "../functions/src/core/targets.ts";
import type { CellValue, RowIssue, Standings } from "../schemas/index.ts";
import {
  campaignJsonText,
  EXAMPLES,
  EXAMPLES_DIR,
  sheetRows,
  writeExample,
} from "../scripts/gen-examples.ts";

const defs = EXAMPLES.map((build) => build());
const byFolder = (folder: string) => defs.find((d) => d.folder === folder)!;

async function loaded(folder: string): Promise<CampaignFolder> {
  return loadCampaignFolder(join(EXAMPLES_DIR, folder));
}

type WorkbookValues = Record<string, CellValue[][]>;

/** Every cell of every tab as the adapters read it (dates as serials, rich text as text). */
function workbookValues(wb: ExcelJS.Workbook): WorkbookValues {
  const out: WorkbookValues = {};
  for (const ws of wb.worksheets) {
    const rows: CellValue[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      const values: CellValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        values[c - 1] = readCell(cell);
      });
      rows[r - 1] = Array.from(values, (v) => v ?? null);
    });
    out[ws.name] = Array.from(rows, (r) => r ?? []);
  }
  return out;
}

async function readBack(buffer: ExcelJS.Buffer | Buffer): Promise<WorkbookValues> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as ExcelJS.Buffer);
  return workbookValues(wb);
}

const hashId = makeIdHasher("examples-test-secret-0123456789abcdef");

interface CoreRun {
  folder: CampaignFolder;
  standings: Standings;
  issues: RowIssue[];
  entries: Entry[];
  report: string;
}

/** The core over an example's committed workbooks, as of `at` (default: the campaign's final standings). */
async function runCore(folderName: string, at?: string): Promise<CoreRun> {
  const folder = await loaded(folderName);
  const now = at === undefined ? campaignFinalInstant(folder.campaign) : DateTime.fromISO(at).toJSDate();
  const source = new XlsxSheetSource({ dir: folder.sheetsDir });
  const entries: Entry[] = [];
  const issues: RowIssue[] = [];
  for (const unit of folder.units) {
    const parsed = parseSheet({
      campaign: folder.campaign,
      unit,
      sheet: await source.read(unit),
      now,
      hashId,
      replay: true,
    });
    entries.push(...parsed.entries);
    issues.push(...parsed.issues);
  }
  const { standings, duplicateIssues } = computeStandings({
    campaign: folder.campaign,
    units: folder.units,
    entries,
    unitStates: [],
    issues,
    asOf: now,
  });
  return {
    folder,
    standings,
    issues: [...issues, ...duplicateIssues],
    entries,
    report: draftReport(folder.campaign, standings),
  };
}

const names = (s: Standings, band: string) => s.units.filter((u) => u.band === band).map((u) => u.name);

describe("every example", () => {
  it("exists for each seed letter under its fixed folder name", () => {
    expect(defs.map((d) => [d.folder, d.letter.slice(0, 3)])).toEqual([
      ["tu-son", "000"],
      ["cho-don", "001"],
      ["quang-chau", "002"],
      ["hai-ba-trung", "003"],
      ["vinh-loc", "004"],
    ]);
  });

  describe.each(defs)("$folder", (def) => {
    it("loads with the CLI's loader, and its files are the data module's", async () => {
      const folder = await loaded(def.folder);
      expect(folder.units).toEqual(def.units);
      expect(folder.campaign.id).toBe(def.campaign.id);
      const dir = join(EXAMPLES_DIR, def.folder);
      expect(await readFile(join(dir, "campaign.json"), "utf8")).toBe(campaignJsonText(def));
      expect(await readFile(join(dir, "units.csv"), "utf8")).toBe(formatUnitsCsv(def.units));
      expect(await readFile(join(dir, "README.md"), "utf8")).toBe(def.readme);
    });

    it("has one workbook per unit, equal cell by cell to what the generator produces now", async () => {
      const folder = await loaded(def.folder);
      const files = (await readdir(folder.sheetsDir)).filter((f) => f.endsWith(".xlsx")).sort();
      expect(files).toEqual(def.units.map((u) => `${u.id}.xlsx`).sort());
      for (const unit of def.units) {
        const rows = sheetRows(folder.campaign, def.rows.get(unit.id) ?? []);
        const fresh = await buildInputWorkbook(folder.campaign, unit, rows);
        const expected = await readBack(await fresh.xlsx.writeBuffer());
        const committed = await readBack(await readFile(join(folder.sheetsDir, `${unit.id}.xlsx`)));
        expect(committed, `${def.folder}/sheets/${unit.id}.xlsx is stale: run npm run gen:examples`).toEqual(
          expected,
        );
      }
    });

    it("says in its README what is real, what is synthetic, and how to run it", () => {
      expect(def.readme).toContain(`seeds/${def.letter}`);
      expect(def.readme).toMatch(/Thật \/ real/);
      expect(def.readme).toMatch(/Giả lập \/ synthetic/);
      expect(def.readme).toContain(`npm start -- --campaign examples/${def.folder}`);
      expect(def.readme.normalize("NFC")).toBe(def.readme);
    });

    it("uses only reserved example e-mail domains", () => {
      const emails = [
        ...def.units.flatMap((u) => u.emails),
        ...(def.campaign.leaders ?? []).map((l) => l.email),
      ];
      expect(emails.length).toBeGreaterThan(0);
      for (const e of emails) expect(e).toMatch(/@[a-z0-9-]+\.example$/);
    });
  });

  it("regenerates byte for byte (no clock, no Math.random)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dondoc-examples-"));
    try {
      const def = byFolder("tu-son");
      const [first] = await writeExample(def, join(dir, "a"));
      const [second] = await writeExample(byFolder("tu-son"), join(dir, "b"));
      expect(await readFile(first!)).toEqual(await readFile(second!));
      // And a second build of the data module is the same data.
      expect(EXAMPLES[0]!().rows).toEqual(def.rows);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("tu-son (seed 000)", () => {
  // Văn bản 278/UBND-KTTH: new installs 17/02 – 16h00 23/02/2025.
  const LETTER = {
    "Phường Đình Bảng": 1012,
    "Phường Châu Khê": 708,
    "Phường Đồng Nguyên": 642,
    "Phường Phù Khê": 195,
    "Phường Đông Ngàn": 127,
  } as const;
  const WARDS = [
    "Châu Khê",
    "Đình Bảng",
    "Đồng Kỵ",
    "Đồng Nguyên",
    "Đông Ngàn",
    "Hương Mạc",
    "Phù Chẩn",
    "Phù Khê",
    "Tam Sơn",
    "Tân Hồng",
    "Trang Hạ",
    "Tương Giang",
  ];
  let run: CoreRun;
  beforeAll(async () => {
    run = await runCore("tu-son");
  });

  it("has the 12 wards under Thành phố Từ Sơn, and agencies that also install", () => {
    const { units, campaign } = run.folder;
    const root = units.find((u) => u.parent === undefined)!;
    expect(root).toMatchObject({ name: "Thành phố Từ Sơn", kind: "district" });
    const wards = units.filter((u) => u.kind === "ward");
    expect(wards.map((w) => w.name).sort()).toEqual(WARDS.map((w) => `Phường ${w}`).sort());
    expect(wards.every((w) => w.parent === root.id)).toBe(true);
    expect(units.some((u) => u.kind === "police") && units.some((u) => u.kind === "telecom")).toBe(true);
    expect(campaign).toMatchObject({
      start: "2025-02-17",
      end: "2025-02-23",
      schedule: { kind: "weekly", weekdays: [7], time: "16:00" },
      ranking: { indicator: "signature", measure: "period", kinds: ["ward"] },
      bands: { praise: 3, criticise: 2 },
      issuer: "UBND thành phố Từ Sơn",
      reference: "Văn bản số 228/UBND-KTTH ngày 14/02/2025",
      report: {
        scope: "toàn thành phố",
        praiseBy: "UBND thành phố",
        criticiseBy: "Chủ tịch UBND thành phố",
        unitNoun: "trường hợp",
      },
    });
  });

  it("stands at the letter's figures at the 16:00 cutoff of 23/02/2025", () => {
    const s = run.standings;
    expect(s.asOf).toBe("2025-02-23T15:59:59.999+07:00");
    expect(s.totals.periodCounts.signature).toBe(19_662);
    expect(s.totals.counts.signature).toBe(19_662);
    const wards = s.units.filter((u) => u.kind === "ward");
    for (const [name, figure] of Object.entries(LETTER)) {
      expect(wards.find((w) => w.name === name)?.periodCounts.signature, name).toBe(figure);
    }
    const others = wards.filter((w) => !(w.name in LETTER)).map((w) => w.periodCounts.signature ?? 0);
    expect(others).toHaveLength(7);
    expect(new Set(others).size).toBe(7);
    for (const n of others) expect(n > 195 && n < 642, String(n)).toBe(true);
    expect(run.issues).toEqual([]);
  });

  it("praises Đình Bảng, Châu Khê, Đồng Nguyên and criticises Phù Khê, Đông Ngàn, as the letter does", () => {
    expect(names(run.standings, "praise")).toEqual([
      "Phường Đình Bảng",
      "Phường Châu Khê",
      "Phường Đồng Nguyên",
    ]);
    expect(names(run.standings, "criticise")).toEqual(["Phường Phù Khê", "Phường Đông Ngàn"]);
    expect(run.report).toContain("đến 16h00 ngày 23/02/2025");
    expect(run.report).toContain("cài đặt mới chữ ký số công cộng cho 19.662 người dân");
    expect(run.report).toContain(
      "phường Đình Bảng (1.012 trường hợp), phường Châu Khê (708 trường hợp), phường Đồng Nguyên (642 trường hợp)",
    );
    expect(run.report).toContain("phường Phù Khê (195 trường hợp), phường Đông Ngàn (127 trường hợp)");
  });
});

describe("cho-don (seed 001)", () => {
  let run: CoreRun;
  beforeAll(async () => {
    run = await runCore("cho-don");
  });

  it("is a line-list campaign of staff × 15, Monday and Thursday 14:00, 28/07–18/08/2025", () => {
    const { campaign, units } = run.folder;
    expect(campaign.mode).toBe("line-list");
    expect(campaign.target).toEqual({ rule: "per-staff", perStaff: 15 });
    expect(campaign.schedule).toEqual({ kind: "weekly", weekdays: [1, 4], time: "14:00" });
    expect([campaign.start, campaign.end]).toEqual(["2025-07-28", "2025-08-18"]);
    expect(campaign.indicators.map((i) => i.key)).toEqual(["vneid", "healthBook", "signature"]);
    expect(cutoffs(campaign).map((c) => c.toFormat("ccc dd/MM HH:mm"))).toEqual([
      "Thu 31/07 14:00",
      "Mon 04/08 14:00",
      "Thu 07/08 14:00",
      "Mon 11/08 14:00",
      "Thu 14/08 14:00",
      "Mon 18/08 14:00",
      "Tue 19/08 00:00",
    ]);
    const at = DateTime.fromISO("2025-08-01T00:00:00+07:00");
    for (const u of units.filter((u) => u.staff !== undefined)) {
      expect(unitTarget(campaign, u, at)).toBe(u.staff! * 15);
    }
    const kinds = new Set(units.map((u) => u.kind));
    for (const k of [
      "commune",
      "school",
      "police",
      "department",
      "village",
      "residential-group",
      "digital-team",
      "telecom",
    ]) {
      expect(kinds.has(k as never), k).toBe(true);
    }
    expect(campaign.leaders.length).toBeGreaterThan(0);
  });

  it("carries the planted mistakes, late entries and cross-unit duplicates", () => {
    const codes = run.issues.map((i) => `${i.unitId}:${i.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "thcs-bang-lung:id-length",
        "tieu-hoc-bang-lung:date-impossible",
        "cong-an-xa:phone-length",
        "thon-na-pai:id-under-age",
        "thon-ban-en:duplicate-citizen",
        "to-cnscd-trung-tam:duplicate-citizen",
        "to-dan-pho-dong-ket:duplicate-citizen",
      ]),
    );
    const repaired = run.issues.filter((i) => i.code === "id-repaired");
    expect(repaired.map((i) => i.unitId).sort()).toEqual(["mam-non-bang-lung", "phong-van-hoa-xa-hoi"]);
    expect(run.standings.units.reduce((n, u) => n + u.duplicates, 0)).toBe(3);
    const late = (id: string) => run.standings.units.find((u) => u.id === id)!.late;
    // Units that skip a period type that work in the next one, after its deadline.
    expect(late("tieu-hoc-bang-lung")).toBeGreaterThan(10);
    expect(late("phong-kinh-te")).toBeGreaterThan(5);
  });

  it("shows units that report in some periods and not in others when the timeline is replayed", async () => {
    // Period 2 runs from 14:00 Monday 04/08 to 14:00 Thursday 07/08; Tiểu học and Viettel skip it.
    const mid = await runCore("cho-don", "2025-08-07T13:59:00+07:00");
    expect(mid.standings.period.index).toBe(2);
    const reported = (id: string) => mid.standings.units.find((u) => u.id === id)!.reported;
    expect(reported("tieu-hoc-bang-lung")).toBe(false);
    expect(reported("viettel-cho-don")).toBe(false);
    expect(reported("thon-khuoi-cuong")).toBe(false);
    expect(reported("mam-non-bang-lung")).toBe(true);
    expect(reported("vnpt-cho-don")).toBe(true);
    // Rows stamped after the replay instant do not exist yet.
    expect(mid.entries.length).toBeLessThan(run.entries.length);
  });
});

describe("quang-chau (seed 002)", () => {
  it("has 8 residential groups and four associations of 280 each, under a ward of 1.467", async () => {
    const { units, campaign } = await loaded("quang-chau");
    const root = units.find((u) => u.parent === undefined)!;
    expect(root).toMatchObject({ name: "Phường Quảng Châu", kind: "ward", target: 1467 });
    expect(units.filter((u) => u.kind === "residential-group")).toHaveLength(8);
    const associations = units.filter((u) => u.kind === "association");
    expect(associations.map((a) => a.name).sort()).toEqual(
      [
        "Đoàn Thanh niên phường",
        "Hội Cựu chiến binh phường",
        "Hội Liên hiệp Phụ nữ phường",
        "Hội Nông dân phường",
      ].sort(),
    );
    for (const a of associations) expect(a.target).toBe(280);
    // "hoàn thành xong trước ngày 25/11/2024"; the campaign starts at Công văn 5559 of 24/10/2024.
    expect([campaign.start, campaign.end]).toEqual(["2024-10-24", "2024-11-24"]);
  });

  it("stands at 25% (about 1.100 short) at the letter's 17:00 report on 19/11/2024", async () => {
    const { standings } = await runCore("quang-chau", "2024-11-19T16:59:00+07:00");
    expect(standings.totals.counts.signature).toBe(367);
    expect(standings.totals.percent).toBe(25);
    expect(1467 - 367).toBe(1100);
  });
});

describe("hai-ba-trung (seed 003)", () => {
  // Biểu giao chỉ tiêu of Công văn 860/UBND-VHTT: households as of 31/3/2023 = target.
  const TABLE: [string, number][] = [
    ["Nguyễn Du", 3214],
    ["Bạch Đằng", 5297],
    ["Phạm Đình Hồ", 3899],
    ["Lê Đại Hành", 2523],
    ["Đồng Nhân", 2347],
    ["Phố Huế", 2627],
    ["Đống Mác", 2803],
    ["Thanh Lương", 6589],
    ["Thanh Nhàn", 6121],
    ["Cầu Dền", 3434],
    ["Bách Khoa", 2600],
    ["Đồng Tâm", 4283],
    ["Vĩnh Tuy", 14206],
    ["Bạch Mai", 4744],
    ["Quỳnh Mai", 3582],
    ["Quỳnh Lôi", 4780],
    ["Minh Khai", 5568],
    ["Trương Định", 5720],
  ];

  it("has the 18 wards of the letter's table, whose targets sum to 84.337", async () => {
    const { units, campaign } = await loaded("hai-ba-trung");
    expect(campaign.target).toEqual({ rule: "per-household", perHousehold: 1 });
    expect(campaign.schedule).toEqual({ kind: "monthly", days: [15, 28], time: "17:00" });
    expect([campaign.start, campaign.end]).toEqual(["2023-06-12", "2023-08-15"]);
    const wards = units.filter((u) => u.kind === "ward");
    expect(wards).toHaveLength(18);
    const at = DateTime.fromISO("2023-07-01T00:00:00+07:00");
    const targets = wards.map((w) => [w.name.replace(/^Phường /, ""), unitTarget(campaign, w, at)]);
    expect(targets).toEqual(TABLE);
    expect(targets.reduce((n, [, t]) => n + Number(t), 0)).toBe(84_337);
    expect(units.find((u) => u.parent === undefined)).toMatchObject({
      name: "Quận Hai Bà Trưng",
      kind: "district",
    });
  });

  it("starts from the 135 citizens signed by 31/05/2023", async () => {
    const { standings } = await runCore("hai-ba-trung", "2023-06-12T23:00:00+07:00");
    expect(standings.totals.counts.signature).toBe(135);
    expect(standings.totals.target).toBe(84_337);
  });
});

describe("vinh-loc (seed 004)", () => {
  const GOOD = ["Xã Vĩnh Phúc", "Xã Ninh Khang"];
  const POOR = [
    "Xã Vĩnh Long",
    "Xã Vĩnh Hưng",
    "Xã Vĩnh Hòa",
    "Xã Vĩnh An",
    "Xã Vĩnh Tiến",
    "Xã Vĩnh Quang",
    "Xã Vĩnh Yên",
    "Thị trấn Vĩnh Lộc",
    "Xã Vĩnh Thịnh",
    "Xã Minh Tân",
    "Xã Vĩnh Hùng",
  ];

  it("targets 40% of adults in 2024 and 50% in 2025, reported on the 20th", async () => {
    const { units, campaign } = await loaded("vinh-loc");
    expect(campaign.target).toEqual({ rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } });
    expect(campaign.schedule).toMatchObject({ kind: "monthly", days: [20] });
    expect(campaign.bands).toMatchObject({ praise: 2, criticise: 11 });
    const communes = units.filter((u) => u.parent !== undefined);
    expect(communes.map((u) => u.name).sort()).toEqual([...GOOD, ...POOR].sort());
    const unit = communes[0]!;
    expect(unitTarget(campaign, unit, DateTime.fromISO("2024-11-01T00:00:00+07:00"))).toBe(
      Math.round(unit.adults! * 0.4),
    );
    expect(unitTarget(campaign, unit, DateTime.fromISO("2025-11-01T00:00:00+07:00"))).toBe(
      Math.round(unit.adults! * 0.5),
    );
  });

  it.each([
    ["at the letter", "2024-10-19T09:00:00+07:00"],
    ["in 2025", "2025-06-25T09:00:00+07:00"],
    ["at the end", undefined],
  ])("praises exactly Vĩnh Phúc and Ninh Khang and criticises the other eleven %s", async (_, at) => {
    const { standings } = await runCore("vinh-loc", at);
    expect(names(standings, "praise").sort()).toEqual([...GOOD].sort());
    expect(names(standings, "criticise").sort()).toEqual([...POOR].sort());
  });
});
