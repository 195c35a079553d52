import { describe, expect, it } from "vitest";
import { parseInstantCell } from "../../functions/src/core/cell-dates.ts";
import * as app from "../src/app.ts";
import { INPUT_TAB } from "../src/layout.ts";
import { formatStamp } from "../src/stamp.ts";
import { createFakes } from "./fakes.ts";
import { portsOf, provision, validLineRow } from "./helpers.ts";

function ready() {
  const f = createFakes("2025-08-04T06:59:58Z");
  provision(f);
  app.setup(portsOf(f), null);
  const sheet = f.ss.getSheetByName(INPUT_TAB)!;
  const edit = (firstRow: number, lastRow = firstRow) =>
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow, lastRow });
  return { f, sheet, edit };
}

describe("entered-time stamp", () => {
  it("stamps a filled row once, in Vietnam's time, readable by the server's parser", () => {
    const { f, sheet, edit } = ready();
    sheet.type(2, validLineRow(0));
    edit(2);
    const stamp = sheet.peek("A2").value;
    expect(stamp).toBe("04/08/2025 13:59:58");
    const read = parseInstantCell(stamp as string, "Asia/Ho_Chi_Minh");
    expect(read).toEqual({ ok: true, value: "2025-08-04T13:59:58.000+07:00" });

    // Corrected after the 14:00 cutoff: the row keeps its first time and so its period.
    f.clock.advance(60 * 60_000);
    sheet.getRange("D2").setValue("Trần Thị Bình (đã sửa)");
    edit(2);
    expect(sheet.peek("A2").value).toBe("04/08/2025 13:59:58");
  });

  it("stamps each newly filled row of a pasted block with the paste's time and leaves stamped rows alone", () => {
    const { f, sheet, edit } = ready();
    sheet.type(2, validLineRow(0));
    edit(2);
    f.clock.advance(5 * 60_000);
    for (let i = 1; i < 4; i++) sheet.type(2 + i, validLineRow(i));
    edit(2, 5);
    expect([2, 3, 4, 5].map((r) => sheet.getRange(r, 1).getValues()[0]![0])).toEqual([
      "04/08/2025 13:59:58",
      "04/08/2025 14:04:58",
      "04/08/2025 14:04:58",
      "04/08/2025 14:04:58",
    ]);
    // One batched write for the three stamps.
    expect(f.ss.rangeListCalls).toBe(2);
  });

  it("does not stamp the header, empty rows or rows holding only unticked checkboxes", () => {
    const { sheet, edit } = ready();
    sheet.type(3, [false, false, false], 8);
    edit(1, 4);
    for (const a1 of ["A1", "A2", "A3", "A4"]) expect(sheet.peek(a1).value).not.toMatch(/\d{2}\/\d{2}/);
  });

  it("removes the stamp of a row emptied entirely, so the next entry there gets its own time", () => {
    const { f, sheet, edit } = ready();
    sheet.type(2, validLineRow(0));
    edit(2);
    sheet.getRange(2, 2, 1, 11).clearContent();
    edit(2);
    expect(sheet.peek("A2").value).toBe("");
    f.clock.advance(24 * 60 * 60_000);
    sheet.type(2, validLineRow(7));
    edit(2);
    expect(sheet.peek("A2").value).toBe("05/08/2025 13:59:58");
  });

  it("ignores edits on other tabs", () => {
    const { f } = ready();
    const other = f.ss.insertSheet("Ghi chép riêng");
    other.type(2, ["x", "y"]);
    app.edited(portsOf(f, false), null, { tabName: "Ghi chép riêng", firstRow: 2, lastRow: 2 });
    expect(other.peek("A2").value).toBe("x");
    expect(f.scriptApp.timeTriggers()).toHaveLength(0);
  });

  it("formats wall times with zero padding", () => {
    expect(formatStamp({ year: 2025, month: 1, day: 2, hour: 3, minute: 4, second: 5 })).toBe(
      "02/01/2025 03:04:05",
    );
  });
});
