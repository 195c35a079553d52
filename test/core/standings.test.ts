import { describe, expect, it } from "vitest";
import type { AggregateEntry, Entry, LineListEntry, UnitSyncState } from "../../functions/src/core/model.ts";
import { closingInstant, cutoffs, periodByIndex } from "../../functions/src/core/periods.ts";
import { draftReport } from "../../functions/src/core/report.ts";
import { buildUnitTree, computeStandings } from "../../functions/src/core/standings.ts";
import {
  Campaign,
  type CampaignInput,
  type RowIssue,
  Standings,
  Unit,
  type UnitInput,
} from "../../schemas/index.ts";
import { choDonCampaign } from "../support/campaigns.ts";

// ---------------------------------------------------------------------------------------------------------------
// Seed 000: Từ Sơn, new public-signature installs per ward from 17/02 to 16h00 23/02/2025.

const tuSon = Campaign.parse({
  id: "tu-son-2025",
  title: "Cao điểm cấp chữ ký số công cộng",
  issuer: "UBND thành phố Từ Sơn",
  start: "2025-02-17",
  end: "2025-02-23",
  schedule: { kind: "weekly", weekdays: [7], time: "16:00" },
  mode: "aggregate",
  indicators: [{ key: "signature", label: "Cài đặt mới chữ ký số công cộng" }],
  ranking: { indicator: "signature", measure: "period", kinds: ["ward"] },
  bands: { praise: 3, criticise: 2 },
  target: { rule: "explicit" },
} satisfies CampaignInput);

// Named in the letter, then synthetic figures for the other seven wards (between 196 and 641).
const WARDS: [string, string, number][] = [
  ["dinh-bang", "Phường Đình Bảng", 1012],
  ["chau-khe", "Phường Châu Khê", 708],
  ["dong-nguyen", "Phường Đồng Nguyên", 642],
  ["phu-khe", "Phường Phù Khê", 195],
  ["dong-ngan", "Phường Đông Ngàn", 127],
  ["dong-ky", "Phường Đồng Kỵ", 590],
  ["huong-mac", "Phường Hương Mạc", 505],
  ["phu-chan", "Phường Phù Chẩn", 480],
  ["tam-son", "Phường Tam Sơn", 430],
  ["tan-hong", "Phường Tân Hồng", 377],
  ["trang-ha", "Phường Trang Hạ", 301],
  ["tuong-giang", "Phường Tương Giang", 250],
];
// Agencies count toward the city's total but are not ranked with the wards: 14.045 + 5.617 = 19.662.
const AGENCIES: [string, string, Unit["kind"], number][] = [
  ["cong-an", "Công an thành phố", "police", 8000],
  ["phong-vhtt", "Phòng Văn hóa và Thông tin", "department", 3045],
  ["ttyt", "Trung tâm Y tế thành phố", "department", 3000],
];

const tuSonUnits: Unit[] = [
  Unit.parse({ id: "tu-son", name: "Thành phố Từ Sơn", kind: "district" } satisfies UnitInput),
  ...WARDS.map(([id, name]) => Unit.parse({ id, name, kind: "ward", parent: "tu-son" })),
  ...AGENCIES.map(([id, name, kind]) => Unit.parse({ id, name, kind, parent: "tu-son" })),
];

function report(
  unitId: string,
  reportDate: string,
  enteredAt: string,
  count: number,
  row = 2,
): AggregateEntry {
  return {
    mode: "aggregate",
    key: `${unitId}~${reportDate}`,
    unitId,
    row,
    enteredAt,
    firstSeenAt: enteredAt,
    reportDate,
    counts: { signature: count },
    reporter: "Cán bộ văn hóa",
    note: "",
  };
}

// Every unit had a cumulative figure before the push began; the week's installs are what is ranked.
const tuSonEntries: Entry[] = [
  ...WARDS,
  ...AGENCIES.map(([id, name, , n]) => [id, name, n] as const),
].flatMap(([id, , week], i) => {
  const before = 1000 + 37 * i;
  return [
    report(id, "2025-02-16", "2025-02-16T17:00:00+07:00", before, 2),
    report(id, "2025-02-20", "2025-02-20T10:00:00+07:00", before + Math.floor(week / 2), 3),
    report(id, "2025-02-23", "2025-02-23T11:30:00+07:00", before + week, 4),
  ];
});

function tuSonStandings(asOf: Date) {
  return computeStandings({
    campaign: tuSon,
    units: tuSonUnits,
    entries: tuSonEntries,
    unitStates: [],
    issues: [],
    asOf,
  });
}

