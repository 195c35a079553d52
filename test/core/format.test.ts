import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  compareVi,
  formatDeadline,
  formatViClock,
  formatViDate,
  formatViDateTime,
  formatViDecimal,
  formatViNumber,
  formatViPercent,
  roundTo,
  weekdayName,
} from "../../functions/src/core/format.ts";

describe("formatViNumber", () => {
  it.each([
    [19662, "19.662"],
    [1012, "1.012"],
    [84337, "84.337"],
    [-3, "-3"],
    [0, "0"],
    [999, "999"],
    [1000, "1.000"],
    [1234567, "1.234.567"],
    [-1234567, "-1.234.567"],
    [2.5, "3"],
    [-2.5, "-3"],
  ])("%d → %s", (n, s) => {
    expect(formatViNumber(n)).toBe(s);
  });

  it("refuses non-finite numbers", () => {
    expect(() => formatViNumber(Number.NaN)).toThrow(/Không thể hiển thị/);
  });
});

describe("formatViDecimal and formatViPercent", () => {
  it.each([
    [25.5, 1, "25,5"],
    [25, 1, "25,0"],
    [1234.56, 1, "1.234,6"],
    [1.005, 2, "1,01"],
    [25.55, 1, "25,6"],
    [-0.04, 1, "0,0"],
    [-3.25, 1, "-3,3"],
    [45.238, 0, "45"],
    [12345.678, 2, "12.345,68"],
  ])("%d (%d digits) → %s", (n, d, s) => {
    expect(formatViDecimal(n, d)).toBe(s);
  });

  it("percent appends the sign to a number already ×100", () => {
    expect(formatViPercent(25.5)).toBe("25,5%");
    expect(formatViPercent(100)).toBe("100,0%");
  });

  it("roundTo rounds half away from zero without binary artefacts", () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-1.005, 2)).toBe(-1.01);
    expect(roundTo(45.25, 1)).toBe(45.3);
  });
});

describe("dates", () => {
  it.each([
    ["2025-08-04", "04/08/2025"],
    ["2025-08-04T07:00:00.000Z", "04/08/2025"],
    ["2025-08-03T17:00:00.000Z", "04/08/2025"],
    ["2025-08-03T16:59:59.000Z", "03/08/2025"],
    ["2025-08-04T14:00:00+07:00", "04/08/2025"],
  ])("formatViDate(%s) = %s", (input, out) => {
    expect(formatViDate(input)).toBe(out);
  });

  it("converts Date and DateTime instants to Asia/Ho_Chi_Minh", () => {
    const at = new Date("2025-08-04T07:00:00Z");
    expect(formatViDateTime(at)).toBe("14:00 04/08/2025");
    expect(formatViDateTime(DateTime.fromJSDate(at, { zone: "America/New_York" }))).toBe("14:00 04/08/2025");
    expect(formatViClock(new Date("2025-02-23T09:00:00Z"))).toBe("16h00");
  });

  it.each([
    [1, "thứ Hai"],
    [2, "thứ Ba"],
    [3, "thứ Tư"],
    [4, "thứ Năm"],
    [5, "thứ Sáu"],
    [6, "thứ Bảy"],
    [7, "Chủ nhật"],
  ])("weekday %d is %s", (n, name) => {
    expect(weekdayName(n)).toBe(name);
  });

  it("rejects weekdays outside 1–7", () => {
    expect(() => weekdayName(0)).toThrow();
    expect(() => weekdayName(8)).toThrow();
  });

  it("formats deadlines as the reminders write them", () => {
    expect(formatDeadline(new Date("2025-08-04T07:00:00Z"))).toBe("14:00 thứ Hai, 04/08/2025");
    expect(formatDeadline("2025-02-23T16:00:00+07:00")).toBe("16:00 Chủ nhật, 23/02/2025");
  });
});

describe("compareVi", () => {
  it("orders names by Vietnamese collation", () => {
    const names = ["Đồng Nguyên", "Châu Khê", "Đông Ngàn", "Đình Bảng", "Dương Nội", "Phù Khê", "Ân Thi"];
    expect([...names].sort(compareVi)).toEqual([
      "Ân Thi",
      "Châu Khê",
      "Dương Nội",
      "Đình Bảng",
      "Đông Ngàn",
      "Đồng Nguyên",
      "Phù Khê",
    ]);
  });

  it("treats NFC and NFD spellings as equal", () => {
    expect(compareVi("Đồng Nguyên".normalize("NFD"), "Đồng Nguyên")).toBe(0);
  });
});
