// Seed 002: Phường Quảng Châu (Sầm Sơn, Thanh Hóa), 19/11/2024, "KHẨN". The ward is at 25% of its 2024 target,
// about 1.100 people short; each of Hội Nông dân, Hội Phụ nữ, Hội Cựu chiến binh and Đoàn Thanh niên must
// activate 280 members; the 8 residential groups mobilise from 19h on 19/11; everything must be done before
// 25/11/2024. From "25%" and "about 1.100 short" the ward's target is taken as 1.467 (367 done, 1.100 to go).
//
// Line-list mode: association members live in the residential groups, so the same person is easily counted by
// both; only a list of named citizens lets the ward count each person once.
import { DateTime } from "luxon";
import type { CampaignInput, Unit, UnitKind } from "../../schemas/index.ts";
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

const DOMAIN = "quangchau.example";

export const QUANG_CHAU_TARGET = 1467;
/** Activated by the 17:00 report of 19/11/2024, the day of the letter: 25% of 1.467. */
export const QUANG_CHAU_DONE_AT_LETTER = 367;
export const QUANG_CHAU_PER_ASSOCIATION = 280;
const LETTER_DAY = "2024-11-19";

interface UnitPlan {
  id: string;
  name: string;
  kind: UnitKind;
  target: number;
  /** Rows recorded by the 17:00 cutoff of 19/11 (before the letter) and after it. */
  before: number;
  after: number;
}

// Synthetic splits: TDP targets share the ward's 1.467 by size; rows before the letter add up to 367.
export const QUANG_CHAU_UNITS: readonly UnitPlan[] = [
  { id: "tdp-1", name: "Tổ dân phố số 1", kind: "residential-group", target: 214, before: 52, after: 9 },
  { id: "tdp-2", name: "Tổ dân phố số 2", kind: "residential-group", target: 168, before: 34, after: 7 },
  { id: "tdp-3", name: "Tổ dân phố số 3", kind: "residential-group", target: 195, before: 47, after: 19 },
  { id: "tdp-4", name: "Tổ dân phố số 4", kind: "residential-group", target: 176, before: 31, after: 6 },
  { id: "tdp-5", name: "Tổ dân phố số 5", kind: "residential-group", target: 152, before: 22, after: 7 },
  { id: "tdp-6", name: "Tổ dân phố số 6", kind: "residential-group", target: 201, before: 55, after: 17 },
  { id: "tdp-7", name: "Tổ dân phố số 7", kind: "residential-group", target: 187, before: 38, after: 15 },
  { id: "tdp-8", name: "Tổ dân phố số 8", kind: "residential-group", target: 174, before: 21, after: 23 },
  {
    id: "hoi-nong-dan",
    name: "Hội Nông dân phường",
    kind: "association",
    target: 280,
    before: 19,
    after: 179,
  },
  {
    id: "hoi-phu-nu",
    name: "Hội Liên hiệp Phụ nữ phường",
    kind: "association",
    target: 280,
    before: 24,
    after: 257,
  },
  {
    id: "hoi-cuu-chien-binh",
    name: "Hội Cựu chiến binh phường",
    kind: "association",
    target: 280,
    before: 11,
    after: 132,
  },
  {
    id: "doan-thanh-nien",
    name: "Đoàn Thanh niên phường",
    kind: "association",
    target: 280,
    before: 13,
    after: 241,
  },
];

/** Association members later recorded again at their residential group's cultural house. */
export const QUANG_CHAU_DUPLICATES = 24;

interface Draft {
  at: number;
  record: RowRecord;
}

function wallMs(day: string, hour: number, minute: number): number {
  return DateTime.fromISO(day, { zone: ZONE }).set({ hour, minute }).toMillis();
}

function serialOf(ms: number): number {
  const dt = DateTime.fromMillis(ms, { zone: ZONE });
  return stampSerial(dt.toISODate()!, dt.hour, dt.minute, dt.second);
}

function provider(r: Rng): string {
  // VNPT Sầm Sơn supplies the ward's figures and does most activations.
  const x = r.next();
  return x < 0.72 ? "VNPT" : x < 0.9 ? "Viettel" : "MobiFone";
}

