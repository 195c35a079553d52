import { describe, expect, it } from "vitest";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { columnLetter, readHeader } from "../../functions/src/core/header.ts";
import { Campaign, type CellValue } from "../../schemas/index.ts";

const columns = inputColumns(
  Campaign.parse({
    id: "t",
    title: "T",
    issuer: "UBND xã Chợ Đồn",
    start: "2025-07-28",
    end: "2025-08-18",
    schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
    mode: "line-list",
    indicators: [{ key: "signature", label: "Chữ ký số công cộng" }],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 3, criticise: 2 },
    target: { rule: "explicit" },
  }),
);

const CANONICAL = columns.map((c) => c.label);

describe("columnLetter", () => {
  it.each([
    [0, "A"],
    [4, "E"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [51, "AZ"],
    [52, "BA"],
    [701, "ZZ"],
    [702, "AAA"],
  ])("%d → %s", (i, letter) => {
    expect(columnLetter(i)).toBe(letter);
  });

  it("refuses negative and fractional indices", () => {
    expect(() => columnLetter(-1)).toThrow(RangeError);
    expect(() => columnLetter(1.5)).toThrow(RangeError);
  });
});

describe("readHeader", () => {
  it("reads the template header as written", () => {
    const h = readHeader(CANONICAL, columns);
    expect([...h.index.entries()]).toEqual(columns.map((c, i) => [c.key, i]));
    expect(h).toMatchObject({ extras: [], missing: [], duplicates: [] });
  });

  it("matches NFD, case, spacing, hints and shuffled order, and keeps extra columns", () => {
    const header: CellValue[] = [
      "STT",
      "  SỐ CCCD ",
      "ho va ten nguoi dan".toUpperCase(),
      "Ngày hỗ trợ (dd/mm/yyyy) *".normalize("NFD"),
      null,
      "Người hỗ trợ:",
      "Chữ ký số công cộng".normalize("NFD"),
      "Thôn / Tổ dân phố",
      "SĐT",
      "Đơn vị cũ",
      42,
    ];
    const h = readHeader(header, columns);
    expect(Object.fromEntries(h.index)).toEqual({
      citizenId: 1,
      citizenName: 2,
      date: 3,
      supporter: 5,
      "ind:signature": 6,
      residence: 7,
      phone: 8,
    });
    expect(h.labels.get("citizenId")).toBe("SỐ CCCD");
    expect(h.labels.get("date")).toBe("Ngày hỗ trợ (dd/mm/yyyy) *");
    expect(h.extras).toEqual([
      { index: 0, label: "STT" },
      { index: 9, label: "Đơn vị cũ" },
      { index: 10, label: "42" },
    ]);
    expect(h.missing).toEqual([]);
  });

  it("reports missing required columns but not missing optional ones", () => {
    const header = CANONICAL.filter(
      (l) => l !== "Số định danh cá nhân" && l !== "Số điện thoại" && l !== "Ghi chú",
    );
    const h = readHeader(header, columns);
    expect(h.missing.map((c) => c.key)).toEqual(["citizenId"]);
    expect(h.index.has("phone")).toBe(false);
  });

  it("reads the label over an alias when both name one column, and reports the other", () => {
    const header = ["CCCD", ...CANONICAL];
    const h = readHeader(header, columns);
    expect(h.index.get("citizenId")).toBe(1 + CANONICAL.indexOf("Số định danh cá nhân"));
    expect(h.duplicates).toEqual([
      { column: columns.find((c) => c.key === "citizenId"), used: h.index.get("citizenId"), ignored: [0] },
    ]);
  });

  it("reads the leftmost of two identical headers", () => {
    const h = readHeader(["Ghi chú", ...CANONICAL], columns);
    expect(h.index.get("note")).toBe(0);
    expect(h.duplicates.map((d) => [d.column.key, d.used, d.ignored])).toEqual([
      ["note", 0, [CANONICAL.length]],
    ]);
  });
});