describe("seed 000 acceptance: Từ Sơn, week to 16h00 23/02/2025", () => {
  const closing = closingInstant(periodByIndex(tuSon, 0)!);
  const { standings } = tuSonStandings(closing);

  it("is a valid standings document for period 0", () => {
    expect(() => Standings.parse(standings)).not.toThrow();
    expect(cutoffs(tuSon).map((d) => d.toISO())).toEqual([
      "2025-02-23T16:00:00.000+07:00",
      "2025-02-24T00:00:00.000+07:00",
    ]);
    expect(standings.period.index).toBe(0);
    expect(standings.asOf).toBe("2025-02-23T15:59:59.999+07:00");
    expect(standings.asOfDate).toBe("2025-02-23");
  });

  it("counts 19.662 new installs city-wide", () => {
    expect(standings.totals.periodCounts.signature).toBe(19662);
    expect(standings.rollup[0]).toMatchObject({ id: "tu-son", depth: 0 });
    const root = standings.rollup[0]!;
    expect(root.counts.signature).toBe(standings.totals.counts.signature);
  });

  it("praises Đình Bảng, Châu Khê, Đồng Nguyên and criticises Phù Khê, Đông Ngàn", () => {
    const band = (b: string) => standings.units.filter((u) => u.band === b).map((u) => u.name);
    expect(band("praise")).toEqual(["Phường Đình Bảng", "Phường Châu Khê", "Phường Đồng Nguyên"]);
    expect(band("criticise")).toEqual(["Phường Phù Khê", "Phường Đông Ngàn"]);
    const wards = standings.units.filter((u) => u.kind === "ward");
    expect(wards.map((u) => u.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(wards.every((u) => u.rankOf === 12 && u.trend === "new" && u.previousRank === null)).toBe(true);
    // Agencies are ranked among themselves but never praised or criticised.
    const agencies = standings.units.filter((u) => u.kind !== "ward");
    expect(agencies.map((u) => u.band)).toEqual(["on-track", "on-track", "on-track"]);
  });

  it("drafts the letter's paragraph", () => {
    const text = draftReport(tuSon, standings);
    expect(text).toContain(
      "Từ ngày 17/02/2025 đến 16h00 ngày 23/02/2025, toàn thành phố đã thực hiện cài đặt mới chữ ký số công cộng cho 19.662 người dân.",
    );
    expect(text).toContain(
      "UBND thành phố biểu dương các đơn vị tiêu biểu như phường Đình Bảng (1.012 trường hợp), phường Châu Khê (708 trường hợp), phường Đồng Nguyên (642 trường hợp).",
    );
    expect(text).toContain(
      "Bên cạnh đó, Chủ tịch UBND thành phố phê bình một số đơn vị triển khai chưa hiệu quả như phường Phù Khê (195 trường hợp), phường Đông Ngàn (127 trường hợp).",
    );
    expect(text).toContain("biểu dương");
    expect(text).not.toContain("chưa báo cáo");
  });

  it("at the cutoff itself a new period has begun with nothing in it yet", () => {
    const { standings: after } = tuSonStandings(new Date("2025-02-23T16:00:00+07:00"));
    expect(after.period.index).toBe(1);
    expect(after.totals.periodCounts.signature).toBe(0);
    expect(after.totals.counts.signature).toBe(standings.totals.counts.signature);
    expect(after.units.every((u) => !u.reported)).toBe(true);
    // Everyone at 0 in the new week: nobody is singled out.
    expect(after.units.every((u) => u.band === "on-track")).toBe(true);
    const dinhBang = after.units.find((u) => u.id === "dinh-bang")!;
    expect(dinhBang.previousRank).toBe(1);
  });

  it("mid-week counts only what was entered so far", () => {
    const { standings: mid } = tuSonStandings(new Date("2025-02-21T09:00:00+07:00"));
    const dinhBang = mid.units.find((u) => u.id === "dinh-bang")!;
    expect(dinhBang.periodCounts.signature).toBe(506);
    expect(mid.totals.periodCounts.signature).toBe(
      [...WARDS.map((w) => w[2]), ...AGENCIES.map((a) => a[3])].reduce((s, n) => s + Math.floor(n / 2), 0),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Line-list behaviour: seed 001's Chợ Đồn, Monday/Thursday 14:00.

const choDon = choDonCampaign({ bands: { praise: 1, criticise: 1, behindBelowPace: 0.8 } });

const choDonUnits: Unit[] = [
  Unit.parse({ id: "cho-don", name: "Xã Chợ Đồn", kind: "commune" }),
  Unit.parse({ id: "na-pau", name: "Thôn Nà Pậu", kind: "village", parent: "cho-don", staff: 2 }),
  Unit.parse({ id: "ban-cuon", name: "Thôn Bản Cuôn", kind: "village", parent: "cho-don", staff: 1 }),
  Unit.parse({ id: "khuoi-ha", name: "Thôn Khuổi Hà", kind: "village", parent: "cho-don" }),
  Unit.parse({ id: "th-cho-don", name: "Trường Tiểu học Chợ Đồn", kind: "school", staff: 1 }),
];

let rowCounter = 1;
function citizen(
  unitId: string,
  idHash: string,
  date: string,
  enteredAt: string | null,
  indicators: Record<string, boolean> = { vneid: true, signature: true },
  firstSeenAt = enteredAt ?? "2025-08-10T00:00:00+07:00",
): LineListEntry {
  rowCounter += 1;
  return {
    mode: "line-list",
    key: `${unitId}~${idHash}`,
    unitId,
    row: rowCounter,
    enteredAt,
    firstSeenAt,
    idHash,
    idMasked: "001*******89",
    date,
    supporter: "Nguyễn Văn A",
    residence: "Nà Pậu",
    indicators,
    provider: "VNPT",
  };
}

describe("line-list standings", () => {
  const entries: Entry[] = [
    // Nà Pậu: target 30; 3 signatures (one late), one VNeID only.
    citizen("na-pau", "h1", "2025-07-29", "2025-07-29T09:00:00+07:00"),
    citizen("na-pau", "h2", "2025-07-30", "2025-07-31T13:59:59+07:00"),
    citizen("na-pau", "h3", "2025-07-30", "2025-07-31T14:00:00+07:00"),
    citizen("na-pau", "h4", "2025-08-01", "2025-08-01T10:00:00+07:00", { vneid: true, signature: false }),
    // The school recorded h9 first; Nà Pậu's later row is a duplicate.
    citizen("th-cho-don", "h9", "2025-07-29", "2025-07-29T08:00:00+07:00"),
    citizen("na-pau", "h9", "2025-08-02", "2025-08-02T08:00:00+07:00"),
    // Bản Cuôn: target 15, 9 signatures, all in period 0.
    ...Array.from({ length: 9 }, (_, i) =>
      citizen("ban-cuon", `b${i}`, "2025-07-29", `2025-07-29T1${i}:00:00+07:00`),
    ),
    // Khuổi Hà has no staff figure (no target) and one entry without a stamp, seen by the server on 04/08.
    citizen("khuoi-ha", "k1", "2025-08-03", null, undefined, "2025-08-04T15:00:00+07:00"),
  ];
  const states: UnitSyncState[] = [
    {
      unitId: "th-cho-don",
      lastModified: null,
      lastSyncAt: null,
      issues: [],
      problem: {
        code: "read-failed",
        message: "Không đọc được bảng tính của đơn vị.",
        at: "2025-08-04T10:00:00+07:00",
      },
      confirmedPeriods: [2],
    },
  ];
  const issues: RowIssue[] = [
    {
      code: "citizen-id-province",
      severity: "error",
      unitId: "ban-cuon",
      row: 12,
      column: "E",
      header: "Số định danh cá nhân",
      message: "Thôn Bản Cuôn, dòng 12, cột E: số 097123456789 có mã tỉnh 097 không tồn tại.",
    },
  ];
  const asOf = new Date("2025-08-05T10:00:00+07:00");
  const { standings, duplicateIssues } = computeStandings({
    campaign: choDon,
    units: choDonUnits,
    entries,
    unitStates: states,
    issues,
    asOf,
  });
  const unit = (id: string) => standings.units.find((u) => u.id === id)!;

  it("validates against the schema", () => {
    expect(() => Standings.parse(standings)).not.toThrow();
    expect(standings.period.index).toBe(2);
  });

  it("counts the first recording of a citizen only and says so to the later unit", () => {
    expect(unit("na-pau").counts).toEqual({ vneid: 4, signature: 3 });
    expect(unit("th-cho-don").counts).toEqual({ vneid: 1, signature: 1 });
    expect(unit("na-pau").duplicates).toBe(1);
    expect(duplicateIssues).toEqual([
      {
        code: "duplicate-citizen",
        severity: "warning",
        unitId: "na-pau",
        row: entries[5]!.row,
        column: "",
        header: "",
        message: `Thôn Nà Pậu, dòng ${entries[5]!.row}: người dân này đã được Trường Tiểu học Chợ Đồn ghi nhận trước; không tính trùng.`,
      },
    ]);
    expect(unit("na-pau").warnings).toBe(1);
  });

  it("flags entries stamped at or after their work day's first cutoff as late", () => {
    // h3: worked 30/07, due before Thu 31/07 14:00, stamped 14:00:00 → late; h2 at 13:59:59 is not.
    // The duplicate h9 (02/08, due 04/08 14:00) is on time. Khuổi Hà's unstamped row counts from first sight, late.
    expect(unit("na-pau").late).toBe(1);
    expect(unit("khuoi-ha").late).toBe(1);
    expect(unit("ban-cuon").late).toBe(0);
  });

  it("computes targets, percent, pace and bands", () => {
    expect(unit("na-pau")).toMatchObject({ target: 30, percent: 10 });
    expect(unit("ban-cuon")).toMatchObject({ target: 15, percent: 60 });
    expect(unit("khuoi-ha")).toMatchObject({ target: null, percent: null });
    // 8 days and 10 hours of 22 days.
    expect(unit("na-pau").pace).toBe(38.3);
    // Villages: Bản Cuôn praised, Nà Pậu criticised; Khuổi Hà has no target, so it ranks last on 0% but is
    // neither praised nor criticised for a gap in units.csv.
    expect(unit("ban-cuon").band).toBe("praise");
    expect(unit("na-pau")).toMatchObject({ rank: 2, band: "criticise" });
    expect(unit("khuoi-ha")).toMatchObject({ rank: 3, band: "on-track" });
    // The school alone in its kind: praised (rank 1 with a positive score).
    expect(unit("th-cho-don")).toMatchObject({ rank: 1, rankOf: 1, band: "praise", target: 15 });
  });

  it("knows who reported in the period and why a unit is silent", () => {
    // Period 2 runs from Mon 04/08 14:00: Khuổi Hà's row was first seen 15:00; the school confirmed explicitly.
    expect(unit("khuoi-ha").reported).toBe(true);
    expect(unit("th-cho-don").reported).toBe(true);
    expect(unit("na-pau").reported).toBe(false);
    expect(unit("ban-cuon").reported).toBe(false);
    expect(unit("th-cho-don").syncProblem).toBe("Không đọc được bảng tính của đơn vị.");
    expect(standings.totals).toMatchObject({ units: 4, reported: 2 });
  });

  it("rolls the tree up with parents' targets from their children", () => {
    expect(standings.rollup.map((r) => [r.name, r.depth, r.counts.signature, r.target])).toEqual([
      ["Trường Tiểu học Chợ Đồn", 0, 1, 15],
      ["Xã Chợ Đồn", 0, 13, 45],
      ["Thôn Bản Cuôn", 1, 9, 15],
      ["Thôn Khuổi Hà", 1, 1, null],
      ["Thôn Nà Pậu", 1, 3, 30],
    ]);
    expect(standings.totals.counts).toEqual({ vneid: 15, signature: 14 });
    expect(standings.totals.target).toBe(60);
    expect(standings.totals.percent).toBe(23.3);
  });

  it("masks digit runs in issue messages and counts errors per unit", () => {
    expect(unit("ban-cuon").errors).toBe(1);
    const msg = standings.issues.find((i) => i.unitId === "ban-cuon")!.message;
    expect(msg).not.toMatch(/\d{9}/);
    expect(msg).toContain("097*******89");
  });

  it("gives trend against the ranking at the previous period's close", () => {
    // At 04/08 13:59:59.999 Nà Pậu had 2 of 30 (6,7%) and Bản Cuôn 9 of 15: same order as now.
    expect(unit("na-pau")).toMatchObject({ previousRank: 2, trend: "same" });
    expect(unit("ban-cuon")).toMatchObject({ previousRank: 1, trend: "same" });
  });

  it("does not depend on the order of the entries", () => {
    const shuffled = [...entries].reverse();
    const again = computeStandings({
      campaign: choDon,
      units: [...choDonUnits].reverse(),
      entries: shuffled,
      unitStates: states,
      issues,
      asOf,
    });
    expect(again.standings).toEqual(standings);
    expect(again.duplicateIssues).toEqual(duplicateIssues);
  });
});

describe("unit tree", () => {
  it("rejects a parent cycle", () => {
    const units = [
      Unit.parse({ id: "a", name: "A", kind: "village", parent: "b" }),
      Unit.parse({ id: "b", name: "B", kind: "village", parent: "a" }),
      Unit.parse({ id: "c", name: "C", kind: "village" }),
    ];
    expect(() => buildUnitTree(units)).toThrow(/vòng lặp/);
  });

  it("treats a unit whose parent is unknown as a root", () => {
    const units = [Unit.parse({ id: "a", name: "A", kind: "village", parent: "missing" })];
    expect(buildUnitTree(units).roots.map((u) => u.id)).toEqual(["a"]);
  });
});
