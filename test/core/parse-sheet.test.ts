import { describe, expect, it } from "vitest";
import type { AggregateEntry, LineListEntry, ParsedSheet, RawSheet } from "../../functions/src/core/model.ts";
import {
  ISSUE_MESSAGES,
  issueSeverity,
  type ParseSheetInput,
  parseSheet,
  quoteCellValue,
  renderIssueMessage,
  WITHHELD_VALUE,
} from "../../functions/src/core/parse-sheet.ts";
import { Campaign, type CampaignInput, type CellValue, type RowIssue, Unit } from "../../schemas/index.ts";

// A stand-in for the HMAC the adapters inject: deterministic, and never contains the id's digits in order.
function fakeHash(id: string): string {
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `h${h.toString(16).padStart(8, "0")}`;
}

const BASE: CampaignInput = {
  id: "cho-don",
  title: "Chiến dịch 1 người hỗ trợ 15 người",
  issuer: "UBND xã Chợ Đồn",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  mode: "line-list",
  indicators: [
    { key: "signature", label: "Chữ ký số công cộng" },
    { key: "vneid2", label: "VNeID mức 2" },
  ],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 3, criticise: 2 },
  providers: ["VNPT", "Viettel"],
  target: { rule: "per-staff", perStaff: 15 },
};
const LINE_LIST = Campaign.parse(BASE);
const AGGREGATE = Campaign.parse({
  ...BASE,
  id: "vinh-loc",
  mode: "aggregate",
  start: "2024-07-01",
  end: "2025-12-31",
  schedule: { kind: "monthly", days: [20], time: "16:00" },
});
const VILLAGE = Unit.parse({ id: "ban-duong-1", name: "Thôn Bản Duồng 1", kind: "village" });
const COMMUNE = Unit.parse({ id: "xa-tan-hoa", name: "Xã Tân Hòa", kind: "commune" });
/** Monday 04/08/2025 14:00 in Vietnam. */
const NOW = new Date("2025-08-04T07:00:00Z");

const LL_HEADER = [
  "Thời điểm nhập",
  "Ngày hỗ trợ",
  "Người hỗ trợ",
  "Họ và tên người dân",
  "Số định danh cá nhân",
  "Số điện thoại",
  "Thôn/Tổ dân phố",
  "Chữ ký số công cộng",
  "VNeID mức 2",
  "Nhà cung cấp chữ ký số",
  "Ghi chú",
];
const LL_KEYS = [
  "enteredAt",
  "date",
  "supporter",
  "citizenName",
  "citizenId",
  "phone",
  "residence",
  "signature",
  "vneid2",
  "provider",
  "note",
] as const;
type LlKey = (typeof LL_KEYS)[number];

const GOOD: Record<LlKey, CellValue> = {
  enteredAt: null,
  date: "04/08/2025",
  supporter: "Nguyễn Văn Hùng",
  citizenName: "Lò Thị Mai",
  citizenId: "001095012389",
  phone: "0912345678",
  residence: "Bản Duồng 1",
  signature: "Có",
  vneid2: "",
  provider: "VNPT",
  note: "",
};

function llRow(over: Partial<Record<LlKey, CellValue>> = {}): CellValue[] {
  const values = { ...GOOD, ...over };
  return LL_KEYS.map((k) => values[k]);
}

function sheet(header: CellValue[], rows: CellValue[][], unitId = VILLAGE.id): RawSheet {
  return { unitId, source: "test", header, rows };
}

function parseLl(rows: CellValue[][], extra: Partial<ParseSheetInput> = {}): ParsedSheet {
  return parseSheet({
    campaign: LINE_LIST,
    unit: VILLAGE,
    sheet: sheet(LL_HEADER, rows),
    now: NOW,
    hashId: fakeHash,
    ...extra,
  });
}

/** [code, severity, row, column, message] — the whole issue but unitId and header, which are checked apart. */
function brief(issues: RowIssue[]): [string, string, number, string, string][] {
  return issues.map((i) => [i.code, i.severity, i.row, i.column, i.message]);
}

const AT = (col: string, header: string, row = 2) =>
  `Thôn Bản Duồng 1, dòng ${row}, cột ${col} (${header}): `;
const ID = AT("E", "Số định danh cá nhân");
const DATE = AT("B", "Ngày hỗ trợ");
const PHONE = AT("F", "Số điện thoại");

