import { describe, expect, it } from "vitest";
import { foldLabel, foldText, isBlankText, stripDiacritics } from "../../functions/src/core/vi-text.ts";

describe("foldLabel", () => {
  it.each([
    ["Số định danh cá nhân", "so dinh danh ca nhan"],
    ["Số định danh cá nhân".normalize("NFD"), "so dinh danh ca nhan"],
    ["  SỐ   ĐỊNH DANH  CÁ NHÂN ", "so dinh danh ca nhan"],
    ["Ngày hỗ trợ (dd/mm/yyyy)", "ngay ho tro"],
    ["Họ và tên người dân *", "ho va ten nguoi dan"],
    ["Ghi chú:", "ghi chu"],
    ["Ngày hỗ trợ (dd/mm/yyyy) *:", "ngay ho tro"],
    ["Thôn / Tổ dân phố", "thon/to dan pho"],
    ["Thôn/Tổ dân phố", "thon/to dan pho"],
    ["Đắk Lắk", "dak lak"],
    ["Người\u00A0hỗ\u200B trợ\uFEFF", "nguoi ho tro"],
    ["Hòa", "hoa"],
    ["Hoà", "hoa"],
  ])("%j → %j", (input, expected) => {
    expect(foldLabel(input)).toBe(expected);
  });
});

describe("foldText", () => {
  it("keeps parentheses and trailing marks, which are part of a choice", () => {
    expect(foldText("Có (đã cài)")).toBe("co (da cai)");
    expect(foldText("VNPT*")).toBe("vnpt*");
  });
});

describe("stripDiacritics", () => {
  it("keeps case", () => {
    expect(stripDiacritics("Đình Bảng")).toBe("Dinh Bang");
  });
});

describe("isBlankText", () => {
  it.each([
    ["", true],
    [" \u00A0\u200B", true],
    ["x", false],
  ])("%j → %s", (s, expected) => {
    expect(isBlankText(s)).toBe(expected);
  });
});
