// Seed 003: Quận Hai Bà Trưng, Công văn 860/UBND-VHTT of 12/06/2023. Its attached table gives each of the 18
// wards' households (as of 31/03/2023) as the target: at least one person per household with a free digital
// signature by 15/08/2023, 84.337 in all. Reports go to the district on the 15th and 28th of each month. By
// 31/05/2023 only 135 citizens had one. The households and 135 are the letter's; the rest is synthetic.
import type { CampaignInput, Unit } from "../../schemas/index.ts";
import {
  cumulativeSeries,
  type ExampleDefinition,
  type RowRecord,
  runSection,
  stampSerial,
  table,
  viDate,
  viNumber,
} from "./common.ts";
import { distinctNames } from "./names.ts";
import { createRng } from "./prng.ts";

const DOMAIN = "haibatrung.example";

export const HBT_TOTAL_HOUSEHOLDS = 84_337;
export const HBT_SIGNED_BY_31_05 = 135;

/**
 * The letter's table (households = target, people), in its order. `initial`: the synthetic split of the 135
 * signed by 31/05/2023, most of it in the five wards the letter says had trained their staff. `final`: the
 * synthetic share of households reached by 15/08/2023.
 */
export const HBT_WARDS = [
  { id: "nguyen-du", name: "Phường Nguyễn Du", households: 3214, initial: 4, final: 0.86 },
  { id: "bach-dang", name: "Phường Bạch Đằng", households: 5297, initial: 2, final: 0.58 },
  { id: "pham-dinh-ho", name: "Phường Phạm Đình Hồ", households: 3899, initial: 1, final: 0.64 },
  { id: "le-dai-hanh", name: "Phường Lê Đại Hành", households: 2523, initial: 18, final: 0.97 },
  { id: "dong-nhan", name: "Phường Đồng Nhân", households: 2347, initial: 15, final: 0.91 },
  { id: "pho-hue", name: "Phường Phố Huế", households: 2627, initial: 3, final: 0.73 },
  { id: "dong-mac", name: "Phường Đống Mác", households: 2803, initial: 0, final: 0.49 },
  { id: "thanh-luong", name: "Phường Thanh Lương", households: 6589, initial: 1, final: 0.44 },
  { id: "thanh-nhan", name: "Phường Thanh Nhàn", households: 6121, initial: 2, final: 0.67 },
  { id: "cau-den", name: "Phường Cầu Dền", households: 3434, initial: 0, final: 0.55 },
  { id: "bach-khoa", name: "Phường Bách Khoa", households: 2600, initial: 31, final: 1.04 },
  { id: "dong-tam", name: "Phường Đồng Tâm", households: 4283, initial: 22, final: 0.88 },
  { id: "vinh-tuy", name: "Phường Vĩnh Tuy", households: 14206, initial: 3, final: 0.39 },
  { id: "bach-mai", name: "Phường Bạch Mai", households: 4744, initial: 2, final: 0.62 },
  { id: "quynh-mai", name: "Phường Quỳnh Mai", households: 3582, initial: 1, final: 0.7 },
  { id: "quynh-loi", name: "Phường Quỳnh Lôi", households: 4780, initial: 0, final: 0.47 },
  { id: "minh-khai", name: "Phường Minh Khai", households: 5568, initial: 3, final: 0.6 },
  { id: "truong-dinh", name: "Phường Trương Định", households: 5720, initial: 27, final: 0.93 },
] as const;

// Report dates: the campaign's first day (carrying the 31/05 figures), then every 15th and 28th.
const REPORT_DAYS = ["2023-06-12", "2023-06-15", "2023-06-28", "2023-07-15", "2023-07-28", "2023-08-15"];

/** Wards that miss one report (synthetic), by report day: the "Chưa báo cáo" tab shows them. */
export const HBT_MISSED: Readonly<Record<string, string>> = {
  "quynh-loi": "2023-06-28",
  "cau-den": "2023-07-15",
  "thanh-luong": "2023-07-28",
};

