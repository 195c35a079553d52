// A deterministic synthetic province for the benchmark: units, a campaign, and each unit's input tab as the JSON
// body Sheets' `spreadsheets.values.batchGet` returns with valueRenderOption=UNFORMATTED_VALUE and
// dateTimeRenderOption=SERIAL_NUMBER. What a real sheet sends is mimicked: the stamp and date columns are
// date-formatted (serial numbers, a share of dates typed as text into cells that lost their format), the id
// and phone columns are formatted "@" (text), a cell left empty between filled ones is "" and trailing empty
// cells are omitted. Every figure is drawn from a seeded generator, so two runs build the same bytes.
import { serialFromWall } from "../functions/src/core/cell-dates.ts";
import { inputColumns } from "../functions/src/core/columns.ts";
import { Campaign, type CampaignInput, type Unit } from "../schemas/index.ts";
import { prng } from "../test/support/seeded-text.ts";

export const INPUT_TAB = "Nhập liệu";
const DAY_MS = 86_400_000;
const ZONE_OFFSET_MS = 7 * 3_600_000; // Asia/Ho_Chi_Minh, UTC+7 without DST

/** mulberry32: small, portable, seedable (the tests' generator, test/support/seeded-text.ts). */
export const createRng = prng;

const FAMILY = [
  "Nguyễn",
  "Trần",
  "Lê",
  "Phạm",
  "Hoàng",
  "Phan",
  "Vũ",
  "Đặng",
  "Bùi",
  "Đỗ",
  "Hồ",
  "Ngô",
  "Dương",
  "Lý",
  "Nông",
  "Ma",
  "Triệu",
  "Hà",
];
const MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thu", "Ngọc", "Thanh", "Quang", "Kim", "Xuân", "Hồng"];
const GIVEN = [
  "An",
  "Bình",
  "Chi",
  "Dũng",
  "Giang",
  "Hà",
  "Hải",
  "Hạnh",
  "Hòa",
  "Hùng",
  "Hương",
  "Khánh",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Quân",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trang",
  "Tuấn",
  "Vân",
  "Yến",
];
const PLACES = [
  "Bằng Lũng",
  "Nà Pài",
  "Bản Én",
  "Khuổi Cuồng",
  "Nà Chành",
  "Đông Kệt",
  "Bản Cuôn",
  "Pác Châm",
  "Phố Chợ",
  "Yên Thịnh",
  "Quảng Bạch",
  "Đồng Lạc",
  "Nam Cường",
  "Xuân Lạc",
  "Bình Trung",
  "Nghĩa Tá",
];
const PROVINCE_CODES = ["006", "019", "001", "020", "008", "004"];
const MOBILE = [
  "032",
  "033",
  "034",
  "035",
  "036",
  "037",
  "038",
  "039",
  "070",
  "076",
  "077",
  "081",
  "083",
  "085",
  "086",
  "088",
  "091",
  "094",
  "096",
  "097",
  "098",
];
const PROVIDERS = ["VNPT", "Viettel", "MobiFone", "FPT", "BKAV"];
const NOTES = ["Hỗ trợ tại nhà văn hóa thôn", "Người cao tuổi", "Phụ huynh học sinh", "Hộ cận nghèo"];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function personName(r: () => number): string {
  return `${pick(r, FAMILY)} ${pick(r, MIDDLE)} ${pick(r, GIVEN)}`;
}

/** Unit ids and names for `n` communes under one province root. */
function communeName(i: number): string {
  const base = PLACES[i % PLACES.length]!;
  const round = Math.floor(i / PLACES.length);
  return round === 0 ? `Xã ${base}` : `Xã ${base} ${round + 1}`;
}

/** The wall clock in Vietnam as a spreadsheet serial, like the stamp the Apps Script writes. */
function stampSerialOfMs(ms: number): number {
  const d = new Date(ms + ZONE_OFFSET_MS);
  return serialFromWall({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  });
}

function vnDayOfMs(ms: number): { y: number; m: number; d: number } {
  const d = new Date(ms + ZONE_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A JSON body as `values.batchGet` returns it for one range of one spreadsheet. */
function batchGetBody(spreadsheetId: string, values: unknown[][]): string {
  const lastCol = String.fromCharCode(64 + Math.max(...values.map((r) => r.length), 1));
  return JSON.stringify({
    spreadsheetId,
    valueRanges: [{ range: `'${INPUT_TAB}'!A1:${lastCol}${values.length}`, majorDimension: "ROWS", values }],
  });
}

/** Drops trailing empty cells as Sheets does; empties between filled cells stay as "". */
function trimRow(cells: unknown[]): unknown[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] === "" || cells[end - 1] === null || cells[end - 1] === undefined)) end--;
  return cells.slice(0, end).map((c) => (c === null || c === undefined ? "" : c));
}

