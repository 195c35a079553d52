// Seed 004: Huyện Vĩnh Lộc (Thanh Hóa), 18/10/2024. From the telecoms' figures (VNPT Vĩnh Lộc - Thạch Thành,
// Viettel Vĩnh Lộc) the district names Vĩnh Phúc and Ninh Khang as doing well and the other eleven communes and
// the town as not; the goal is 40% of adults with a personal digital signature in 2024 and 50% in 2025; units
// report on the 20th of each month. The appendix with the figures is not in the letter, so the adult
// populations and every figure are synthetic, built so that exactly those two come out on top at every report.

import { formatViDecimal } from "../../functions/src/core/format.ts";
import type { CampaignInput, Unit } from "../../schemas/index.ts";
import {
  type ExampleDefinition,
  type RowRecord,
  runSection,
  stampSerial,
  table,
  viDate,
  viNumber,
} from "./common.ts";
import { createRng, type Rng } from "./prng.ts";

const DOMAIN = "vinhloc.example";

export const VINH_LOC_PERCENT_BY_YEAR = { "2024": 40, "2025": 50 } as const;

export const VINH_LOC_TELECOMS = [
  "VNPT Vĩnh Lộc - Thạch Thành",
  "Viettel Vĩnh Lộc",
  "MobiFone Vĩnh Lộc",
] as const;

/**
 * The 13 units in the letter's order of mention; `good` = named as doing well. `adults` and `startPercent`
 * (share of adults with a signature on 18/10/2024) are synthetic.
 */
export const VINH_LOC_UNITS = [
  { id: "vinh-phuc", name: "Xã Vĩnh Phúc", good: true, adults: 4120, startPercent: 31.4 },
  { id: "ninh-khang", name: "Xã Ninh Khang", good: true, adults: 5310, startPercent: 28.7 },
  { id: "vinh-long", name: "Xã Vĩnh Long", good: false, adults: 4870, startPercent: 18.6 },
  { id: "vinh-hung", name: "Xã Vĩnh Hưng", good: false, adults: 5920, startPercent: 12.3 },
  { id: "vinh-hoa", name: "Xã Vĩnh Hòa", good: false, adults: 4350, startPercent: 16.9 },
  { id: "vinh-an", name: "Xã Vĩnh An", good: false, adults: 5480, startPercent: 11.2 },
  { id: "vinh-tien", name: "Xã Vĩnh Tiến", good: false, adults: 3960, startPercent: 14.8 },
  { id: "vinh-quang", name: "Xã Vĩnh Quang", good: false, adults: 4610, startPercent: 9.7 },
  { id: "vinh-yen", name: "Xã Vĩnh Yên", good: false, adults: 3720, startPercent: 13.5 },
  { id: "thi-tran-vinh-loc", name: "Thị trấn Vĩnh Lộc", good: false, adults: 8450, startPercent: 17.4 },
  { id: "vinh-thinh", name: "Xã Vĩnh Thịnh", good: false, adults: 5240, startPercent: 10.6 },
  { id: "minh-tan", name: "Xã Minh Tân", good: false, adults: 6180, startPercent: 8.9 },
  { id: "vinh-hung-2", name: "Xã Vĩnh Hùng", good: false, adults: 5050, startPercent: 12.9 },
] as const;