describe("parseSheet, line-list: one row, one rule", () => {
  it("reads a good row into an entry without personal data", () => {
    const parsed = parseLl([llRow({ provider: "viettel", vneid2: "x" })]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.filledRows).toBe(1);
    expect(parsed.entries).toEqual<LineListEntry[]>([
      {
        mode: "line-list",
        key: `ban-duong-1~${fakeHash("001095012389")}`,
        unitId: "ban-duong-1",
        row: 2,
        enteredAt: null,
        firstSeenAt: "2025-08-04T14:00:00.000+07:00",
        idHash: fakeHash("001095012389"),
        idMasked: "001*******89",
        date: "2025-08-04",
        supporter: "Nguyễn Văn Hùng",
        residence: "Bản Duồng 1",
        indicators: { signature: true, vneid2: true },
        provider: "Viettel",
      },
    ]);
    const json = JSON.stringify(parsed);
    for (const secret of ["001095012389", "0912345678", "Lò Thị Mai"]) expect(json).not.toContain(secret);
  });

  type Case = [string, Partial<Record<LlKey, CellValue>>, [string, string, string, string][], boolean];
  // [what, cells, [code, severity, column, message], counted]
  const cases: Case[] = [
    // Citizen id
    [
      "id too short",
      { citizenId: "12345" },
      [["id-length", "error", "E", `${ID}số định danh phải có 12 chữ số (đang có 5).`]],
      false,
    ],
    [
      "11-digit id (leading zero lost) repaired with a warning",
      { citizenId: 27201000123 },
      [
        [
          "id-repaired",
          "warning",
          "E",
          `${ID}số định danh chỉ có 11 chữ số nên đã thêm số 0 ở đầu (bảng tính thường làm mất số 0 ở đầu); hãy kiểm tra lại và định dạng cột là văn bản (Text).`,
        ],
      ],
      true,
    ],
    [
      "10-digit number (two zeros lost) repaired with a warning",
      { citizenId: 1095012389 },
      [
        [
          "id-repaired",
          "warning",
          "E",
          `${ID}số định danh chỉ có 10 chữ số nên đã thêm 2 số 0 ở đầu (bảng tính thường làm mất số 0 ở đầu); hãy kiểm tra lại và định dạng cột là văn bản (Text).`,
        ],
      ],
      true,
    ],
    [
      "province code 097",
      { citizenId: "097201000123" },
      [
        [
          "id-province",
          "error",
          "E",
          `${ID}3 chữ số đầu của số định danh không phải mã tỉnh, thành phố hợp lệ (Thông tư 07/2016/TT-BCA); hãy kiểm tra lại.`,
        ],
      ],
      false,
    ],
    [
      "born 2012: 13 in 2025",
      { citizenId: "001212000123" },
      [
        [
          "id-under-age",
          "error",
          "E",
          `${ID}theo năm sinh trong số định danh, người dân chưa đủ 14 tuổi vào năm 2025; chỉ tính công dân từ đủ 14 tuổi.`,
        ],
      ],
      false,
    ],
    ["born 2011: 14 in 2025", { citizenId: "001211000123" }, [], true],
    ["id with spaces", { citizenId: "001 095 012 389" }, [], true],
    [
      "id with letters",
      { citizenId: "00109501238O" },
      [["id-not-digits", "error", "E", `${ID}số định danh chỉ được gồm chữ số.`]],
      false,
    ],
    [
      "id that looks like a formula",
      { citizenId: "=A1&B1" },
      [
        [
          "id-formula",
          "error",
          "E",
          `${ID}ô chứa công thức hoặc giống công thức; hãy nhập đủ 12 chữ số của số định danh.`,
        ],
      ],
      false,
    ],
    [
      "id missing",
      { citizenId: "" },
      [["required-empty", "error", "E", `${ID}chưa điền; đây là thông tin bắt buộc.`]],
      false,
    ],
    // Dates
    ["date as d/m/yyyy", { date: "4/8/2025" }, [], true],
    ["date as a serial number", { date: 45873 }, [], true],
    ["date as ISO", { date: "2025-08-04" }, [], true],
    [
      "31/02/2025",
      { date: "31/02/2025" },
      [["date-impossible", "error", "B", `${DATE}ngày "31/02/2025" không có trên lịch.`]],
      false,
    ],
    [
      "after the campaign",
      { date: "19/08/2025" },
      [["date-after-end", "error", "B", `${DATE}ngày 19/08/2025 sau ngày kết thúc chiến dịch (18/08/2025).`]],
      false,
    ],
    [
      "before the campaign",
      { date: "27/07/2025" },
      [
        [
          "date-before-start",
          "error",
          "B",
          `${DATE}ngày 27/07/2025 trước ngày bắt đầu chiến dịch (28/07/2025).`,
        ],
      ],
      false,
    ],
    [
      "tomorrow",
      { date: "05/08/2025" },
      [["date-future", "error", "B", `${DATE}ngày 05/08/2025 chưa đến (hôm nay là 04/08/2025).`]],
      false,
    ],
    [
      "unreadable date",
      { date: "hôm qua" },
      [
        [
          "date-invalid",
          "error",
          "B",
          `${DATE}không đọc được ngày "hôm qua"; hãy nhập theo dạng dd/mm/yyyy.`,
        ],
      ],
      false,
    ],
    [
      "formula in a date",
      { date: "=TODAY()" },
      [
        [
          "date-formula",
          "error",
          "B",
          `${DATE}"=TODAY()" là công thức hoặc giống công thức; hãy nhập ngày theo dạng dd/mm/yyyy.`,
        ],
      ],
      false,
    ],
    [
      "year out of range",
      { date: "04/08/2205" },
      [["date-out-of-range", "error", "B", `${DATE}năm của ngày "04/08/2205" phải từ 1900 đến 2100.`]],
      false,
    ],
    [
      "date missing",
      { date: null },
      [["required-empty", "error", "B", `${DATE}chưa điền; đây là thông tin bắt buộc.`]],
      false,
    ],
    // Phone
    ["+84 form", { phone: "+84 912 345 678" }, [], true],
    ["84 form", { phone: "84912345678" }, [], true],
    ["0 form with dots", { phone: "0912.345.678" }, [], true],
    ["0 form with dashes", { phone: "0912-345-678" }, [], true],
    ["no phone", { phone: "" }, [], true],
    [
      "phone as a number without its 0",
      { phone: 912345678 },
      [
        [
          "phone-repaired",
          "warning",
          "F",
          `${PHONE}số điện thoại thiếu số 0 ở đầu nên đã tự thêm; hãy kiểm tra lại và định dạng cột là văn bản (Text).`,
        ],
      ],
      true,
    ],
    [
      "old 11-digit mobile",
      { phone: "01682345678" },
      [
        [
          "phone-old-11-digit",
          "error",
          "F",
          `${PHONE}số di động 11 chữ số (đầu 01…) đã được chuyển sang 10 chữ số từ năm 2018 (ví dụ đầu 0168 thành 038); hãy nhập số mới.`,
        ],
      ],
      false,
    ],
    [
      "unknown prefix",
      { phone: "0612345678" },
      [
        [
          "phone-prefix",
          "error",
          "F",
          `${PHONE}đầu số không phải đầu số di động Việt Nam (03x, 05x, 07x, 08x, 09x); hãy kiểm tra lại.`,
        ],
      ],
      false,
    ],
    [
      "short phone",
      { phone: "091234567" },
      [["phone-length", "error", "F", `${PHONE}số điện thoại di động phải có 10 chữ số (đang có 9).`]],
      false,
    ],
    [
      "landline",
      { phone: "024 3825 1234" },
      [["phone-landline", "error", "F", `${PHONE}đây là số máy bàn; hãy nhập số di động.`]],
      false,
    ],
    [
      "letters in a phone",
      { phone: "0912 ba bốn năm" },
      [
        [
          "phone-not-digits",
          "error",
          "F",
          `${PHONE}số điện thoại chỉ được gồm chữ số (có thể viết +84 ở đầu).`,
        ],
      ],
      false,
    ],
    [
      "formula in a phone",
      { phone: "=0912345678" },
      [
        [
          "phone-formula",
          "error",
          "F",
          `${PHONE}ô chứa công thức hoặc giống công thức; hãy nhập số di động 10 chữ số, bắt đầu bằng 0.`,
        ],
      ],
      false,
    ],
    // Yes/no
    ...(["x", "X", "✓", "✔", "có", "đã", "yes", true, 1] as CellValue[]).map(
      (v): Case => [`yes spelled ${JSON.stringify(v)}`, { signature: v }, [], true],
    ),
    [
      "unreadable yes/no",
      { signature: "?" },
      [
        [
          "bool-invalid",
          "error",
          "H",
          `${AT("H", "Chữ ký số công cộng")}không hiểu "?"; chọn "Có" nếu đã hoàn thành, để trống nếu chưa.`,
        ],
      ],
      false,
    ],
    [
      "a phone typed into a yes/no cell is not quoted back",
      { vneid2: "0912 345 678" },
      [
        [
          "bool-invalid",
          "error",
          "I",
          `${AT("I", "VNeID mức 2")}không hiểu ${WITHHELD_VALUE}; chọn "Có" nếu đã hoàn thành, để trống nếu chưa.`,
        ],
      ],
      false,
    ],
    [
      "no indicator marked",
      { signature: "Không", vneid2: false },
      [
        [
          "no-indicator",
          "warning",
          "H",
          `${AT("H", "Chữ ký số công cộng")}chưa đánh dấu chỉ số nào; dòng này chưa được tính.`,
        ],
      ],
      false,
    ],
    // Provider
    ["provider in another case", { provider: "vnpt" }, [], true],
    ["no provider", { provider: null }, [], true],
    [
      "provider not offered",
      { provider: "MobiFone" },
      [
        [
          "provider-invalid",
          "error",
          "J",
          `${AT("J", "Nhà cung cấp chữ ký số")}"MobiFone" không có trong danh sách nhà cung cấp (VNPT, Viettel).`,
        ],
      ],
      false,
    ],
    // Required text and formula-looking text
    [
      "no supporter",
      { supporter: "  " },
      [["required-empty", "error", "C", `${AT("C", "Người hỗ trợ")}chưa điền; đây là thông tin bắt buộc.`]],
      false,
    ],
    [
      "no citizen name",
      { citizenName: null },
      [
        [
          "required-empty",
          "error",
          "D",
          `${AT("D", "Họ và tên người dân")}chưa điền; đây là thông tin bắt buộc.`,
        ],
      ],
      false,
    ],
    [
      "formula-looking text is kept as text",
      { supporter: '=HYPERLINK("x")', note: "+1 người", residence: "-" },
      [],
      true,
    ],
    // Stamp
    ["stamp within 5 minutes of now", { enteredAt: "04/08/2025 14:04:59" }, [], true],
    [
      "stamp 10 minutes ahead",
      { enteredAt: "04/08/2025 14:10" },
      [
        [
          "stamp-future",
          "error",
          "A",
          `${AT("A", "Thời điểm nhập")}thời điểm nhập 14:10 04/08/2025 ở sau thời điểm hiện tại (14:00 04/08/2025); cột này do hệ thống tự ghi, không sửa tay.`,
        ],
      ],
      false,
    ],
    [
      "unreadable stamp",
      { enteredAt: "sáng nay" },
      [
        [
          "stamp-invalid",
          "error",
          "A",
          `${AT("A", "Thời điểm nhập")}không đọc được thời điểm nhập "sáng nay"; cột này do hệ thống tự ghi, không sửa tay.`,
        ],
      ],
      false,
    ],
  ];

  it.each(cases)("%s", (_what, cells, expected, counted) => {
    const parsed = parseLl([llRow(cells)]);
    expect(brief(parsed.issues)).toEqual(expected.map(([code, sev, col, msg]) => [code, sev, 2, col, msg]));
    expect(parsed.entries).toHaveLength(counted ? 1 : 0);
    expect(parsed.filledRows).toBe(1);
    for (const issue of parsed.issues) {
      expect(issue.unitId).toBe("ban-duong-1");
      expect(issue.header).toBe(LL_HEADER[issue.column.charCodeAt(0) - 65]);
    }
  });

  it("keeps what the row says", () => {
    const [entry] = parseLl([
      llRow({ supporter: '=HYPERLINK("x")', enteredAt: "04/08/2025 13:30", citizenId: 27201000123 }),
    ]).entries as LineListEntry[];
    expect(entry).toMatchObject({
      supporter: '=HYPERLINK("x")',
      enteredAt: "2025-08-04T13:30:00.000+07:00",
      idMasked: "027*******23",
      idHash: fakeHash("027201000123"),
    });
  });

  it("reports every problem of a row, left to right", () => {
    const parsed = parseLl([
      llRow({ date: "31/02/2025", citizenId: "12345", phone: "0612345678", signature: "?" }),
    ]);
    expect(parsed.issues.map((i) => [i.code, i.column])).toEqual([
      ["date-impossible", "B"],
      ["id-length", "E"],
      ["phone-prefix", "F"],
      ["bool-invalid", "H"],
    ]);
    expect(parsed.entries).toEqual([]);
  });
});