export function quangChau(): ExampleDefinition {
  const rng = createRng("quang-chau");
  const campaign: CampaignInput = {
    id: "quang-chau-2024-11",
    title: "Kích hoạt chữ ký số cá nhân, hoàn thành tiêu chí 3.10 chuyển đổi số cấp xã năm 2024",
    issuer: "UBND phường Quảng Châu",
    reference: "Công văn số 5559/UBND-VHTT ngày 24/10/2024 của UBND thành phố Sầm Sơn",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2024-10-24",
    // "hoàn thành xong trước ngày 25/11/2024": the last day is the 24th.
    end: "2024-11-24",
    schedule: { kind: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7], time: "17:00" },
    reminders: { offsetsHours: [3], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 0 },
    mode: "line-list",
    indicators: [{ key: "signature", label: "Kích hoạt chữ ký số cá nhân", short: "Chữ ký số" }],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 2, criticise: 2, behindBelowPace: 0.8 },
    dedupeAcrossUnits: true,
    providers: ["VNPT", "Viettel", "MobiFone"],
    leaders: [
      { name: "Chủ tịch UBND phường", email: `chutich@${DOMAIN}` },
      { name: "Phó Chủ tịch UBND phường", email: `phochutich@${DOMAIN}` },
      { name: "Ban Chỉ đạo chuyển đổi số phường", email: `bcd-cds@${DOMAIN}` },
    ],
    report: {
      scope: "toàn phường",
      praiseBy: "UBND phường",
      criticiseBy: "Chủ tịch UBND phường",
      unitNoun: "người",
    },
    target: { rule: "explicit" },
  };

  const root: Unit = {
    id: "phuong-quang-chau",
    name: "Phường Quảng Châu",
    kind: "ward",
    target: QUANG_CHAU_TARGET,
    emails: [`vanphong@${DOMAIN}`],
  };
  const units: Unit[] = [root];
  const used = new Set<string>();
  const drafts = new Map<string, Draft[]>();
  const beforeDays = daysBetween(campaign.start, LETTER_DAY);
  const afterDays = daysBetween(LETTER_DAY, campaign.end);
  const tdpNames = QUANG_CHAU_UNITS.filter((u) => u.kind === "residential-group").map((u) => u.name);

  for (const plan of QUANG_CHAU_UNITS) {
    const r = rng.fork(plan.id);
    units.push({
      id: plan.id,
      name: plan.name,
      kind: plan.kind,
      parent: root.id,
      target: plan.target,
      emails: [`${plan.id}@${DOMAIN}`],
    });
    const staff = distinctNames(r.fork("staff"), plan.kind === "association" ? 5 : 4);
    const rows: Draft[] = [];
    const add = (day: string, at: number) => {
      const gender: Gender = plan.id === "hoi-phu-nu" || r.chance(0.5) ? "female" : "male";
      // Veterans are older, youth union members younger; the others span adult life.
      const birthYear =
        plan.id === "hoi-cuu-chien-binh"
          ? r.int(1945, 1975)
          : plan.id === "doan-thanh-nien"
            ? r.int(1989, 2008)
            : r.int(1950, 2006);
      rows.push({
        at,
        record: {
          date: viDate(day),
          supporter: r.pick(staff),
          citizenName: personName(r, gender),
          citizenId: uniqueCitizenId(r, used, PROVINCE.thanhHoa, birthYear, gender),
          phone: mobilePhone(r),
          residence: plan.kind === "residential-group" ? plan.name : r.pick(tdpNames),
          "ind:signature": "Có",
          provider: provider(r),
          note: null,
        },
      });
    };
    for (let i = 0; i < plan.before; i++) {
      const day = r.pick(beforeDays);
      // Before the letter everything is in by the 17:00 report of 19/11: same-day evening entries stop there.
      const at =
        day === LETTER_DAY
          ? wallMs(day, r.int(8, 16), r.int(0, 59))
          : wallMs(day, r.int(17, 21), r.int(0, 59));
      add(day, at);
    }
    for (let i = 0; i < plan.after; i++) {
      const day = r.pick(afterDays);
      // The push starts at 19h on 19/11 and runs in the evenings at the cultural houses; on the last day it
      // runs through Sunday daytime, since the 17:00 report of 24/11 is the final one.
      add(
        day,
        day === campaign.end
          ? wallMs(day, r.int(8, 15), r.int(0, 59))
          : wallMs(day, r.int(19, 22), r.int(0, 59)),
      );
    }
    drafts.set(plan.id, rows);
  }

  // Association members recorded again by their residential group a day or two later: counted once.
  const dupRng = rng.fork("duplicates");
  const associationRows = QUANG_CHAU_UNITS.filter((u) => u.kind === "association").flatMap((u) =>
    (drafts.get(u.id) ?? []).filter((d) => d.at > wallMs(LETTER_DAY, 18, 0)).map((d) => ({ unit: u.id, d })),
  );
  const picked = dupRng.shuffle(associationRows).slice(0, QUANG_CHAU_DUPLICATES);
  for (const { d } of picked) {
    const tdp = QUANG_CHAU_UNITS.find((u) => u.name === d.record.residence)!;
    const day = addDays(String(d.record.date).split("/").reverse().join("-"), dupRng.int(0, 1));
    // ISO dates compare as text; a copy made the day after the last day stays on the last day.
    const lastDay = day.localeCompare(campaign.end) > 0 ? campaign.end : day;
    const evening =
      lastDay === campaign.end
        ? wallMs(lastDay, 16, dupRng.int(0, 50))
        : wallMs(lastDay, dupRng.int(19, 22), dupRng.int(0, 59));
    const at = Math.max(d.at + 3_600_000, evening);
    drafts.get(tdp.id)!.push({
      // Never past the final 17:00 report, and always after the association's own recording.
      at: Math.min(at, Math.max(d.at + 60_000, wallMs(campaign.end, 16, 55))),
      record: { ...d.record, date: viDate(lastDay), supporter: dupRng.pick(tdpStaff(drafts.get(tdp.id)!)) },
    });
  }

  const rows = new Map<string, RowRecord[]>();
  for (const [id, list] of drafts) {
    list.sort((a, b) => a.at - b.at);
    rows.set(
      id,
      list.map((d) => ({ enteredAt: serialOf(d.at), ...d.record })),
    );
  }

  const totalBefore = QUANG_CHAU_UNITS.reduce((n, u) => n + u.before, 0);
  const totalFinal = QUANG_CHAU_UNITS.reduce((n, u) => n + u.before + u.after, 0);
  const tdpTargets = QUANG_CHAU_UNITS.filter((u) => u.kind === "residential-group").reduce(
    (n, u) => n + u.target,
    0,
  );
  if (totalBefore !== QUANG_CHAU_DONE_AT_LETTER || tdpTargets !== QUANG_CHAU_TARGET) {
    throw new Error(`Quảng Châu plan: ${totalBefore} before the letter, TDP targets ${tdpTargets}`);
  }

  const readme = [
    "# Ví dụ: Phường Quảng Châu — kích hoạt chữ ký số (“KHẨN”, 19/11/2024)",
    "",
    "Nguồn / source: `seeds/002_846a83f29f44a4a1.txt`.",
    "",
    "## Công văn nói gì / What the letter says",
    "",
    "Theo báo cáo của **VNPT Sầm Sơn**, phường mới đạt **25%** chỉ tiêu năm 2024, còn thiếu **khoảng 1.100 người**.",
    "Mỗi tổ chức Hội Nông dân, Hội Phụ nữ, Hội Cựu chiến binh, Đoàn Thanh niên kích hoạt **280 người/hội**; **8 tổ",
    "dân phố** ra quân từ **19h ngày 19/11/2024**; phải **hoàn thành xong trước ngày 25/11/2024**. Chiến dịch bắt đầu",
    "từ Công văn 5559/UBND-VHTT ngày 24/10/2024 của UBND thành phố Sầm Sơn.",
    "",
    `From 25% done and about 1.100 short, the ward's target is taken as ${viNumber(QUANG_CHAU_TARGET)} (367 done =`,
    "25,0%, 1.100 to go). The campaign runs 24/10/2024–24/11/2024 (the last day before the 25/11 deadline).",
    "",
    "**Line-list mode, and why**: the associations' 280 each (1.120 in all — the ward's whole shortfall) and the",
    "residential groups mobilise the same residents; an association member is also somebody's neighbour in a tổ",
    "dân phố. Counting figures per unit would count such people twice. A list of named citizens lets the ward",
    `count each person once: ${QUANG_CHAU_DUPLICATES} association members recorded again by their residential group show up as duplicates.`,
    "",
    "## Số liệu thật và số liệu giả lập / Real and synthetic data",
    "",
    "- **Thật / real**: 25%, about 1.100 short (hence 1.467 / 367), 280 per association, the four associations,",
    "  8 residential groups, 19h 19/11/2024, the 25/11/2024 deadline, Công văn 5559 of 24/10/2024, VNPT Sầm Sơn.",
    "- **Giả lập / synthetic**: the residential groups' names and their targets (a split of 1.467 by size), all",
    "  rows, the daily 17:00 reporting schedule (the letter sets none), bands (2 praised, 2 criticised), all",
    `  e-mail addresses (reserved \`.example\` domain: \`${DOMAIN}\`).`,
    "- Số định danh (mã tỉnh 038 Thanh Hóa) và số điện thoại là **ngẫu nhiên** từ bộ sinh số có hạt giống, hợp lệ",
    "  về cấu trúc nhưng **không thuộc về ai** / random, structurally valid, belonging to no one.",
    "",
    table(
      ["Đơn vị", "Loại", "Chỉ tiêu", "Đến 17h00 19/11", "Sau 19h00 19/11", "Cộng"],
      QUANG_CHAU_UNITS.map((u) => [
        u.name,
        u.kind,
        viNumber(u.target),
        u.before,
        u.after,
        u.before + u.after,
      ]),
    ),
    "",
    `Toàn phường / ward: chỉ tiêu ${viNumber(QUANG_CHAU_TARGET)}; ${viNumber(totalBefore)} người đến 17h00 19/11/2024 (25,0%);`,
    `${viNumber(totalFinal)} người đến 24/11/2024 (không tính ${QUANG_CHAU_DUPLICATES} dòng trùng / not counting the duplicates).`,
    "",
    "Replay the letter's day: `--now 2024-11-19T16:59:00+07:00`.",
    "",
    runSection("quang-chau"),
    "",
  ].join("\n");

  return { folder: "quang-chau", letter: "002_846a83f29f44a4a1.txt", campaign, units, rows, readme };
}

function tdpStaff(rows: Draft[]): string[] {
  return [...new Set(rows.map((d) => String(d.record.supporter)))];
}