export interface ProvinceSheets {
  campaign: Campaign;
  units: Unit[];
  /** The units that have a sheet, in the order of `bodies`. */
  reporting: Unit[];
  /** One batchGet response body per reporting unit, as the string the HTTP client receives. */
  bodies: string[];
  /** Data rows over all bodies (header rows excluded). */
  rows: number;
  /** Rows built to be invalid, and rows copying a citizen already recorded by another unit. */
  plantedInvalid: number;
  plantedDuplicates: number;
  /** The sync's clock: after every stamp, before the campaign's end. */
  now: Date;
}

export interface LineListOptions {
  communes: number;
  rowsPerCommune: number;
  invalidShare?: number;
  duplicateShare?: number;
  seed?: number;
}

export function lineListCampaign(): Campaign {
  const input: CampaignInput = {
    id: "bench-province-2025",
    title: "Chiến dịch “1 người hỗ trợ 15 người” toàn tỉnh",
    issuer: "UBND tỉnh (dữ liệu tổng hợp giả lập)",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2025-07-28",
    end: "2025-12-31",
    schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
    mode: "line-list",
    indicators: [
      { key: "vneid", label: "Định danh VNeID mức 2", short: "VNeID mức 2" },
      {
        key: "healthBook",
        label: "Tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID",
        short: "Sổ sức khỏe / BHYT",
      },
      { key: "signature", label: "Chữ ký số công cộng", short: "Chữ ký số" },
    ],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 3, criticise: 3, behindBelowPace: 0.8 },
    dedupeAcrossUnits: true,
    providers: PROVIDERS,
    report: {
      scope: "toàn tỉnh",
      praiseBy: "UBND tỉnh",
      criticiseBy: "Chủ tịch UBND tỉnh",
      unitNoun: "người",
    },
    target: { rule: "per-staff", perStaff: 15 },
  };
  return Campaign.parse(input);
}

/** Ways a planted row is wrong, in turn: each is an error the parser must report and not count. */
const INVALID_KINDS = [
  "id-length",
  "date-impossible",
  "phone-prefix",
  "name-empty",
  "date-after-end",
  "bool-invalid",
  "id-province",
] as const;

/**
 * `communes` units × `rowsPerCommune` rows. Stamps run from the campaign's start to `now`; the date helped is
 * the stamp's day or up to 3 days before. Valid citizen ids are unique across the province (a bijective
 * scramble of the row number), except the planted duplicates, which copy an id recorded by another unit.
 */