export function haiBaTrung(): ExampleDefinition {
  const rng = createRng("hai-ba-trung");
  const campaign: CampaignInput = {
    id: "hai-ba-trung-2023",
    title: "Cấp chữ ký số miễn phí cho công dân để giải quyết thủ tục hành chính, giao dịch điện tử",
    issuer: "UBND quận Hai Bà Trưng",
    reference: "Công văn số 860/UBND-VHTT ngày 12/6/2023",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2023-06-12",
    end: "2023-08-15",
    schedule: { kind: "monthly", days: [15, 28], time: "17:00" },
    mode: "aggregate",
    indicators: [{ key: "signature", label: "Cấp chữ ký số miễn phí", short: "Chữ ký số" }],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 3, criticise: 3, behindBelowPace: 0.8 },
    providers: ["FPT"],
    leaders: [
      { name: "Phòng Văn hóa và Thông tin quận", email: `pvhtt@${DOMAIN}` },
      { name: "Văn phòng HĐND và UBND quận", email: `vanphong@${DOMAIN}` },
    ],
    report: {
      scope: "toàn quận",
      praiseBy: "UBND quận",
      criticiseBy: "Chủ tịch UBND quận",
      unitNoun: "người",
    },
    target: { rule: "per-household", perHousehold: 1 },
  };

  const root: Unit = {
    id: "hai-ba-trung",
    name: "Quận Hai Bà Trưng",
    kind: "district",
    emails: [`pvhtt@${DOMAIN}`],
  };
  const units: Unit[] = [root];
  const rows = new Map<string, RowRecord[]>();
  const reporters = distinctNames(rng.fork("reporters"), HBT_WARDS.length);
  HBT_WARDS.forEach((w, i) => {
    const r = rng.fork(w.id);
    units.push({
      id: w.id,
      name: w.name,
      kind: "ward",
      parent: root.id,
      emails: [`vanhoa.${w.id}@${DOMAIN}`],
      households: w.households,
    });
    const days = REPORT_DAYS.filter((d) => HBT_MISSED[w.id] !== d);
    const final = Math.round(w.households * w.final);
    const later = cumulativeSeries(r, final, days.length - 1, w.initial);
    const figures = [w.initial, ...later];
    rows.set(
      w.id,
      days.map((day, k) => ({
        // Reports go in on the day, before the 17:00 cutoff.
        enteredAt: stampSerial(day, r.int(8, 16), r.int(0, 59)),
        reportDate: viDate(day),
        "ind:signature": figures[k]!,
        reporter: reporters[i]!,
        note: k === 0 ? "Số liệu đến ngày 31/5/2023 (Thông báo số 86/TB-VP)" : null,
      })),
    );
  });

  const households = HBT_WARDS.reduce((n, w) => n + w.households, 0);
  const initial = HBT_WARDS.reduce((n, w) => n + w.initial, 0);
  if (households !== HBT_TOTAL_HOUSEHOLDS || initial !== HBT_SIGNED_BY_31_05) {
    throw new Error(`Hai Bà Trưng figures: ${households} households, ${initial} signed by 31/05`);
  }

  const readme = [
    "# Ví dụ: Quận Hai Bà Trưng — cấp chữ ký số miễn phí (Công văn 860/UBND-VHTT, 12/6/2023)",
    "",
    "Nguồn / source: `seeds/003_b6dcc7e79672ec04.txt`.",
    "",
    "## Công văn nói gì / What the letter says",
    "",
    "Đến 31/5/2023 toàn quận mới có **135** công dân được cấp chữ ký số miễn phí. UBND 18 phường phấn đấu **100% hộ",
    "gia đình** (tối thiểu 01 người/01 hộ) được cấp chữ ký số, xong trước **15/8/2023**, theo Biểu giao chỉ tiêu",
    `(tổng **${viNumber(HBT_TOTAL_HOUSEHOLDS)}** hộ); báo cáo định kỳ **ngày 15 và ngày 28 hằng tháng**. Cán bộ, công chức 100% xong trước 25/6/2023.`,
    "",
    "Aggregate mode (each ward reports a cumulative count), target = households × 1 (`per-household`), monthly",
    "cutoffs on the 15th and 28th, 12/06/2023–15/08/2023, ranked by percent of target.",
    "",
    "## Số liệu thật và số liệu giả lập / Real and synthetic data",
    "",
    table(
      ["TT", "Phường", "Số hộ = chỉ tiêu (công văn)", "Đến 31/5 (giả lập)", "Đến 15/8 (giả lập)"],
      HBT_WARDS.map((w, i) => [
        i + 1,
        w.name,
        viNumber(w.households),
        w.initial,
        viNumber(Math.round(w.households * w.final)),
      ]),
    ),
    "",
    `Toàn quận / district: ${viNumber(households)} hộ; ${initial} người đến 31/5/2023.`,
    "",
    "- **Thật / real**: the 18 wards and their households (every number of the table, summing to 84.337), the",
    "  135 citizens by 31/05/2023, the five wards that had trained staff (Bách Khoa, Trương Định, Đồng Tâm, Lê Đại",
    "  Hành, Đồng Nhân — they get most of the 135 here), the 15th/28th reporting days, 15/08/2023.",
    "- **Giả lập / synthetic**: how the 135 split across wards, every later figure, the 17:00 report time (the",
    "  letter gives days, not a time), the wards that miss a report (Quỳnh Lôi 28/06, Cầu Dền 15/07, Thanh Lương",
    "  28/07), bands (3 praised, 3 criticised), reporters' names and e-mail addresses (reserved `.example`",
    `  domain: \`${DOMAIN}\`).`,
    "",
    "Dòng đầu tiên của mỗi phường (ngày 12/06/2023, ngày bắt đầu) mang số liệu đến 31/5/2023 — ngày 31/5 nằm trước",
    "chiến dịch nên không thể là ngày báo cáo. The first row of each ward (12/06/2023, the campaign's first day)",
    "carries its figure as of 31/05/2023, since a report date before the campaign would be refused.",
    "",
    runSection("hai-ba-trung"),
    "",
  ].join("\n");

  return { folder: "hai-ba-trung", letter: "003_b6dcc7e79672ec04.txt", campaign, units, rows, readme };
}