/** The letter's day (the appendix's state), then the 20th of every month, then the year's last day. */
export const VINH_LOC_REPORT_DAYS: readonly string[] = [
  "2024-10-18",
  "2024-11-20",
  "2024-12-20",
  ...Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, "0")}-20`),
  // The year-end figure, so the campaign's last period (20/12 to 31/12) has a report too.
  "2025-12-31",
];

/**
 * Percent of adults per report: the two good communes gain 1,6–2,2 points a month, the others 0,8–1,5, so the
 * gap the letter saw only widens and no other unit overtakes them at any report.
 */
function percentSeries(r: Rng, start: number, good: boolean): number[] {
  const out = [start];
  for (let i = 1; i < VINH_LOC_REPORT_DAYS.length; i++) {
    const step = good ? 1.6 + r.next() * 0.6 : 0.8 + r.next() * 0.7;
    out.push(out[i - 1]! + step);
  }
  return out;
}

/** Splits a commune's count across the three providers (VNPT largest), as the telecoms report them. */
function providerSplit(r: Rng, count: number): [number, number, number] {
  const vnpt = Math.round(count * (0.5 + r.next() * 0.15));
  const viettel = Math.round((count - vnpt) * (0.65 + r.next() * 0.2));
  return [vnpt, viettel, count - vnpt - viettel];
}

export function vinhLoc(): ExampleDefinition {
  const rng = createRng("vinh-loc");
  const campaign: CampaignInput = {
    id: "vinh-loc-2024-2025",
    title: "Đẩy mạnh tạo lập, sử dụng chữ ký số cá nhân cho người dân trưởng thành",
    issuer: "UBND huyện Vĩnh Lộc",
    reference: "Quyết định số 1829/QĐ-UBND ngày 30/5/2023 của UBND tỉnh Thanh Hóa",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2024-10-18",
    end: "2025-12-31",
    schedule: { kind: "monthly", days: [20], time: "17:00" },
    reminders: { offsetsHours: [72, 24], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 0 },
    mode: "aggregate",
    indicators: [{ key: "signature", label: "Tạo lập chữ ký số cá nhân", short: "Chữ ký số cá nhân" }],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 2, criticise: 11, behindBelowPace: 0.8 },
    providers: ["VNPT", "Viettel", "MobiFone"],
    leaders: [
      { name: "Phòng Văn hóa và Thông tin huyện", email: `vhtt@${DOMAIN}` },
      { name: "Ban Chỉ đạo chuyển đổi số huyện", email: `bcd-cds@${DOMAIN}` },
    ],
    report: {
      scope: "toàn huyện",
      praiseBy: "UBND huyện",
      criticiseBy: "Chủ tịch UBND huyện",
      unitNoun: "người",
    },
    target: { rule: "percent-of-adults", percentByYear: { ...VINH_LOC_PERCENT_BY_YEAR } },
  };

  const root: Unit = { id: "vinh-loc", name: "Huyện Vĩnh Lộc", kind: "district", emails: [`vhtt@${DOMAIN}`] };
  const units: Unit[] = [root];
  const rows = new Map<string, RowRecord[]>();
  const finals: { name: string; adults: number; start: number; end: number }[] = [];
  for (const u of VINH_LOC_UNITS) {
    const r = rng.fork(u.id);
    // Ranking is within a kind, and the letter ranks the town together with the communes, so the town is
    // kind "commune" here; its name still says thị trấn.
    units.push({
      id: u.id,
      name: u.name,
      kind: "commune",
      parent: root.id,
      emails: [`vanhoa.${u.id}@${DOMAIN}`],
      adults: u.adults,
    });
    const percents = percentSeries(r, u.startPercent, u.good);
    const counts = percents.map((p) => Math.round((u.adults * p) / 100));
    finals.push({ name: u.name, adults: u.adults, start: counts[0]!, end: counts.at(-1)! });
    rows.set(
      u.id,
      VINH_LOC_REPORT_DAYS.map((day, k) => {
        const [vnpt, viettel, mobifone] = providerSplit(r, counts[k]!);
        // The telecom that compiled the commune's combined figure that month; the note keeps each one's share.
        const reporter = VINH_LOC_TELECOMS[k % 3 === 2 ? 1 : 0]!;
        return {
          enteredAt: stampSerial(day, r.int(8, 16), r.int(0, 59)),
          reportDate: viDate(day),
          "ind:signature": counts[k]!,
          reporter,
          note: `VNPT ${viNumber(vnpt)}; Viettel ${viNumber(viettel)}; MobiFone ${viNumber(mobifone)}`,
        };
      }),
    );
  }

  const readme = [
    "# Ví dụ: Huyện Vĩnh Lộc — chữ ký số cá nhân cho người trưởng thành (18/10/2024)",
    "",
    "Nguồn / source: `seeds/004_dd21a3198b01a2c2.txt`.",
    "",
    "## Công văn nói gì / What the letter says",
    "",
    "Qua tổng hợp của VNPT Vĩnh Lộc - Thạch Thành và Viettel Vĩnh Lộc: đơn vị thực hiện tốt là **xã Vĩnh Phúc, xã",
    "Ninh Khang**; chưa tốt là 11 đơn vị còn lại (Vĩnh Long, Vĩnh Hưng, Vĩnh Hòa, Vĩnh An, Vĩnh Tiến, Vĩnh Quang,",
    "Vĩnh Yên, thị trấn Vĩnh Lộc, Vĩnh Thịnh, Minh Tân, Vĩnh Hùng). Mục tiêu: người dân trưởng thành có chữ ký số",
    "cá nhân đạt **40% năm 2024**, **50% năm 2025**; báo cáo **ngày 20 hằng tháng**. Các doanh nghiệp viễn thông",
    "(VNPT, Viettel, MobiFone) cung cấp số liệu.",
    "",
    "Aggregate mode with the telecoms' figures (reporter column: the provider that compiled the month's figure; the",
    "note keeps each provider's share). Target = adults × 40% in 2024, × 50% in 2025 (`percent-of-adults` with",
    "`percentByYear`). Monthly cutoff on the 20th. Ranked by percent of target: 2 praised, 11 criticised.",
    "",
    "## Số liệu thật và số liệu giả lập / Real and synthetic data",
    "",
    table(
      ["Đơn vị", "Công văn", "Người trưởng thành (giả lập)", "18/10/2024", "31/12/2025"],
      finals.map((f, i) => [
        f.name,
        VINH_LOC_UNITS[i]!.good ? "tốt" : "chưa tốt",
        viNumber(f.adults),
        `${viNumber(f.start)} (${formatViDecimal((f.start / f.adults) * 100)}%)`,
        `${viNumber(f.end)} (${formatViDecimal((f.end / f.adults) * 100)}%)`,
      ]),
    ),
    "",
    "- **Thật / real**: the 13 units, which two are good and which eleven are not, 40% (2024) and 50% (2025), the",
    "  20th of each month, the telecoms' names, the letter's date 18/10/2024 (the campaign's start).",
    "- **Giả lập / synthetic**: adult populations, every figure (the letter's appendix is not available), the",
    "  providers' shares, the 17:00 report time, report times of day, e-mail addresses (reserved `.example`",
    `  domain: \`${DOMAIN}\`). The figures are built so that Vĩnh Phúc and Ninh Khang are the top two at every report.`,
    "- Thị trấn Vĩnh Lộc has kind `commune` because dondoc ranks within a kind and the letter ranks the town",
    "  together with the communes.",
    "",
    runSection("vinh-loc"),
    "",
  ].join("\n");

  return { folder: "vinh-loc", letter: "004_dd21a3198b01a2c2.txt", campaign, units, rows, readme };
}