export function lineListProvince(opts: LineListOptions): ProvinceSheets {
  const invalidShare = opts.invalidShare ?? 0.02;
  const duplicateShare = opts.duplicateShare ?? 0.01;
  const r = createRng(opts.seed ?? 20250728);
  const campaign = lineListCampaign();
  const startMs = Date.parse("2025-07-28T07:00:00+07:00");
  const now = new Date("2025-11-20T09:00:00+07:00");
  const spanMs = now.getTime() - startMs - 3_600_000;

  const root: Unit = { id: "tinh", name: "Tỉnh (giả lập)", kind: "district", emails: [] };
  const units: Unit[] = [root];
  for (let i = 0; i < opts.communes; i++) {
    units.push({
      id: `xa-${String(i + 1).padStart(3, "0")}`,
      name: communeName(i),
      kind: "commune",
      parent: root.id,
      emails: [],
      // Targets around the rows entered, so ranks and bands spread.
      staff: Math.max(1, Math.round((opts.rowsPerCommune / 15) * (0.7 + r() * 0.8))),
      sheetId: `sheet-${String(i + 1).padStart(3, "0")}`,
    });
  }
  const reporting = units.slice(1);
  const header = inputColumns(campaign).map((c) => c.label);
  const bodies: string[] = [];
  let seq = 0;
  let plantedInvalid = 0;
  let plantedDuplicates = 0;
  // Ids already recorded, per unit index, to copy from another unit.
  const recorded: string[][] = [];

  for (const [u, unit] of reporting.entries()) {
    const supporters = Array.from({ length: Math.max(1, unit.staff ?? 1) }, () => personName(r));
    const residences = Array.from({ length: 6 }, (_, k) => `Thôn ${pick(r, PLACES)} ${k + 1}`);
    const ids: string[] = [];
    const rows: unknown[][] = [header];
    // Stamps grow down the sheet as rows are typed.
    const stamps = Array.from({ length: opts.rowsPerCommune }, () => startMs + Math.floor(r() * spanMs)).sort(
      (a, b) => a - b,
    );
    for (let k = 0; k < opts.rowsPerCommune; k++) {
      const atMs = stamps[k]!;
      const day = vnDayOfMs(atMs - Math.floor(r() * 4) * DAY_MS);
      const dayMs = Math.max(Date.UTC(day.y, day.m - 1, day.d), Date.UTC(2025, 6, 28));
      const dd = vnDayOfMs(dayMs - ZONE_OFFSET_MS);
      // Nine in ten dates are real date cells (serials); the rest were typed into cells formatted as text.
      let date: unknown =
        r() < 0.9
          ? serialFromWall({ year: dd.y, month: dd.m, day: dd.d })
          : `${pad2(dd.d)}/${pad2(dd.m)}/${dd.y}`;
      seq++;
      const scrambled = (seq * 7919 + 104_729) % 1_000_000;
      const birthYear = 1950 + Math.floor(r() * 58);
      const g = (birthYear >= 2000 ? 2 : 0) + (r() < 0.5 ? 0 : 1);
      let id = `${PROVINCE_CODES[Math.floor(seq / 1_000_000) % PROVINCE_CODES.length]}${g}${pad2(birthYear % 100)}${String(scrambled).padStart(6, "0")}`;
      let phone: unknown =
        r() < 0.85 ? `${pick(r, MOBILE)}${String(Math.floor(r() * 10_000_000)).padStart(7, "0")}` : "";
      let name = personName(r);
      const ind = [r() < 0.9, r() < 0.55, r() < 0.6];
      if (!ind.some(Boolean)) ind[0] = true;
      let bools: unknown[] = ind.map((b) => (b ? "Có" : ""));
      const roll = r();
      if (roll < invalidShare) {
        plantedInvalid++;
        switch (INVALID_KINDS[plantedInvalid % INVALID_KINDS.length]) {
          case "id-length":
            id = id.slice(0, 9);
            break;
          case "date-impossible":
            date = `31/02/${dd.y}`;
            break;
          case "phone-prefix":
            phone = "0123456789";
            break;
          case "name-empty":
            name = "";
            break;
          case "date-after-end":
            date = "15/01/2026";
            break;
          case "bool-invalid":
            bools = ["?", ...bools.slice(1)];
            break;
          case "id-province":
            id = `099${id.slice(3)}`;
            break;
        }
      } else if (roll < invalidShare + duplicateShare && u > 0) {
        // The same citizen, already recorded by an earlier unit (its first recording wins).
        const other = recorded[Math.floor(r() * u)]!;
        if (other.length > 0) {
          id = other[Math.floor(r() * other.length)]!;
          plantedDuplicates++;
        }
      } else {
        ids.push(id);
      }
      const provider = ind[2] ? pick(r, PROVIDERS) : "";
      const note = r() < 0.05 ? pick(r, NOTES) : "";
      rows.push(
        trimRow([
          stampSerialOfMs(atMs),
          date,
          pick(r, supporters),
          name,
          id,
          phone,
          pick(r, residences),
          ...bools,
          provider,
          note,
        ]),
      );
    }
    recorded.push(ids);
    bodies.push(batchGetBody(unit.sheetId ?? unit.id, rows));
  }
  return {
    campaign,
    units,
    reporting,
    bodies,
    rows: opts.communes * opts.rowsPerCommune,
    plantedInvalid,
    plantedDuplicates,
    now,
  };
}

export interface AggregateOptions {
  units: number;
  reportsPerUnit: number;
  /** Units per commune (communes are parents, the reporting units are their leaves). */
  perCommune?: number;
  invalidShare?: number;
  seed?: number;
}

