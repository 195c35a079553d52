// Seed 001: Chợ Đồn commune, July 2025, "1 người hỗ trợ 15 người". Every official records the citizens they
// helped (line-list); targets are staff × 15; reports are due before 14:00 every Monday and Thursday from
// 28/07 to 18/08/2025. The letter publishes no results, so the units' names, staff, e-mails and every row are
// synthetic. The rows are built to exercise the pipeline: units that skip whole periods and catch up late,
// individual late entries, a handful of typing mistakes and three citizens recorded by two units.
import { DateTime } from "luxon";
import { cutoffs } from "../../functions/src/core/periods.ts";
import { Campaign, type CampaignInput, type Unit, type UnitKind } from "../../schemas/index.ts";
import {
  addDays,
  daysBetween,
  type ExampleDefinition,
  type RowRecord,
  runSection,
  stampSerial,
  table,
  viDate,
  viNumber,
  ZONE,
} from "./common.ts";
import { distinctNames, type Gender, personName } from "./names.ts";
import { mobilePhone, PROVINCE, uniqueCitizenId } from "./people.ts";
import { createRng, type Rng } from "./prng.ts";

const DOMAIN = "chodon.example";
export const CHO_DON_PER_STAFF = 15;

interface UnitPlan {
  id: string;
  name: string;
  kind: UnitKind;
  staff: number;
  /** Rows by the campaign's end as a share of staff × 15. */
  ratio: number;
  /** Period indexes in which the unit enters nothing: that work is entered in the next period, late. */
  skip: number[];
  /** A second address (the head of the unit) for units whose reminders go to two people. */
  head?: boolean;
}

// Synthetic: the letter names the kinds of units, not the units. Place names are typical of the area.
export const CHO_DON_UNITS: readonly UnitPlan[] = [
  {
    id: "mam-non-bang-lung",
    name: "Trường Mầm non Bằng Lũng",
    kind: "school",
    staff: 12,
    ratio: 1.05,
    skip: [],
  },
  {
    id: "tieu-hoc-bang-lung",
    name: "Trường Tiểu học Bằng Lũng",
    kind: "school",
    staff: 16,
    ratio: 0.9,
    skip: [2],
  },
  { id: "thcs-bang-lung", name: "Trường THCS Bằng Lũng", kind: "school", staff: 18, ratio: 0.72, skip: [] },
  {
    id: "cong-an-xa",
    name: "Công an xã Chợ Đồn",
    kind: "police",
    staff: 10,
    ratio: 1.2,
    skip: [],
    head: true,
  },
  {
    id: "van-phong-hdnd-ubnd",
    name: "Văn phòng HĐND và UBND xã",
    kind: "department",
    staff: 8,
    ratio: 0.8,
    skip: [],
    head: true,
  },
  {
    id: "phong-kinh-te",
    name: "Phòng Kinh tế",
    kind: "department",
    staff: 6,
    ratio: 0.42,
    skip: [1, 3],
    head: true,
  },
  {
    id: "phong-van-hoa-xa-hoi",
    name: "Phòng Văn hóa - Xã hội",
    kind: "department",
    staff: 6,
    ratio: 0.97,
    skip: [],
    head: true,
  },
  {
    id: "trung-tam-phuc-vu-hcc",
    name: "Trung tâm Phục vụ hành chính công xã",
    kind: "department",
    staff: 5,
    ratio: 0.6,
    skip: [4],
  },
  { id: "thon-na-pai", name: "Thôn Nà Pài", kind: "village", staff: 4, ratio: 0.85, skip: [] },
  { id: "thon-ban-en", name: "Thôn Bản Én", kind: "village", staff: 4, ratio: 1.1, skip: [] },
  { id: "thon-khuoi-cuong", name: "Thôn Khuổi Cuồng", kind: "village", staff: 3, ratio: 0.35, skip: [0, 2] },
  {
    id: "to-dan-pho-na-chanh",
    name: "Tổ dân phố Nà Chành",
    kind: "residential-group",
    staff: 5,
    ratio: 0.75,
    skip: [3],
  },
  {
    id: "to-dan-pho-dong-ket",
    name: "Tổ dân phố Đông Kệt",
    kind: "residential-group",
    staff: 4,
    ratio: 0.95,
    skip: [],
  },
  {
    id: "to-cnscd-trung-tam",
    name: "Tổ công nghệ số cộng đồng khu trung tâm",
    kind: "digital-team",
    staff: 6,
    ratio: 1.3,
    skip: [],
  },
  {
    id: "to-cnscd-vung-cao",
    name: "Tổ công nghệ số cộng đồng khu vùng cao",
    kind: "digital-team",
    staff: 5,
    ratio: 0.68,
    skip: [1],
  },
  { id: "vnpt-cho-don", name: "VNPT Chợ Đồn", kind: "telecom", staff: 5, ratio: 1.25, skip: [] },
  { id: "viettel-cho-don", name: "Viettel Chợ Đồn", kind: "telecom", staff: 4, ratio: 0.88, skip: [2] },
];

