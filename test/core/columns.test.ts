import { describe, expect, it } from "vitest";
import {
  BOOL_FALSE_CHOICE,
  BOOL_TRUE_CHOICE,
  BOOL_TRUE_SPELLINGS,
  inputColumns,
  readBoolCell,
} from "../../functions/src/core/columns.ts";
import { foldLabel } from "../../functions/src/core/vi-text.ts";
import { Campaign, type CampaignInput, type CellValue } from "../../schemas/index.ts";

function campaign(mode: "line-list" | "aggregate"): Campaign {
  const input: CampaignInput = {
    id: "cho-don",
    title: "Chiến dịch 1 người hỗ trợ 15 người",
    issuer: "UBND xã Chợ Đồn",
    start: "2025-07-28",
    end: "2025-08-18",
    schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
    mode,
    indicators: [
      { key: "signature", label: "Chữ ký số công cộng" },
      { key: "vneid2", label: "VNeID mức 2", short: "VNeID" },
    ],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 3, criticise: 2 },
    providers: ["VNPT", "Viettel"],
    target: { rule: "per-staff", perStaff: 15 },
  };
  return Campaign.parse(input);
}

describe("inputColumns", () => {
  it("lays out a line-list sheet in order", () => {
    const cols = inputColumns(campaign("line-list"));
    expect(cols.map((c) => [c.key, c.label, c.type, c.required])).toEqual([
      ["enteredAt", "Thời điểm nhập", "stamp", false],
      ["date", "Ngày hỗ trợ", "date", true],
      ["supporter", "Người hỗ trợ", "text", true],
      ["citizenName", "Họ và tên người dân", "text", true],
      ["citizenId", "Số định danh cá nhân", "id", true],
      ["phone", "Số điện thoại", "phone", false],
      ["residence", "Thôn/Tổ dân phố", "text", false],
      ["ind:signature", "Chữ ký số công cộng", "bool", true],
      ["ind:vneid2", "VNeID mức 2", "bool", true],
      ["provider", "Nhà cung cấp chữ ký số", "choice", false],
      ["note", "Ghi chú", "text", false],
    ]);
    const byKey = new Map(cols.map((c) => [c.key, c]));
    expect(byKey.get("enteredAt")?.protected).toBe(true);
    expect(byKey.get("enteredAt")?.help).toMatch(/tự ghi/);
    expect(byKey.get("provider")?.options).toEqual(["VNPT", "Viettel"]);
    expect(byKey.get("ind:signature")?.options).toEqual([BOOL_TRUE_CHOICE, BOOL_FALSE_CHOICE]);
    expect(byKey.get("ind:vneid2")?.aliases).toEqual(["VNeID"]);
    expect(byKey.get("citizenId")?.aliases).toEqual(
      expect.arrayContaining(["Số CCCD", "CCCD", "Căn cước", "Số căn cước", "Mã định danh"]),
    );
    expect(byKey.get("phone")?.aliases).toEqual(expect.arrayContaining(["SĐT", "Điện thoại"]));
  });

  it("lays out an aggregate sheet in order", () => {
    const cols = inputColumns(campaign("aggregate"));
    expect(cols.map((c) => [c.key, c.label, c.type])).toEqual([
      ["enteredAt", "Thời điểm nhập", "stamp"],
      ["reportDate", "Ngày báo cáo", "date"],
      ["ind:signature", "Chữ ký số công cộng", "count"],
      ["ind:vneid2", "VNeID mức 2", "count"],
      ["reporter", "Người báo cáo", "text"],
      ["note", "Ghi chú", "text"],
    ]);
    expect(cols.filter((c) => c.type === "count").every((c) => c.help === "số lũy kế")).toBe(true);
  });

  it.each(["line-list", "aggregate"] as const)("%s: no two labels or aliases fold alike", (mode) => {
    const seen = new Map<string, string>();
    for (const c of inputColumns(campaign(mode))) {
      for (const name of [c.label, ...c.aliases]) {
        const folded = foldLabel(name);
        expect(seen.get(folded) ?? c.key, `${name} in ${c.key}`).toBe(c.key);
        seen.set(folded, c.key);
      }
      expect(c.width).toBeGreaterThan(0);
      expect(c.help.length).toBeGreaterThan(0);
    }
  });
});

describe("readBoolCell", () => {
  it.each<[CellValue, boolean | null]>([
    ["Có", true],
    ["có", true],
    ["CÓ", true],
    ["Có".normalize("NFD"), true],
    ["x", true],
    ["X", true],
    ["✓", true],
    ["✔", true],
    ["yes", true],
    ["đã", true],
    [true, true],
    [1, true],
    ["", false],
    ["  ", false],
    [null, false],
    ["Không", false],
    ["không", false],
    [false, false],
    [0, false],
    ["2", null],
    [2, null],
    ["?", null],
    ["có lẽ", null],
  ])("%j → %s", (cell, expected) => {
    expect(readBoolCell(cell)).toBe(expected);
  });

  it("accepts its own dropdown choice", () => {
    expect(BOOL_TRUE_SPELLINGS).toContain(BOOL_TRUE_CHOICE);
    expect(readBoolCell(BOOL_FALSE_CHOICE)).toBe(false);
  });
});