export function aggregateCampaign(): Campaign {
  const input: CampaignInput = {
    id: "bench-aggregate-2025",
    title: "Báo cáo số liệu lũy kế hằng tuần toàn tỉnh",
    issuer: "UBND tỉnh (dữ liệu tổng hợp giả lập)",
    timezone: "Asia/Ho_Chi_Minh",
    start: "2025-01-06",
    end: "2025-12-28",
    schedule: { kind: "weekly", weekdays: [5], time: "16:00" },
    mode: "aggregate",
    indicators: [
      { key: "vneid", label: "Định danh VNeID mức 2", short: "VNeID mức 2" },
      {
        key: "healthBook",
        label: "Tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID",
        short: "Sổ sức khỏe / BHYT",
      },
      { key: "signature", label: "Chữ ký số công cộng", short: "Chữ ký số" },
    ],
    ranking: { indicator: "vneid", measure: "percent" },
    bands: { praise: 5, criticise: 5, behindBelowPace: 0.8 },
    report: {
      scope: "toàn tỉnh",
      praiseBy: "UBND tỉnh",
      criticiseBy: "Chủ tịch UBND tỉnh",
      unitNoun: "người",
    },
    target: { rule: "per-household", perHousehold: 1 },
  };
  return Campaign.parse(input);
}

/**
 * `units` villages under communes, each with `reportsPerUnit` weekly cumulative reports (Fridays, from the
 * campaign's first week). Counts are numbers, a share typed as Vietnamese text ("1.012"); invalid rows either
 * go down or hold an English decimal.
 */
export function aggregateProvince(opts: AggregateOptions): ProvinceSheets {
  const perCommune = opts.perCommune ?? 30;
  const invalidShare = opts.invalidShare ?? 0.02;
  const r = createRng(opts.seed ?? 20250106);
  const campaign = aggregateCampaign();
  const firstFriday = Date.UTC(2025, 0, 10);
  const now = new Date(firstFriday + opts.reportsPerUnit * 7 * DAY_MS - ZONE_OFFSET_MS + 2 * DAY_MS);

  const root: Unit = { id: "tinh", name: "Tỉnh (giả lập)", kind: "district", emails: [] };
  const units: Unit[] = [root];
  const reporting: Unit[] = [];
  const communes = Math.ceil(opts.units / perCommune);
  for (let c = 0; c < communes; c++) {
    const commune: Unit = {
      id: `xa-${String(c + 1).padStart(3, "0")}`,
      name: communeName(c),
      kind: "commune",
      parent: root.id,
      emails: [],
    };
    units.push(commune);
    for (let v = 0; v < perCommune && reporting.length < opts.units; v++) {
      const n = reporting.length + 1;
      const unit: Unit = {
        id: `thon-${String(n).padStart(4, "0")}`,
        name: `Thôn ${pick(r, PLACES)} ${n}`,
        kind: "village",
        parent: commune.id,
        emails: [],
        households: 200 + Math.floor(r() * 600),
        sheetId: `sheet-thon-${n}`,
      };
      units.push(unit);
      reporting.push(unit);
    }
  }
  const header = inputColumns(campaign).map((c) => c.label);
  const bodies: string[] = [];
  let plantedInvalid = 0;
  for (const unit of reporting) {
    const rows: unknown[][] = [header];
    const totals = [0, 0, 0];
    const reporter = personName(r);
    for (let k = 0; k < opts.reportsPerUnit; k++) {
      const dayUtc = firstFriday + k * 7 * DAY_MS;
      const d = new Date(dayUtc);
      const stampMs =
        dayUtc - ZONE_OFFSET_MS + (9 + Math.floor(r() * 5)) * 3_600_000 + Math.floor(r() * 3_600_000);
      for (let i = 0; i < 3; i++) totals[i]! += Math.floor(r() * (unit.households ?? 300) * 0.03);
      let counts: unknown[] = totals.map((t) => (r() < 0.15 ? formatThousands(t) : t));
      if (r() < invalidShare) {
        plantedInvalid++;
        counts =
          plantedInvalid % 2 === 0
            ? [Math.max(0, totals[0]! - 50), ...counts.slice(1)]
            : ["1.5", ...counts.slice(1)];
      }
      const date = serialFromWall({
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
      });
      rows.push(
        trimRow([stampSerialOfMs(stampMs), date, ...counts, reporter, r() < 0.05 ? pick(r, NOTES) : ""]),
      );
    }
    bodies.push(batchGetBody(unit.sheetId ?? unit.id, rows));
  }
  return {
    campaign,
    units,
    reporting,
    bodies,
    rows: reporting.length * opts.reportsPerUnit,
    plantedInvalid,
    plantedDuplicates: 0,
    now,
  };
}

function formatThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}