// Residences of the people helped: the villages above plus others of the commune.
const RESIDENCES = [
  "Thôn Nà Pài",
  "Thôn Bản Én",
  "Thôn Khuổi Cuồng",
  "Tổ dân phố Nà Chành",
  "Tổ dân phố Đông Kệt",
  "Thôn Bản Cuôn",
  "Thôn Nà Bản",
  "Thôn Pác Châm",
  "Tổ dân phố Phố Chợ",
];

const NOTES = [
  "",
  "",
  "",
  "",
  "",
  "",
  "Hỗ trợ tại nhà văn hóa thôn",
  "Người cao tuổi",
  "Phụ huynh học sinh",
  "Hộ cận nghèo",
];

/** A deliberate mistake and where it goes, so the README and the tests can name it. */
export interface PlantedError {
  unitId: string;
  what: string;
}

export const CHO_DON_ERRORS: readonly PlantedError[] = [
  { unitId: "thcs-bang-lung", what: "số định danh 13 chữ số (gõ thừa một số) / a 13-digit id" },
  {
    unitId: "phong-van-hoa-xa-hoi",
    what: "số định danh mất số 0 đầu (ô dạng số, 11 chữ số) — được sửa và cảnh báo / an 11-digit id, repaired",
  },
  {
    unitId: "mam-non-bang-lung",
    what: "số định danh mất hai số 0 đầu (10 chữ số) — được sửa / a 10-digit id, repaired",
  },
  { unitId: "tieu-hoc-bang-lung", what: "ngày gõ kiểu Mỹ 08/31/2025 (tháng 31) / an impossible date" },
  { unitId: "thon-na-pai", what: "người dân sinh năm 2013, chưa đủ 14 tuổi / a citizen under 14" },
  { unitId: "cong-an-xa", what: "số điện thoại 9 chữ số / a 9-digit phone" },
];

interface Citizen {
  name: string;
  id: string;
  phone: string | null;
  residence: string;
}

interface DraftRow {
  unitId: string;
  day: string;
  /** Entered time, epoch ms. */
  at: number;
  record: RowRecord;
}

const DAY_MS = 86_400_000;

function wallMs(day: string, hour: number, minute: number): number {
  return DateTime.fromISO(day, { zone: ZONE }).set({ hour, minute }).toMillis();
}

function serialOf(ms: number): number {
  const dt = DateTime.fromMillis(ms, { zone: ZONE });
  return stampSerial(dt.toISODate()!, dt.hour, dt.minute, dt.second);
}

