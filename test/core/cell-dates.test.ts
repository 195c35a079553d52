import { describe, expect, it } from "vitest";
import { parseDateCell, parseInstantCell, serialFromWall } from "../../functions/src/core/cell-dates.ts";
import type { CellValue } from "../../schemas/index.ts";

const VN = "Asia/Ho_Chi_Minh";

describe("parseDateCell", () => {
  it.each<[CellValue, string]>([
    ["04/08/2025", "2025-08-04"],
    ["4/8/2025", "2025-08-04"],
    ["04-08-2025", "2025-08-04"],
    ["04.08.2025", "2025-08-04"],
    [" 28/07/2025 ", "2025-07-28"],
    ["29/02/2024", "2024-02-29"],
    ["04/08/2025 10:30", "2025-08-04"],
    [45870, "2025-08-01"],
    [45870.99, "2025-08-01"],
    [45870.5, "2025-08-01"],
    [45689, "2025-02-01"],
    [61, "1900-03-01"],
    ["2025-08-01", "2025-08-01"],
    ["2025-08-01T10:00:00", "2025-08-01"],
    ["2025-08-01T10:00:00+07:00", "2025-08-01"],
    // 20:00 UTC on 31/07 is already 03:00 on 01/08 in Vietnam.
    ["2025-07-31T20:00:00Z", "2025-08-01"],
    ["2025-07-31 20:00", "2025-07-31"],
  ])("%j → %s", (cell, expected) => {
    expect(parseDateCell(cell, VN)).toEqual({ ok: true, value: expected });
  });

  it.each<[CellValue, string]>([
    [null, "date-empty"],
    ["", "date-empty"],
    ["31/02/2025", "date-impossible"],
    ["29/02/2025", "date-impossible"],
    ["31/04/2025", "date-impossible"],
    ["04/13/2025", "date-impossible"],
    ["00/08/2025", "date-impossible"],
    ["2025-02-31", "date-impossible"],
    ["2025-02-31T10:00:00", "date-impossible"],
    ["04/08/1899", "date-out-of-range"],
    ["04/08/2101", "date-out-of-range"],
    [1, "date-out-of-range"],
    [0, "date-invalid"],
    [-5, "date-invalid"],
    ["04/08/25", "date-invalid"],
    ["04/08-2025", "date-invalid"],
    ["45870", "date-invalid"],
    ["hôm qua", "date-invalid"],
    ["=TODAY()", "date-formula"],
    ["-1", "date-formula"],
    [true, "date-invalid"],
  ])("%j is refused as %s", (cell, code) => {
    expect(parseDateCell(cell, VN)).toEqual({ ok: false, code });
  });

  it("does not depend on the machine's zone", () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ["UTC", "America/New_York", "Pacific/Kiritimati"]) {
        process.env.TZ = tz;
        expect(parseDateCell(45870, VN)).toEqual({ ok: true, value: "2025-08-01" });
        expect(parseDateCell("2025-07-31T20:00:00Z", VN)).toEqual({ ok: true, value: "2025-08-01" });
      }
    } finally {
      process.env.TZ = saved;
    }
  });
});

describe("parseInstantCell", () => {
  it.each<[CellValue, string]>([
    [
      serialFromWall({ year: 2025, month: 8, day: 4, hour: 13, minute: 59, second: 59 }),
      "2025-08-04T13:59:59.000+07:00",
    ],
    [45873.5, "2025-08-04T12:00:00.000+07:00"],
    ["04/08/2025 13:59:59", "2025-08-04T13:59:59.000+07:00"],
    ["4/8/2025 9:05", "2025-08-04T09:05:00.000+07:00"],
    ["04/08/2025 14h00", "2025-08-04T14:00:00.000+07:00"],
    ["04/08/2025", "2025-08-04T00:00:00.000+07:00"],
    ["2025-08-04T14:00:00", "2025-08-04T14:00:00.000+07:00"],
    ["2025-08-04T07:00:00Z", "2025-08-04T14:00:00.000+07:00"],
    ["2025-08-04T14:00:00.250+07:00", "2025-08-04T14:00:00.250+07:00"],
  ])("%j → %s", (cell, expected) => {
    expect(parseInstantCell(cell, VN)).toEqual({ ok: true, value: expected });
  });

  it.each<[CellValue, string]>([
    ["04/08/2025 24:00", "date-impossible"],
    ["04/08/2025 13:60", "date-impossible"],
    ["31/02/2025 10:00", "date-impossible"],
    ["bây giờ", "date-invalid"],
    ["=NOW()", "date-formula"],
    [null, "date-empty"],
  ])("%j is refused as %s", (cell, code) => {
    expect(parseInstantCell(cell, VN)).toEqual({ ok: false, code });
  });

  it("reads serial wall time in the campaign zone whatever the machine's zone", () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = "America/New_York";
      expect(parseInstantCell(45873.5, VN)).toEqual({ ok: true, value: "2025-08-04T12:00:00.000+07:00" });
      expect(parseInstantCell("04/08/2025 12:00", "UTC")).toEqual({
        ok: true,
        value: "2025-08-04T12:00:00.000Z",
      });
    } finally {
      process.env.TZ = saved;
    }
  });
});
