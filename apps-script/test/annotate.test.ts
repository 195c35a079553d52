import { describe, expect, it } from "vitest";
import { annotate, FILL } from "../src/annotate.ts";
import * as app from "../src/app.ts";
import { PROP, readChunked } from "../src/config.ts";
import { INPUT_TAB } from "../src/layout.ts";
import { CHO_DON, createFakes } from "./fakes.ts";
import { ingestLike, issue, portsOf, provision, validLineRow } from "./helpers.ts";

function ready() {
  const f = createFakes();
  provision(f);
  app.setup(portsOf(f), null);
  f.fetch.responder = ingestLike(CHO_DON, f.clock.now);
  return { f, sheet: f.ss.getSheetByName(INPUT_TAB)! };
}

describe("annotations from the server's answer", () => {
  it("turns returned errors into notes and red fills, and clears the cells once fixed", () => {
    const { f, sheet } = ready();
    sheet.type(2, validLineRow(0));
    sheet.type(3, validLineRow(1, { citizenId: "12345" }));
    sheet.type(4, validLineRow(2, { phone: "0123", date: "31/02/2025" }));
    sheet.peek("G9").note = "ghi chú riêng của thôn";
    sheet.peek("G9").background = "#00FF00";
    app.sendNow(portsOf(f), null);

    expect(sheet.peek("E3").background).toBe(FILL.error);
    expect(sheet.peek("E3").note).toMatch(/^Lỗi: Thôn Bản Duồng, dòng 3, cột E .*12 chữ số/);
    expect(sheet.peek("E3").note).toContain("dondoc kiểm tra lúc 13:30 04/08/2025");
    expect(sheet.peek("E3").note).not.toContain("12345");
    expect(sheet.peek("B4").background).toBe(FILL.error);
    expect(sheet.peek("F4").background).toBe(FILL.error);
    expect(sheet.peek("E2").background).toBeNull();
    expect(sheet.peek("E2").note).toBe("");

    // Row 3 fixed; row 4 fixed except the phone.
    sheet.getRange("E3").setValue("001203010099");
    sheet.getRange("B4").setValue("04/08/2025");
    app.sendNow(portsOf(f), null);
    expect(sheet.peek("E3").background).toBeNull();
    expect(sheet.peek("E3").note).toBe("");
    expect(sheet.peek("B4").background).toBeNull();
    expect(sheet.peek("F4").background).toBe(FILL.error);
    expect(readChunked(portsOf(f).props, PROP.annotated)).toBe("F4");
    // What the unit made itself is never touched.
    expect(sheet.peek("G9").note).toBe("ghi chú riêng của thôn");
    expect(sheet.peek("G9").background).toBe("#00FF00");
  });

  it("colours warnings yellow, puts row-level issues on the first input column, and restores header help", () => {
    const { f, sheet } = ready();
    const ports = portsOf(f);
    const helpB1 = sheet.peek("B1").note;
    annotate(
      ports,
      [
        issue(5, "F", "warning", "số điện thoại thiếu số 0 ở đầu"),
        issue(6, "", "warning", "chưa đánh dấu chỉ số nào"),
        issue(1, "B", "error", "cột trùng"),
        issue(0, "", "error", "thiếu cột bắt buộc"),
      ],
      {
        rowIssueCol: 2,
        checkedAt: "13:30 04/08/2025",
        baseline: () => ({ note: helpB1, background: "#DDEBF7" }),
      },
    );
    expect(sheet.peek("F5").background).toBe(FILL.warning);
    expect(sheet.peek("F5").note).toMatch(/^Cảnh báo: /);
    expect(sheet.peek("B6").background).toBe(FILL.warning);
    expect(sheet.peek("B1").background).toBe(FILL.error);

    const result = annotate(ports, [], {
      rowIssueCol: 2,
      checkedAt: "13:35 04/08/2025",
      baseline: (row) =>
        row === 1 ? { note: helpB1, background: "#DDEBF7" } : { note: "", background: null },
    });
    expect(result).toMatchObject({ marked: 0, cleared: 3 });
    expect(sheet.peek("B1").note).toBe(helpB1);
    expect(sheet.peek("B1").background).toBe("#DDEBF7");
    expect(sheet.peek("F5").background).toBeNull();
  });

  it("lists several problems of one cell in one note, errors first, and remembers thousands of cells", () => {
    const { f, sheet } = ready();
    const ports = portsOf(f);
    sheet.insertRowsAfter(1000, 2500);
    const many = Array.from({ length: 3000 }, (_, i) => issue(2 + i, "E", "error", "sai"));
    many.push(issue(2, "E", "warning", "đã thêm số 0"));
    annotate(ports, [many[3000]!, ...many], { rowIssueCol: 2, checkedAt: "13:30 04/08/2025" });
    expect(sheet.peek("E2").note.split("\n").slice(0, 2)).toEqual(["Lỗi: sai", "Cảnh báo: đã thêm số 0"]);
    expect(readChunked(ports.props, PROP.annotated).split(",")).toHaveLength(3000);
    annotate(ports, [], { rowIssueCol: 2, checkedAt: "13:31 04/08/2025" });
    expect(sheet.peek("E3001").background).toBeNull();
  });
});

describe("check my data now", () => {
  it("runs the server's validation locally and marks the same cells, without sending anything", () => {
    const { f, sheet } = ready();
    sheet.type(2, validLineRow(0));
    sheet.type(3, validLineRow(1, { citizenId: "12345" }));
    sheet.type(4, validLineRow(2, { "ind:vneid": false, "ind:healthBook": false, "ind:signature": false }));
    const message = app.check(portsOf(f), null);
    expect(f.fetch.requests).toHaveLength(0);
    // The row with no indicator ticked is only a warning, but it is not counted either.
    expect(message).toContain("Số dòng đã nhập: 3; số dòng hợp lệ: 1.");
    expect(message).toContain("Có 1 lỗi và 1 cảnh báo");
    expect(sheet.peek("E3").background).toBe(FILL.error);

    // The same sheet sent to the server-like ingest marks exactly the same cells.
    const local = readChunked(portsOf(f).props, PROP.annotated);
    app.sendNow(portsOf(f), null);
    expect(readChunked(portsOf(f).props, PROP.annotated)).toBe(local);

    sheet.getRange("E3").setValue("001203010099");
    expect(app.check(portsOf(f), null)).toContain("Đã bỏ đánh dấu 1 ô đã sửa đúng.");
    expect(sheet.peek("E3").background).toBeNull();
  });

  it("tells the unit to set up the tab when there is none", () => {
    const f = createFakes();
    provision(f);
    expect(app.check(portsOf(f), null)).toContain("Chọn menu Dondoc → Thiết lập / sửa bảng nhập liệu");
  });
});