function newCitizen(r: Rng, used: Set<string>, residence: string): Citizen {
  const gender: Gender = r.chance(0.52) ? "female" : "male";
  const birthYear = r.int(1948, 2010);
  const roll = r.next();
  const province = roll < 0.86 ? PROVINCE.bacKan : roll < 0.94 ? PROVINCE.thaiNguyen : PROVINCE.haNoi;
  return {
    name: personName(r, gender),
    id: uniqueCitizenId(r, used, province, birthYear, gender),
    phone: r.chance(0.86) ? mobilePhone(r) : null,
    residence,
  };
}

export function choDon(): ExampleDefinition {
  const rng = createRng("cho-don");
  const input: CampaignInput = {
    id: "cho-don-2025-07",
    title: "Chiến dịch “1 người hỗ trợ 15 người – Mỗi hộ ít nhất 1 người thành thạo”",
    issuer: "UBND xã Chợ Đồn",
    reference: "Kế hoạch số 08/KH-UBND ngày 21/7/2025",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2025-07-28",
    end: "2025-08-18",
    schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
    reminders: { offsetsHours: [24, 2], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 1 },
    mode: "line-list",
    indicators: [
      { key: "vneid", label: "Đăng ký, xác thực VNeID mức 2", short: "VNeID mức 2" },
      {
        key: "healthBook",
        label: "Tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID",
        short: "Sổ sức khỏe / BHYT",
      },
      { key: "signature", label: "Đăng ký chữ ký số công cộng", short: "Chữ ký số" },
    ],
    ranking: { indicator: "signature", measure: "percent" },
    // Most kinds here have two to four units: one praised and one criticised per kind is what a reader can use.
    bands: { praise: 1, criticise: 1, behindBelowPace: 0.8 },
    dedupeAcrossUnits: true,
    providers: ["VNPT", "Viettel"],
    leaders: [
      { name: "Chủ tịch UBND xã", email: `chutich@${DOMAIN}` },
      { name: "Phó Chủ tịch UBND xã", email: `phochutich@${DOMAIN}` },
      { name: "Phòng Văn hóa - Xã hội", email: `vanhoaxahoi@${DOMAIN}` },
    ],
    report: { scope: "toàn xã", praiseBy: "UBND xã", criticiseBy: "Chủ tịch UBND xã", unitNoun: "người" },
    target: { rule: "per-staff", perStaff: CHO_DON_PER_STAFF },
  };
  const campaign = Campaign.parse(input);
  const cutoffMs = cutoffs(campaign).map((c) => c.toMillis());
  const periodOf = (ms: number) => cutoffMs.findIndex((c) => ms < c);
  const periodStart = (k: number) => (k === 0 ? wallMs(campaign.start, 0, 0) : cutoffMs[k - 1]!);
  const campaignEndMs = cutoffMs.at(-1)!;

  const root: Unit = {
    id: "xa-cho-don",
    name: "Xã Chợ Đồn",
    kind: "commune",
    emails: [`vanphong@${DOMAIN}`],
  };
  const units: Unit[] = [root];
  const days = daysBetween(campaign.start, campaign.end);
  const used = new Set<string>();
  const drafts = new Map<string, DraftRow[]>();

  for (const plan of CHO_DON_UNITS) {
    const r = rng.fork(plan.id);
    units.push({
      id: plan.id,
      name: plan.name,
      kind: plan.kind,
      parent: root.id,
      emails: plan.head
        ? [`${plan.id}@${DOMAIN}`, `truongdonvi.${plan.id}@${DOMAIN}`]
        : [`${plan.id}@${DOMAIN}`],
      staff: plan.staff,
    });
    const staff = distinctNames(r.fork("staff"), plan.staff);
    // Some officials do much more than others; a weight per person makes the "Người hỗ trợ" column realistic.
    const effort = staff.map(() => 0.3 + r.next() * 1.4);
    const effortTotal = effort.reduce((a, b) => a + b, 0);
    const pickSupporter = () => {
      let x = r.next() * effortTotal;
      for (let i = 0; i < staff.length; i++) {
        x -= effort[i]!;
        if (x < 0) return staff[i]!;
      }
      return staff.at(-1)!;
    };
    const count = Math.round(plan.staff * CHO_DON_PER_STAFF * plan.ratio);
    const rows: DraftRow[] = [];
    for (let i = 0; i < count; i++) {
      // Work picks up after the launch week: later days are up to twice as likely.
      let dayIndex = r.int(0, days.length - 1);
      if (r.chance(0.35)) dayIndex = Math.max(dayIndex, r.int(0, days.length - 1));
      const day = days[dayIndex]!;
      // Entered the same evening, or the next morning.
      let at = r.chance(0.7)
        ? wallMs(day, r.int(17, 22), r.int(0, 59))
        : wallMs(addDays(day, 1), r.int(7, 11), r.int(0, 59));
      if (r.chance(0.03)) at += r.int(2, 4) * DAY_MS;
      // A unit that skips a period enters that work in the next period it reports in: after the deadline.
      let k = periodOf(at);
      if (plan.skip.includes(k)) {
        while (plan.skip.includes(k)) k++;
        at = periodStart(k) + r.int(1, 30) * 3_600_000 + r.int(0, 59) * 60_000;
      }
      at = Math.min(at, campaignEndMs - r.int(10, 120) * 60_000);
      const village =
        plan.kind === "village" || plan.kind === "residential-group" ? plan.name : r.pick(RESIDENCES);
      const citizen = newCitizen(r, used, village);
      // A few people could not finish level 2 (they must go to the police station): a row with nothing ticked.
      const vneid = r.chance(0.99);
      const healthBook = vneid && r.chance(0.88);
      const signature = vneid && r.chance(0.8);
      const provider =
        plan.id === "vnpt-cho-don"
          ? "VNPT"
          : plan.id === "viettel-cho-don"
            ? "Viettel"
            : r.chance(0.56)
              ? "VNPT"
              : "Viettel";
      // Some people tick with an "x" instead of choosing "Có"; the parser accepts both.
      const yes = r.chance(0.05) ? "x" : "Có";
      rows.push({
        unitId: plan.id,
        day,
        at,
        record: {
          enteredAt: null,
          date: viDate(day),
          supporter: pickSupporter(),
          citizenName: citizen.name,
          citizenId: citizen.id,
          phone: citizen.phone,
          residence: citizen.residence,
          "ind:vneid": vneid ? yes : null,
          "ind:healthBook": healthBook ? yes : null,
          "ind:signature": signature ? yes : null,
          provider: signature ? provider : null,
          note: r.pick(NOTES) || null,
        },
      });
    }
    drafts.set(plan.id, rows);
  }

  plantErrors(rng.fork("errors"), drafts, used);
  // Before the final Monday cutoff, so the final standings see both recordings.
  plantDuplicates(rng.fork("duplicates"), drafts, cutoffMs.at(-2)!);

  const rows = new Map<string, RowRecord[]>();
  for (const [unitId, list] of drafts) {
    // Rows appear in the sheet in the order they were typed.
    list.sort((a, b) => a.at - b.at);
    rows.set(
      unitId,
      list.map((d) => ({ ...d.record, enteredAt: serialOf(d.at) })),
    );
  }

  return {
    folder: "cho-don",
    letter: "001_25c296988402ea44.txt",
    campaign: input,
    units,
    rows,
    readme: readme(rows, cutoffMs),
  };
}

