// Seed 001 (Chợ Đồn: reports every Monday and Thursday before 14:00, 28/07–18/08/2025) as the reminder and mail
// tests see it: the campaign, a handful of synthetic units, line-list entries and standings computed by the real
// core. Names and figures other than the schedule are synthetic.
import { DateTime } from "luxon";
import type { LineListEntry, UnitSyncState } from "../../functions/src/core/model.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import {
  Campaign,
  type CampaignInput,
  type RowIssue,
  type Standings,
  Unit,
  type UnitInput,
} from "../../schemas/index.ts";

export const ZONE = "Asia/Ho_Chi_Minh";

export const choDonInput = {
  id: "cho-don-2025",
  title: "Chiến dịch “1 người hỗ trợ 15 người”",
  issuer: "UBND xã Chợ Đồn",
  reference: "Kế hoạch số 08/KH-UBND ngày 21/7/2025",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  reminders: { offsetsHours: [24, 2], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 0 },
  mode: "line-list",
  indicators: [
    { key: "vneid", label: "Định danh điện tử mức 2" },
    { key: "health", label: "Tích hợp Sổ sức khỏe điện tử" },
    { key: "signature", label: "Chữ ký số công cộng" },
  ],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 1, criticise: 1 },
  target: { rule: "per-staff", perStaff: 15 },
  leaders: [
    { name: "Chủ tịch UBND xã", email: "chutich@chodon.example.vn" },
    { name: "Văn phòng UBND xã", email: "vanphong@chodon.example.vn" },
  ],
} satisfies CampaignInput;

export const choDon: Campaign = Campaign.parse(choDonInput);

export function campaignWith(overrides: Partial<CampaignInput>): Campaign {
  return Campaign.parse({ ...choDonInput, ...overrides });
}

const unitInputs: UnitInput[] = [
  {
    id: "thon-ban-tam",
    name: "Thôn Bản Tàm",
    kind: "village",
    staff: 2,
    emails: ["truongthon.bantam@example.vn"],
    sheetId: "1AbC-sheet_BanTam",
  },
  { id: "thon-na-pan", name: "Thôn Nà Pán", kind: "village", staff: 2, emails: ["napan@example.vn"] },
  { id: "thon-coc-pai", name: "Thôn Cốc Pái", kind: "village", staff: 2, emails: [] },
  {
    id: "truong-thcs",
    name: "Trường THCS Chợ Đồn",
    kind: "school",
    staff: 4,
    emails: ["thcs@example.vn", "hieutruong.thcs@example.vn"],
  },
  { id: "cong-an-xa", name: "Công an xã", kind: "police", staff: 3, emails: ["conganxa@example.vn"] },
];

export const choDonUnits: Unit[] = unitInputs.map((u) => Unit.parse(u));

export function at(iso: string): Date {
  const dt = DateTime.fromISO(iso, { zone: ZONE });
  if (!dt.isValid) throw new Error(`bad instant ${iso}`);
  return dt.toJSDate();
}

let seq = 0;

/** One citizen helped by `unitId`, entered at `enteredAt` (wall time in Chợ Đồn). */
export function helped(
  unitId: string,
  enteredAt: string,
  indicators = { vneid: true, health: true, signature: true },
): LineListEntry {
  seq += 1;
  const t = DateTime.fromISO(enteredAt, { zone: ZONE });
  return {
    mode: "line-list",
    key: `${unitId}~${seq.toString(16).padStart(64, "0")}`,
    unitId,
    row: seq + 1,
    enteredAt: t.toISO()!,
    firstSeenAt: t.toISO()!,
    idHash: seq.toString(16).padStart(64, "0"),
    idMasked: "001*******89",
    date: t.toISODate()!,
    supporter: "Nguyễn Văn Hỗ Trợ",
    residence: "Thôn Bản Tàm",
    indicators,
    provider: "VNPT",
  };
}

export function issue(
  unitId: string,
  row: number,
  column: string,
  header: string,
  message: string,
): RowIssue {
  return { code: "test-issue", severity: "error", unitId, row, column, header, message };
}

export function emptyState(unitId: string, extra: Partial<UnitSyncState> = {}): UnitSyncState {
  return {
    unitId,
    lastModified: null,
    lastSyncAt: null,
    issues: [],
    problem: null,
    confirmedPeriods: [],
    ...extra,
  };
}

export function standingsAt(
  asOf: Date,
  entries: LineListEntry[],
  options: { states?: UnitSyncState[]; issues?: RowIssue[]; campaign?: Campaign; units?: Unit[] } = {},
): Standings {
  const states = options.states ?? [];
  return computeStandings({
    campaign: options.campaign ?? choDon,
    units: options.units ?? choDonUnits,
    entries,
    unitStates: states,
    issues: options.issues ?? states.flatMap((s) => s.issues),
    asOf,
  }).standings;
}
