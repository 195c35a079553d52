// Seed 000: Từ Sơn city, Văn bản 278/UBND-KTTH (February 2025). The letter reports new public-signature installs
// per ward over one week, 17/02 to 16:00 23/02/2025: 19.662 city-wide, praises Đình Bảng 1.012, Châu Khê 708,
// Đồng Nguyên 642 and criticises Phù Khê 195, Đông Ngàn 127. Those figures are reproduced exactly; the other
// wards' figures, the agencies that make up the rest of the 19.662, the health-insurance figures, targets,
// reporters and report times are synthetic.
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

export const TU_SON_TOTAL = 19_662;

/** New installs 17/02–16:00 23/02/2025. `letter`: published in the letter; otherwise synthetic. */
export const TU_SON_WARDS = [
  { id: "dinh-bang", name: "Phường Đình Bảng", installs: 1012, letter: true },
  { id: "chau-khe", name: "Phường Châu Khê", installs: 708, letter: true },
  { id: "dong-nguyen", name: "Phường Đồng Nguyên", installs: 642, letter: true },
  { id: "dong-ky", name: "Phường Đồng Kỵ", installs: 587, letter: false },
  { id: "huong-mac", name: "Phường Hương Mạc", installs: 534, letter: false },
  { id: "tam-son", name: "Phường Tam Sơn", installs: 468, letter: false },
  { id: "tuong-giang", name: "Phường Tương Giang", installs: 421, letter: false },
  { id: "trang-ha", name: "Phường Trang Hạ", installs: 356, letter: false },
  { id: "tan-hong", name: "Phường Tân Hồng", installs: 302, letter: false },
  { id: "phu-chan", name: "Phường Phù Chẩn", installs: 249, letter: false },
  { id: "phu-khe", name: "Phường Phù Khê", installs: 195, letter: true },
  { id: "dong-ngan", name: "Phường Đông Ngàn", installs: 127, letter: true },
] as const;

/**
 * City agencies and providers that also install (the letter addresses "các cơ quan, đơn vị thuộc Thành ủy,
 * UBND thành phố" and "các cơ quan Trung ương, tỉnh đóng trên địa bàn"). Their figures are synthetic, chosen so
 * that wards + agencies = 19.662 exactly.
 */
export const TU_SON_AGENCIES = [
  { id: "cong-an-thanh-pho", name: "Công an thành phố Từ Sơn", kind: "police", installs: 3126 },
  { id: "thanh-doan", name: "Thành đoàn Từ Sơn", kind: "association", installs: 1847 },
  { id: "phong-giao-duc", name: "Phòng Giáo dục và Đào tạo thành phố", kind: "department", installs: 1365 },
  { id: "vnpt-tu-son", name: "VNPT Từ Sơn", kind: "telecom", installs: 4215 },
  { id: "viettel-tu-son", name: "Viettel Từ Sơn", kind: "telecom", installs: 3508 },
] as const;

const DOMAIN = "tuson.example";

// The week's report days; every unit's last report is on Sunday 23/02 before the 16:00 cutoff.
const REPORT_DAYS = ["2025-02-18", "2025-02-19", "2025-02-20", "2025-02-21", "2025-02-22"];
const LAST_DAY = "2025-02-23";