function unitRows(drafts: Map<string, DraftRow[]>, unitId: string): DraftRow[] {
  const list = drafts.get(unitId);
  if (!list || list.length === 0) throw new Error(`no rows for ${unitId}`);
  return list;
}

/** Overwrites fields of a few rows with the mistakes units really make. */
function plantErrors(r: Rng, drafts: Map<string, DraftRow[]>, used: Set<string>): void {
  const at = (unitId: string) => r.pick(unitRows(drafts, unitId)).record;
  // One digit too many while copying from the card.
  const long = at("thcs-bang-lung");
  long.citizenId = `${String(long.citizenId)}7`;
  // A cell formatted as a number keeps 19… of 019…: 11 digits, which the parser repairs and warns about.
  const lost = at("phong-van-hoa-xa-hoi");
  lost.citizenId = Number(uniqueCitizenId(r, used, PROVINCE.thaiNguyen, 1986, "female"));
  // 006… loses two zeros.
  const lost2 = at("mam-non-bang-lung");
  lost2.citizenId = Number(uniqueCitizenId(r, used, PROVINCE.bacKan, 1991, "male"));
  // A laptop set to US format: month and day swapped.
  at("tieu-hoc-bang-lung").date = "08/31/2025";
  // A child of 12: VNeID level 2 needs 14.
  at("thon-na-pai").citizenId = uniqueCitizenId(r, used, PROVINCE.bacKan, 2013, "male");
  at("cong-an-xa").phone = "091234567";
}

