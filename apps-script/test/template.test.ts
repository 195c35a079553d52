import { describe, expect, it } from "vitest";
import { inputColumns } from "../../functions/src/core/columns.ts";
import * as app from "../src/app.ts";
import { INPUT_TAB } from "../src/layout.ts";
import { HANDLERS } from "../src/menu.ts";
import { AGGREGATE, CHO_DON, createFakes, ME } from "./fakes.ts";
import { portsOf, provision } from "./helpers.ts";

function setUp() {
  const f = createFakes();
  provision(f);
  const ports = portsOf(f);
  const message = app.setup(ports, null);
  const sheet = f.ss.getSheetByName(INPUT_TAB)!;
  return { f, ports, sheet, message };
}

describe("set up the input tab", () => {
  it("writes the campaign's headers in order, with help notes, on a frozen row", () => {
    const { f, sheet, message } = setUp();
    const labels = inputColumns(CHO_DON).map((c) => c.label);
    expect(sheet.getRange(1, 1, 1, labels.length).getValues()[0]).toEqual(labels);
    expect(sheet.peek("E1").note).toContain("12 chữ số");
    expect(sheet.getFrozenRows()).toBe(1);
    expect(f.ss.locale).toBe("vi_VN");
    expect(f.ss.timeZone).toBe("Asia/Ho_Chi_Minh");
    expect(sheet.peek("A1").background).toBe("#D9D9D9");
    expect(sheet.peek("B1").background).toBe("#DDEBF7");
    expect(message).toContain(`Đã tạo trang "${INPUT_TAB}" với 12 cột`);
  });

  it("puts checkboxes on indicator columns and dropdowns on choices, down to row 1000", () => {
    const { sheet } = setUp();
    for (const a1 of ["H2", "I500", "J1000"]) {
      expect(sheet.peek(a1).validation).toMatchObject({ criteria: "CHECKBOX", allowInvalid: false });
    }
    expect(sheet.peek("K2").validation).toMatchObject({
      criteria: "VALUE_IN_LIST",
      args: [["VNPT", "Viettel"], true],
      allowInvalid: false,
    });
    const date = sheet.peek("B2").validation!;
    expect(date.criteria).toBe("DATE_BETWEEN");
    // Wall midnight of the campaign's first and last day in Vietnam.
    expect((date.args as Date[]).map((d) => d.toISOString())).toEqual([
      "2025-07-27T17:00:00.000Z",
      "2025-08-17T17:00:00.000Z",
    ]);
    expect(sheet.peek("E2").validation).toMatchObject({ criteria: "CUSTOM_FORMULA", allowInvalid: true });
    expect(sheet.peek("E2").validation!.args[0] as string).toContain("LEN(E2)>=12");
    expect(sheet.peek("C2").validation).toBeNull();
  });

  it("formats id, phone and stamp columns as text and dates as dd/mm/yyyy", () => {
    const { sheet } = setUp();
    expect(sheet.peek("E2").numberFormat).toBe("@");
    expect(sheet.peek("F999").numberFormat).toBe("@");
    expect(sheet.peek("A2").numberFormat).toBe("@");
    expect(sheet.peek("B2").numberFormat).toBe("dd/mm/yyyy");
    expect(sheet.peek("H2").numberFormat).toBeNull();
  });

  it("protects the header row and the stamp column for everyone but the person who set it up", () => {
    const { f, sheet } = setUp();
    const protections = sheet.getProtections("RANGE");
    expect(protections.map((p) => p.getRange().getA1Notation()).sort()).toEqual(["A1:A1000", "A1:L1"]);
    for (const p of protections) {
      expect(p.editors).toEqual([ME]);
      expect(p.canDomainEdit()).toBe(false);
    }
    // Another editor of the file cannot type a stamp; the setup user (whose trigger writes stamps) can.
    f.ss.user = "giao-vien@example.com";
    expect(() => sheet.getRange("A5").setValue("01/08/2025 08:00:00")).toThrow(/protected/);
    expect(() => sheet.getRange("B5").setValue("01/08/2025")).not.toThrow();
    f.ss.user = ME;
    expect(() => sheet.getRange("A5").setValue("01/08/2025 08:00:00")).not.toThrow();
  });

  it("installs one on-edit trigger, and running setup again adds neither triggers nor protections", () => {
    const { f, ports } = setUp();
    app.setup(ports, null);
    const edits = f.scriptApp.triggers.filter((t) => t.eventType === "ON_EDIT");
    expect(edits.map((t) => t.handler)).toEqual([HANDLERS.edit]);
    expect(f.ss.getSheetByName(INPUT_TAB)!.getProtections("RANGE")).toHaveLength(2);
  });

  it("repairs a unit's own layout without moving its data", () => {
    const f = createFakes();
    provision(f);
    const sheet = f.ss.insertSheet(INPUT_TAB);
    // Reordered, aliased headers, an extra "STT" column, yes/no typed as text, no stamp or provider column.
    sheet.type(1, [
      "STT",
      "Họ tên",
      "Số CCCD",
      "Ngày",
      "Cán bộ hỗ trợ",
      "Định danh VNeID mức 2",
      "Sổ sức khỏe / BHYT",
      "Chữ ký số",
    ]);
    sheet.type(2, [1, "Trần Thị Bình", "001203004567", "04/08/2025", "Nguyễn Văn An", "Có", "x", "không"]);
    const message = app.setup(portsOf(f), null);

    expect(sheet.getRange(1, 1, 1, 8).getValues()[0]).toEqual([
      "STT",
      "Họ và tên người dân",
      "Số định danh cá nhân",
      "Ngày hỗ trợ",
      "Người hỗ trợ",
      "Định danh VNeID mức 2",
      "Tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID",
      "Chữ ký số công cộng",
    ]);
    expect(sheet.getRange(1, 9, 1, 5).getValues()[0]).toEqual([
      "Thời điểm nhập",
      "Số điện thoại",
      "Thôn/Tổ dân phố",
      "Nhà cung cấp chữ ký số",
      "Ghi chú",
    ]);
    expect(sheet.getRange(2, 1, 1, 5).getValues()[0]).toEqual([
      1,
      "Trần Thị Bình",
      "001203004567",
      "04/08/2025",
      "Nguyễn Văn An",
    ]);
    expect(sheet.getRange(2, 6, 1, 3).getValues()[0]).toEqual([true, true, false]);
    expect(sheet.peek("C2").numberFormat).toBe("@");
    expect(sheet.peek("F2").validation?.criteria).toBe("CHECKBOX");
    expect(sheet.peek("I5").numberFormat).toBe("@");
    expect(message).toContain("Đã thêm các cột còn thiếu ở cuối bảng: Thời điểm nhập");
    expect(message).toContain("Đã chuyển 3 ô Có/Không");
  });

  it("lays out an aggregate campaign with whole-number count columns", () => {
    const f = createFakes();
    provision(f, AGGREGATE);
    app.setup(portsOf(f), null);
    const sheet = f.ss.getSheetByName(INPUT_TAB)!;
    expect(sheet.getRange(1, 1, 1, 5).getValues()[0]).toEqual([
      "Thời điểm nhập",
      "Ngày báo cáo",
      "Số người có chữ ký số cá nhân",
      "Người báo cáo",
      "Ghi chú",
    ]);
    expect(sheet.peek("C2").validation).toMatchObject({
      criteria: "NUMBER_GREATER_THAN_OR_EQUAL_TO",
      args: [0],
    });
    expect(sheet.peek("C2").numberFormat).toBe("#,##0");
  });

  it("refuses to repair over protections the current user may not edit", () => {
    const { f, ports, sheet } = setUp();
    for (const p of sheet.getProtections("RANGE")) p.editable = false;
    expect(() => app.setup(ports, null)).toThrow(/Chỉ người đã thiết lập bảng lần đầu/);
    expect(f.ss.getSheetByName(INPUT_TAB)!.getProtections("RANGE")).toHaveLength(2);
  });
});