export function tuSon(): ExampleDefinition {
  const rng = createRng("tu-son");
  const campaign: CampaignInput = {
    id: "tu-son-2025-02",
    title: "Cao điểm cấp chữ ký số công cộng và tích hợp thẻ BHYT trên VNeID",
    issuer: "UBND thành phố Từ Sơn",
    reference: "Văn bản số 228/UBND-KTTH ngày 14/02/2025",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2025-02-17",
    end: "2025-02-23",
    schedule: { kind: "weekly", weekdays: [7], time: "16:00" },
    mode: "aggregate",
    indicators: [
      { key: "signature", label: "Cài đặt mới chữ ký số công cộng", short: "Chữ ký số" },
      { key: "healthInsurance", label: "Tích hợp thẻ BHYT trên VNeID", short: "Thẻ BHYT" },
    ],
    ranking: { indicator: "signature", measure: "period", kinds: ["ward"] },
    bands: { praise: 3, criticise: 2, behindBelowPace: 0.8 },
    leaders: [
      { name: "Văn phòng HĐND và UBND thành phố", email: `vanphong@${DOMAIN}` },
      { name: "Phòng Kinh tế, Hạ tầng và Đô thị", email: `ktht@${DOMAIN}` },
      { name: "Thành đoàn Từ Sơn", email: `thanhdoan@${DOMAIN}` },
    ],
    report: {
      scope: "toàn thành phố",
      praiseBy: "UBND thành phố",
      criticiseBy: "Chủ tịch UBND thành phố",
      unitNoun: "trường hợp",
    },
    target: { rule: "explicit" },
  };

  const root: Unit = {
    id: "tu-son",
    name: "Thành phố Từ Sơn",
    kind: "district",
    emails: [`vanphong@${DOMAIN}`],
  };
  // Targets of Văn bản 228 are not published; these synthetic ones put the week's figures at 60–120% of them.
  const units: Unit[] = [root];
  const all = [
    ...TU_SON_WARDS.map((w) => ({ id: w.id, name: w.name, kind: "ward" as const, installs: w.installs })),
    ...TU_SON_AGENCIES.map((a) => ({ id: a.id, name: a.name, kind: a.kind, installs: a.installs })),
  ];
  const rows = new Map<string, RowRecord[]>();
  const reporters = distinctNames(rng.fork("reporters"), all.length);
  all.forEach((u, i) => {
    const r = rng.fork(u.id);
    units.push({
      id: u.id,
      name: u.name,
      kind: u.kind,
      parent: root.id,
      target: Math.round(u.installs / (0.6 + r.next() * 0.6) / 10) * 10,
      emails: [`${u.id}@${DOMAIN}`],
    });
    // Three to six reports: some units report daily, others only mid-week and on Sunday.
    const days = [...r.shuffle(REPORT_DAYS).slice(0, r.int(2, 5)).sort(), LAST_DAY];
    const signatures = cumulativeSeries(r, u.installs, days.length);
    const healthFinal = Math.round(u.installs * (0.7 + r.next() * 0.8));
    const health = cumulativeSeries(r, Math.max(healthFinal, days.length), days.length);
    rows.set(
      u.id,
      days.map((day, k) => ({
        // Evening reports on weekdays; Sunday's final figure goes in before the 16:00 cutoff.
        enteredAt:
          day === LAST_DAY
            ? stampSerial(day, r.int(8, 15), r.int(0, 59))
            : stampSerial(day, r.int(17, 21), r.int(0, 59)),
        reportDate: viDate(day),
        "ind:signature": signatures[k]!,
        "ind:healthInsurance": health[k]!,
        reporter: reporters[i]!,
        note: k === days.length - 1 ? "Số liệu đến 16h00 ngày 23/02/2025" : null,
      })),
    );
  });

  const wardsSum = TU_SON_WARDS.reduce((a, w) => a + w.installs, 0);
  const agenciesSum = TU_SON_AGENCIES.reduce((a, w) => a + w.installs, 0);
  if (wardsSum + agenciesSum !== TU_SON_TOTAL)
    throw new Error(`Từ Sơn figures sum to ${wardsSum + agenciesSum}`);

  const readme = [
    "# Ví dụ: Thành phố Từ Sơn (công văn 278/UBND-KTTH, tháng 02/2025)",
    "",
    "Nguồn / source: `seeds/000_8c8c486404db3661.txt`.",
    "",
    "## Công văn nói gì / What the letter says",
    "",
    `Từ ngày 17/02/2025 đến 16h00 ngày 23/02/2025, toàn thành phố cài đặt mới chữ ký số công cộng cho **${viNumber(TU_SON_TOTAL)}** người dân.`,
    "UBND thành phố biểu dương phường Đình Bảng (1.012 trường hợp), Châu Khê (708), Đồng Nguyên (642); Chủ tịch UBND",
    "thành phố phê bình phường Phù Khê (195) và Đông Ngàn (127). Từ Sơn xuống thứ 3 toàn tỉnh (sau Quế Võ: 48.308 và",
    "Thuận Thành: 21.668) — xếp hạng cấp tỉnh không thuộc chiến dịch này nên chỉ ghi lại ở đây.",
    "",
    "The letter counts new installs per ward over one week. This example is in aggregate mode (one row per report",
    "with cumulative counts), ranks wards by the count added in the period (`measure: period`), praises 3 and",
    "criticises 2, and reports weekly on Sunday at 16:00.",
    "",
    "## Số liệu thật và số liệu giả lập / Real and synthetic data",
    "",
    table(
      ["Đơn vị", "Loại", "Cài mới 17/02–16h00 23/02/2025", "Nguồn"],
      all.map((u) => {
        const ward = TU_SON_WARDS.find((w) => w.id === u.id);
        return [
          u.name,
          u.kind,
          viNumber(u.installs),
          ward?.letter ? "công văn / letter" : "giả lập / synthetic",
        ];
      }),
    ),
    "",
    `Tổng / total: ${viNumber(TU_SON_TOTAL)} (công văn / letter). Các phường / wards: ${viNumber(wardsSum)};`,
    `các cơ quan / agencies: ${viNumber(agenciesSum)} (giả lập, chọn để tổng đúng 19.662 / synthetic, chosen so`,
    "the total is exactly 19.662).",
    "",
    "- **Thật / real**: the five ward figures named in the letter, the 19.662 total, the dates and the 16:00",
    "  cutoff of 23/02/2025, the issuer and Văn bản 228/UBND-KTTH ngày 14/02/2025.",
    "- **Giả lập / synthetic**: the other seven wards' figures (distinct, between Phù Khê's 195 and Đồng",
    "  Nguyên's 642), the agencies and their figures, all health-insurance (BHYT) figures, the targets (Văn",
    "  bản 228's targets are not published), the report days and times, the reporters' names and every e-mail",
    `  address (on the reserved \`.example\` domain: \`${DOMAIN}\`).`,
    "",
    "Mỗi đơn vị có một sổ `sheets/<mã đơn vị>.xlsx` với vài dòng báo cáo lũy kế trong tuần; dòng cuối ngày 23/02/2025",
    "(trước 16h00) bằng đúng số của đơn vị. Each unit's workbook holds a few cumulative reports through the week, the",
    "last one on 23/02/2025 before 16:00 equal to the unit's figure.",
    "",
    "Lưu ý / note: the week ends at the Sunday 16:00 cutoff; a run after the campaign shows the standings just",
    "before it, which are the letter's. To replay a day of the week instead: `--now 2025-02-20T20:00:00+07:00`.",
    "",
    runSection("tu-son"),
    "",
  ].join("\n");

  return { folder: "tu-son", letter: "000_8c8c486404db3661.txt", campaign, units, rows, readme };
}