/**
 * Three citizens recorded again by a second unit, later: the teacher who helped a parent and the village head
 * who counted the same person. The first recording wins; the second is shown as a duplicate.
 */
function plantDuplicates(r: Rng, drafts: Map<string, DraftRow[]>, beforeMs: number): void {
  const pairs: [string, string][] = [
    ["tieu-hoc-bang-lung", "thon-ban-en"],
    ["vnpt-cho-don", "to-cnscd-trung-tam"],
    ["mam-non-bang-lung", "to-dan-pho-dong-ket"],
  ];
  for (const [first, second] of pairs) {
    const clean = unitRows(drafts, first).filter(
      (d) =>
        typeof d.record.citizenId === "string" &&
        d.record.citizenId.length === 12 &&
        d.record.phone !== "091234567" &&
        d.record.date !== "08/31/2025" &&
        d.at < beforeMs - DAY_MS,
    );
    const source = r.pick(clean);
    const target = unitRows(drafts, second);
    const template = r.pick(target);
    const at = Math.min(source.at + r.int(1, 5) * DAY_MS, beforeMs - r.int(1, 3) * 3_600_000);
    const day = DateTime.fromMillis(at, { zone: ZONE }).toISODate()!;
    target.push({
      unitId: second,
      day,
      at,
      record: {
        ...template.record,
        date: viDate(day),
        citizenName: source.record.citizenName ?? null,
        citizenId: source.record.citizenId ?? null,
        phone: source.record.phone ?? null,
        residence: source.record.residence ?? null,
        // The same help recorded twice: with the first unit's ticks, nothing new for the second to count.
        ...Object.fromEntries(Object.entries(source.record).filter(([k]) => k.startsWith("ind:"))),
        note: null,
      },
    });
  }
}