describe("parseSheet, line-list: the sheet as a whole", () => {
  it("reports the same citizen twice on the later row, naming the earlier one", () => {
    const parsed = parseLl([
      llRow(),
      llRow({ citizenId: "079185000001" }),
      [],
      llRow({ citizenId: "001 095 012 389", supporter: "Hoàng Văn Tú" }),
    ]);
    expect(brief(parsed.issues)).toEqual([
      [
        "id-duplicate",
        "error",
        5,
        "E",
        `${AT("E", "Số định danh cá nhân", 5)}số định danh trùng với dòng 2; mỗi người dân chỉ ghi một dòng, hãy gộp hoặc xóa dòng này.`,
      ],
    ]);
    expect(parsed.entries.map((e) => e.row)).toEqual([2, 3]);
    expect(parsed.filledRows).toBe(3);
  });

  it("skips empty rows, and rows holding only a stamp or the unit's own columns", () => {
    const header = [...LL_HEADER, "STT"];
    const rows: CellValue[][] = [
      [...llRow(), 1],
      [null, "", "  ", null, null, null, null, null, null, null, null, 2],
      ["04/08/2025 10:00", null, null, null, null, null, null, null, null, null, null, 3],
      [],
      [...llRow({ citizenId: "079185000001" }), 5],
    ];
    const parsed = parseSheet({
      campaign: LINE_LIST,
      unit: VILLAGE,
      sheet: sheet(header, rows),
      now: NOW,
      hashId: fakeHash,
    });
    expect(parsed.issues).toEqual([]);
    expect(parsed.entries.map((e) => e.row)).toEqual([2, 6]);
    expect(parsed.filledRows).toBe(2);
  });

  it("skips template rows of unticked checkboxes (Google Sheets returns FALSE for them)", () => {
    const indicatorCount = LL_HEADER.length - 9;
    const checkboxes = (ticked: boolean) => Array.from({ length: indicatorCount }, () => ticked);
    const empty = [null, null, null, null, null, null, null, ...checkboxes(false)];
    const parsed = parseLl([llRow(), empty, empty, [null, null, null, null, null, null, null, false, true]]);
    expect(parsed.entries.map((e) => e.row)).toEqual([2]);
    // A ticked box is something typed: that row is read (and is missing its required cells).
    expect(parsed.filledRows).toBe(2);
    expect(parsed.issues.every((i) => i.row === 5)).toBe(true);
    expect(parsed.issues.length).toBeGreaterThan(0);
  });

  it("counts rows with errors as filled", () => {
    const parsed = parseLl([llRow({ citizenId: "1" }), llRow({ date: null, citizenId: "079185000001" })]);
    expect(parsed.entries).toEqual([]);
    expect(parsed.filledRows).toBe(2);
  });

  it("refuses a sheet that lacks a required column, with one issue per column", () => {
    const header = LL_HEADER.filter((h) => h !== "Số định danh cá nhân" && h !== "Số điện thoại");
    const rows = [llRow().filter((_, i) => i !== 4 && i !== 5)];
    const parsed = parseSheet({
      campaign: LINE_LIST,
      unit: VILLAGE,
      sheet: sheet(header, rows),
      now: NOW,
      hashId: fakeHash,
    });
    expect(parsed.issues).toEqual<RowIssue[]>([
      {
        code: "header-missing-column",
        severity: "error",
        unitId: "ban-duong-1",
        row: 1,
        column: "",
        header: "Số định danh cá nhân",
        message:
          'Thôn Bản Duồng 1, dòng 1: thiếu cột bắt buộc "Số định danh cá nhân" ở dòng tiêu đề; chưa đọc được dữ liệu của trang này.',
      },
    ]);
    expect(parsed.entries).toEqual([]);
    expect(parsed.filledRows).toBe(1);
  });

  it("reads NFD, retyped and shuffled headers, keeping extra columns, into the same entries", () => {
    const order = [10, 4, 0, 8, 1, 3, 2, 7, 6, 5, 9];
    const header: CellValue[] = [
      ...order.map((i, n) => {
        const label = LL_HEADER[i] ?? "";
        if (n % 3 === 0) return label.normalize("NFD");
        if (n % 3 === 1) return ` ${label.toUpperCase()} *`;
        return label;
      }),
      "Đơn vị cũ",
    ];
    header[1] = "Số CCCD";
    const rows = [llRow(), llRow({ citizenId: "079185000001", signature: "", vneid2: "x" })];
    const shuffled = rows.map((r) => [...order.map((i) => r[i] ?? null), "ghi thêm"]);
    const canonical = parseLl(rows);
    const parsed = parseSheet({
      campaign: LINE_LIST,
      unit: VILLAGE,
      sheet: sheet(header, shuffled),
      now: NOW,
      hashId: fakeHash,
    });
    expect(parsed.issues).toEqual([]);
    expect(parsed.entries).toEqual(canonical.entries);
    expect(canonical.entries).toHaveLength(2);
  });

  it("names columns by where the unit put them and as the unit wrote them", () => {
    const header = ["STT", ...LL_HEADER.map((h) => (h === "Số định danh cá nhân" ? "số cccd" : h))];
    const parsed = parseSheet({
      campaign: LINE_LIST,
      unit: VILLAGE,
      sheet: sheet(header, [[1, ...llRow({ citizenId: "12345" })]]),
      now: NOW,
      hashId: fakeHash,
    });
    expect(brief(parsed.issues)).toEqual([
      [
        "id-length",
        "error",
        2,
        "F",
        "Thôn Bản Duồng 1, dòng 2, cột F (số cccd): số định danh phải có 12 chữ số (đang có 5).",
      ],
    ]);
  });

  it("reports a column given twice on the header row and reads the one spelled as the template", () => {
    const header = [...LL_HEADER, "CCCD"];
    const parsed = parseSheet({
      campaign: LINE_LIST,
      unit: VILLAGE,
      sheet: sheet(header, [[...llRow(), "không đọc"]]),
      now: NOW,
      hashId: fakeHash,
    });
    expect(brief(parsed.issues)).toEqual([
      [
        "header-duplicate-column",
        "error",
        1,
        "L",
        'Thôn Bản Duồng 1, dòng 1, cột L (CCCD): cột này trùng với cột E ("Số định danh cá nhân") nên không được đọc; hãy đổi tên hoặc xóa một trong hai cột.',
      ],
    ]);
    expect(parsed.entries).toHaveLength(1);
  });

  it("never puts an id or a phone into a message, even a wrong one", () => {
    const ids: CellValue[] = [
      "12345678",
      "0010950123",
      "097201000123",
      "001212000123",
      "00109501238O",
      27201000123,
    ];
    const phones: CellValue[] = ["01682345678", "0612345678", "091234567", "024 3825 1234", 912345678];
    const rows = ids.map((citizenId, i) => llRow({ citizenId, phone: phones[i % phones.length] ?? null }));
    rows.push(
      llRow({ citizenId: "001095012389" }),
      llRow({ citizenId: "001095012389", signature: "0912345678" }),
    );
    const parsed = parseLl(rows);
    expect(parsed.issues.length).toBeGreaterThan(ids.length);
    for (const issue of parsed.issues) {
      expect(issue.message.replace(/[\s.\-+()']/g, "")).not.toMatch(/\d{8,}/);
    }
  });

  it("is deterministic", () => {
    const rows = [
      llRow(),
      llRow({ citizenId: "12345" }),
      llRow({ phone: 912345678, citizenId: "079185000001" }),
    ];
    expect(parseLl(rows)).toEqual(parseLl(rows));
  });

  it("gives the same result whatever the machine's zone", () => {
    const rows = [
      llRow({ enteredAt: 45873.25, date: 45873 }),
      llRow({
        citizenId: "079185000001",
        date: "2025-08-04T23:30:00+07:00",
        enteredAt: "2025-08-04T06:59:00Z",
      }),
      llRow({ citizenId: "027201000123", date: "05/08/2025" }),
    ];
    const saved = process.env.TZ;
    try {
      process.env.TZ = "Asia/Ho_Chi_Minh";
      const home = parseLl(rows);
      process.env.TZ = "America/New_York";
      const away = parseLl(rows);
      process.env.TZ = "UTC";
      const utc = parseLl(rows);
      expect(away).toEqual(home);
      expect(utc).toEqual(home);
      expect(home.entries.map((e) => [e.row, e.enteredAt])).toEqual([
        [2, "2025-08-04T06:00:00.000+07:00"],
        [3, "2025-08-04T13:59:00.000+07:00"],
      ]);
      expect(home.issues.map((i) => [i.row, i.code])).toEqual([[4, "date-future"]]);
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe("parseSheet, sheets read one after another", () => {
  // What every sheet of a campaign reads alike (columns, providers, a header row's match, today) is kept
  // between calls: a sheet must still be read by its own header, its campaign and its now.
  it("reads each sheet by its own header row", () => {
    const missing = LL_HEADER.filter((h) => h !== "Người hỗ trợ");
    const moved = ["STT", ...LL_HEADER];
    const rows = [llRow()];
    const first = parseLl(rows);
    const lacking = parseLl(rows, { sheet: sheet(missing, rows) });
    const shifted = parseLl(rows, {
      sheet: sheet(
        moved,
        rows.map((r) => [7, ...r]),
      ),
    });
    const again = parseLl(rows);
    expect(first.entries).toHaveLength(1);
    expect(lacking.entries).toEqual([]);
    expect(lacking.issues.map((i) => i.code)).toEqual(["header-missing-column"]);
    expect(shifted.issues).toEqual([]);
    expect(shifted.entries).toEqual(first.entries);
    expect(again).toEqual(first);
  });

  it("reads each sheet as of its own now", () => {
    const rows = [llRow({ date: "05/08/2025" })];
    const later = new Date("2025-08-06T02:00:00Z");
    const before = parseLl(rows);
    const after = parseLl(rows, { now: later });
    const beforeAgain = parseLl(rows);
    expect(before.issues.map((i) => i.code)).toEqual(["date-future"]);
    expect(after.issues).toEqual([]);
    expect(after.entries.map((e) => e.firstSeenAt)).toEqual(["2025-08-06T09:00:00.000+07:00"]);
    expect(beforeAgain).toEqual(before);
  });

  it("reads each sheet by its own campaign's providers and indicators", () => {
    const rows = [llRow({ provider: "MobiFone" })];
    const more = Campaign.parse({ ...BASE, providers: ["VNPT", "Viettel", "MobiFone"] });
    const fewer = Campaign.parse({
      ...BASE,
      indicators: [{ key: "signature", label: "Chữ ký số công cộng" }],
    });
    const refused = parseLl(rows);
    const taken = parseLl(rows, { campaign: more });
    const narrower = parseLl([llRow({ vneid2: "x" })], { campaign: fewer });
    expect(refused.entries).toEqual([]);
    expect(refused.issues).toHaveLength(1);
    expect(taken.issues).toEqual([]);
    expect(taken.entries.map((e) => (e as LineListEntry).provider)).toEqual(["MobiFone"]);
    expect(narrower.entries.map((e) => Object.keys((e as LineListEntry).indicators))).toEqual([
      ["signature"],
    ]);
    expect(parseLl(rows)).toEqual(refused);
  });
});

describe("parseSheet, replay", () => {
  const rows = [
    llRow({ enteredAt: "01/08/2025 09:00" }),
    llRow({ enteredAt: "04/08/2025 14:10", citizenId: "079185000001" }),
    llRow({ enteredAt: "10/08/2025 08:00", citizenId: "027201000123", date: "10/08/2025" }),
    llRow({ citizenId: "001211000123" }),
  ];

  it("skips rows stamped after now as not yet entered, without an issue", () => {
    const parsed = parseLl(rows, { replay: true });
    expect(parsed.issues).toEqual([]);
    expect(parsed.entries.map((e) => e.row)).toEqual([2, 5]);
    expect(parsed.notYetEntered).toBe(2);
    expect(parsed.filledRows).toBe(2);
  });

  it("treats the same stamps as errors outside a replay", () => {
    const parsed = parseLl(rows);
    expect(parsed.issues.map((i) => [i.row, i.code])).toEqual([
      [3, "stamp-future"],
      [4, "stamp-future"],
      [4, "date-future"],
    ]);
    expect(parsed.notYetEntered).toBe(0);
  });
});

describe("parseSheet, aggregate", () => {
  const AG_HEADER = [
    "Thời điểm nhập",
    "Ngày báo cáo",
    "Chữ ký số công cộng",
    "VNeID mức 2",
    "Người báo cáo",
    "Ghi chú",
  ];
  const AT_AG = (col: string, header: string, row = 2) => `Xã Tân Hòa, dòng ${row}, cột ${col} (${header}): `;
  const C = (row = 2) => AT_AG("C", "Chữ ký số công cộng", row);

  function agRow(
    date: CellValue,
    signature: CellValue,
    vneid: CellValue = 0,
    reporter: CellValue = "Lê Thị Hà",
  ): CellValue[] {
    return [null, date, signature, vneid, reporter, null];
  }
  function parseAg(rows: CellValue[][]): ParsedSheet {
    return parseSheet({
      campaign: AGGREGATE,
      unit: COMMUNE,
      sheet: sheet(AG_HEADER, rows, COMMUNE.id),
      now: NOW,
      hashId: fakeHash,
    });
  }

  it("reads Vietnamese figures into an entry", () => {
    const parsed = parseAg([agRow("20/07/2025", "1.012", "19.662")]);
    expect(parsed.issues).toEqual([]);
    expect(parsed.entries).toEqual<AggregateEntry[]>([
      {
        mode: "aggregate",
        key: "xa-tan-hoa~2025-07-20",
        unitId: "xa-tan-hoa",
        row: 2,
        enteredAt: null,
        firstSeenAt: "2025-08-04T14:00:00.000+07:00",
        reportDate: "2025-07-20",
        counts: { signature: 1012, vneid2: 19662 },
        reporter: "Lê Thị Hà",
        note: "",
      },
    ]);
  });

  it.each<[string, CellValue, string, string]>([
    ["negative", "-3", "count-negative", 'số lượng không được âm ("-3").'],
    ["negative number", -3, "count-negative", 'số lượng không được âm ("-3").'],
    ["fraction", "2,5", "count-not-whole", 'số lượng phải là số nguyên ("2,5").'],
    ["fraction number", 2.5, "count-not-whole", 'số lượng phải là số nguyên ("2,5").'],
    [
      "English decimal",
      "1.5",
      "count-ambiguous",
      '"1.5" không rõ là bao nhiêu: dấu chấm dùng để ngăn cách hàng nghìn (1.012), dấu phẩy cho phần thập phân.',
    ],
    ["formula", "=C2+1", "count-formula", '"=C2+1" là công thức hoặc giống công thức; hãy nhập số.'],
    ["words", "khoảng 50", "count-not-a-number", '"khoảng 50" không phải là số.'],
    ["empty", null, "count-empty", "chưa điền; đây là số lũy kế bắt buộc (nhập 0 nếu chưa có)."],
  ])("refuses a %s count", (_what, cell, code, detail) => {
    const parsed = parseAg([agRow("20/07/2025", cell)]);
    expect(brief(parsed.issues)).toEqual([[code, "error", 2, "C", `${C()}${detail}`]]);
    expect(parsed.entries).toEqual([]);
  });

  it("refuses a report date given twice, on the later row", () => {
    const parsed = parseAg([agRow("20/06/2025", 100), agRow("20/07/2025", 150), agRow("2025-07-20", 160)]);
    expect(brief(parsed.issues)).toEqual([
      [
        "report-date-duplicate",
        "error",
        4,
        "B",
        `${AT_AG("B", "Ngày báo cáo", 4)}ngày báo cáo 20/07/2025 đã có ở dòng 3; mỗi ngày báo cáo chỉ ghi một dòng.`,
      ],
    ]);
    expect(parsed.entries.map((e) => e.row)).toEqual([2, 3]);
  });

  it("refuses a cumulative figure that goes down, naming the previous figure, in date order", () => {
    const parsed = parseAg([
      agRow("20/07/2025", 708, 20),
      agRow("20/05/2025", 1012, 5),
      agRow("20/06/2025", 1015, 10),
    ]);
    expect(brief(parsed.issues)).toEqual([
      [
        "count-decreased",
        "error",
        2,
        "C",
        `${C()}số lũy kế 708 thấp hơn số đã báo cáo ngày 20/06/2025 (1.015, dòng 4); số lũy kế không được giảm.`,
      ],
    ]);
    expect(parsed.entries.map((e) => e.row)).toEqual([3, 4]);
  });

  it("compares with the last accepted report once one is refused", () => {
    const parsed = parseAg([agRow("20/05/2025", 500), agRow("20/06/2025", 400), agRow("20/07/2025", 450)]);
    expect(parsed.issues.map((i) => [i.row, i.code, i.message.split(": ")[1]])).toEqual([
      [
        3,
        "count-decreased",
        "số lũy kế 400 thấp hơn số đã báo cáo ngày 20/05/2025 (500, dòng 2); số lũy kế không được giảm.",
      ],
      [
        4,
        "count-decreased",
        "số lũy kế 450 thấp hơn số đã báo cáo ngày 20/05/2025 (500, dòng 2); số lũy kế không được giảm.",
      ],
    ]);
  });

  it("applies the date rules to report dates", () => {
    const parsed = parseAg([agRow("31/02/2025", 1), agRow("20/08/2025", 2), agRow("20/06/2024", 3)]);
    expect(parsed.issues.map((i) => [i.row, i.code])).toEqual([
      [2, "date-impossible"],
      [3, "date-future"],
      [4, "date-before-start"],
    ]);
  });

  it("lets the reporter be left empty", () => {
    expect(parseAg([agRow("20/07/2025", 1, 1, null)]).entries).toHaveLength(1);
  });
});

describe("message catalogue", () => {
  it("renders templates and refuses a missing parameter", () => {
    expect(renderIssueMessage("id-length", { digits: 5 })).toBe(
      "số định danh phải có 12 chữ số (đang có 5).",
    );
    expect(() => renderIssueMessage("id-length")).toThrow(/digits/);
  });

  it("fills every parameter of every template, in place, and only those", () => {
    for (const [code, template] of Object.entries(ISSUE_MESSAGES)) {
      const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      // Values that look like parameters themselves are not filled again.
      const params = Object.fromEntries(names.map((name, k) => [name, k === 0 ? "{x}" : `«${name}»`]));
      const expected = template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name]));
      expect(renderIssueMessage(code as keyof typeof ISSUE_MESSAGES, params), code).toBe(expected);
      if (names.length > 0)
        expect(() => renderIssueMessage(code as keyof typeof ISSUE_MESSAGES, {}), code).toThrow(names[0]);
    }
  });

  it("marks only repairs and unmarked rows as warnings", () => {
    const warnings = Object.keys(ISSUE_MESSAGES).filter(
      (c) => issueSeverity(c as keyof typeof ISSUE_MESSAGES) === "warning",
    );
    expect(warnings.sort()).toEqual(["id-repaired", "no-indicator", "phone-repaired"]);
  });

  it("has Vietnamese text in NFC", () => {
    for (const template of Object.values(ISSUE_MESSAGES)) expect(template).toBe(template.normalize("NFC"));
  });

  it.each<[CellValue, string]>([
    ["-3", '"-3"'],
    [2.5, '"2,5"'],
    [1012, '"1.012"'],
    ["31/02/2025", '"31/02/2025"'],
    ["04/08/2025 10:30:00", '"04/08/2025 10:30:00"'],
    ["0912.345.678", WITHHELD_VALUE],
    [1095012389, WITHHELD_VALUE],
    ["x".repeat(60), `"${"x".repeat(39)}…"`],
  ])("quotes %j as %s", (cell, quoted) => {
    expect(quoteCellValue(cell)).toBe(quoted);
  });
});