function readme(rows: Map<string, RowRecord[]>, cutoffMs: number[]): string {
  const periodLines = cutoffMs.map((ms, k) => {
    const start =
      k === 0
        ? "00:00 28/07/2025"
        : DateTime.fromMillis(cutoffMs[k - 1]!, { zone: ZONE }).toFormat("HH:mm dd/MM/yyyy");
    return `${k}: ${start} → ${DateTime.fromMillis(ms, { zone: ZONE }).toFormat("HH:mm dd/MM/yyyy")}`;
  });
  const totalRows = [...rows.values()].reduce((n, l) => n + l.length, 0);
  const totalStaff = CHO_DON_UNITS.reduce((n, u) => n + u.staff, 0);
  return [
    "# Ví dụ: Xã Chợ Đồn — “1 người hỗ trợ 15 người” (tháng 7–8/2025)",
    "",
    "Nguồn / source: `seeds/001_25c296988402ea44.txt`.",
    "",
    "## Công văn nói gì / What the letter says",
    "",
    "Tất cả cán bộ, công chức, viên chức, giáo viên, lực lượng an ninh, trưởng thôn, Tổ công nghệ số cộng đồng hỗ trợ",
    "người dân: định danh VNeID mức 2, tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID, chữ ký số công cộng. Mỗi",
    "cá nhân hỗ trợ **15** người, ghi nhận theo mẫu; báo cáo **trước 14h thứ Hai và thứ Năm** hằng tuần; thời gian",
    "**từ 28/7 đến hết 18/8/2025** (công văn ghi “20 ngày”; theo lịch là 22 ngày — ví dụ dùng đúng hai ngày đó).",
    "",
    "Every official records the citizens they helped (line-list mode). Target = staff × 15 (`per-staff`). Cutoffs",
    "Monday and Thursday 14:00. Units are ranked within their kind by percent of target of the public signature",
    "indicator; 1 praised and 1 criticised per kind (most kinds have two to four units).",
    "",
    "## Số liệu thật và số liệu giả lập / Real and synthetic data",
    "",
    "- **Thật / real**: the three indicators, ×15 per official, Monday/Thursday 14:00, 28/07–18/08/2025, the kinds",
    "  of units addressed (schools, commune police, departments, villages and residential groups, community",
    "  digital-tech teams, VNPT and Viettel), Kế hoạch 08/KH-UBND ngày 21/7/2025.",
    "- **Giả lập / synthetic**: every unit name and staff count, every person's name, all rows, all e-mail",
    `  addresses (reserved \`.example\` domain: \`${DOMAIN}\`). The letter publishes no results.`,
    "- Số định danh và số điện thoại là **ngẫu nhiên**, sinh từ bộ sinh số có hạt giống; chúng hợp lệ về cấu trúc",
    "  (mã tỉnh 006 Bắc Kạn, 019 Thái Nguyên, 001 Hà Nội theo Thông tư 07/2016) nhưng **không thuộc về ai**.",
    "  Citizen ids and phones are random, structurally valid, and belong to no one.",
    "",
    table(
      ["Đơn vị", "Loại", "Số CBCCVC", "Chỉ tiêu (×15)", "Số dòng", "Kỳ bỏ không báo cáo"],
      CHO_DON_UNITS.map((u) => [
        u.name,
        u.kind,
        u.staff,
        viNumber(u.staff * CHO_DON_PER_STAFF),
        viNumber(rows.get(u.id)?.length ?? 0),
        u.skip.length === 0 ? "—" : u.skip.join(", "),
      ]),
    ),
    "",
    `Tổng / total: ${totalStaff} người hỗ trợ, chỉ tiêu ${viNumber(totalStaff * CHO_DON_PER_STAFF)}, ${viNumber(totalRows)} dòng.`,
    "",
    "## Dòng thời gian / Timeline",
    "",
    "Kỳ báo cáo / periods (index: start → cutoff):",
    "",
    ...periodLines.map((l) => `- ${l}`),
    "",
    "Cột “Thời điểm nhập” (stamp) holds when each row was typed. Most rows are entered the evening of the day or the",
    "next morning. A unit listed above as skipping a period enters nothing in it and types that work in the next",
    "period — after the deadline, so those rows are late (nhập muộn); about 3% of other rows are also entered",
    "2–4 days late. Replay the campaign with `--now`, e.g. `--now 2025-08-07T13:59:00+07:00`.",
    "",
    "## Lỗi cố ý / Deliberate data errors",
    "",
    ...CHO_DON_ERRORS.map((e) => `- \`${e.unitId}\`: ${e.what}`),
    "- Ba người dân được hai đơn vị cùng ghi nhận / three citizens recorded by two units (Tiểu học → Thôn Bản Én,",
    "  VNPT → Tổ CNSCĐ khu trung tâm, Mầm non → TDP Đông Kệt): the first recording counts, the second is a duplicate.",
    "",
    runSection("cho-don"),
    "",
  ].join("\n");
}
