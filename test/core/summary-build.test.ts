import { describe, expect, it } from "vitest";
import { buildSummaryTabs, KIND_LABEL } from "../../functions/src/core/summary-build.ts";
import { type Standings, UnitKind, type UnitStanding } from "../../schemas/index.ts";
import { choDonCampaign, choDonStandings, villageStanding } from "../support/campaigns.ts";

const c = choDonCampaign();

const unit = (id: string, name: string, over: Partial<UnitStanding>) =>
  villageStanding(id, name, { rankOf: 2, ...over });

const s: Standings = choDonStandings({
  totals: {
    counts: { vneid: 40, signature: 30 },
    periodCounts: { vneid: 10, signature: 8 },
    target: 45,
    percent: 66.7,
    pace: 38.3,
    units: 2,
    reported: 1,
  },
  units: [
    unit("ban-cuon", "Thôn Bản Cuôn", {
      counts: { vneid: 30, signature: 27 },
      periodCounts: { vneid: 8, signature: 7 },
      target: 15,
      percent: 180,
      score: 180,
      band: "praise",
      trend: "up",
      previousRank: 2,
      late: 2,
    }),
    unit("na-pau", "Thôn Nà Pậu", {
      counts: { vneid: 10, signature: 3 },
      periodCounts: { vneid: 2, signature: 1 },
      percent: 10,
      score: 10,
      rank: 2,
      band: "criticise",
      trend: "down",
      previousRank: 1,
      reported: false,
      errors: 1,
      syncProblem:
        "Bảng tính của đơn vị bị xóa 18/20 dòng cùng lúc; dữ liệu cũ được giữ nguyên cho đến khi có xác nhận.",
    }),
  ],
  rollup: [
    {
      id: "cho-don",
      name: "Xã Chợ Đồn",
      kind: "commune",
      depth: 0,
      counts: { vneid: 40, signature: 30 },
      target: 45,
      percent: 66.7,
    },
    {
      id: "ban-cuon",
      name: "Thôn Bản Cuôn",
      kind: "village",
      depth: 1,
      counts: { vneid: 30, signature: 27 },
      target: 15,
      percent: 180,
    },
    {
      id: "na-pau",
      name: "Thôn Nà Pậu",
      kind: "village",
      depth: 1,
      counts: { vneid: 10, signature: 3 },
      target: 30,
      percent: 10,
    },
  ],
  issues: [
    {
      code: "citizen-id-province",
      severity: "error",
      unitId: "na-pau",
      row: 12,
      column: "E",
      header: "Số định danh cá nhân",
      message: "Dòng 12, cột E: 097123456789 có mã tỉnh 097 không tồn tại; gọi 0912345678.",
    },
    {
      code: "sheet-header",
      severity: "warning",
      unitId: "na-pau",
      row: 0,
      column: "",
      header: "",
      message: "Thiếu cột Ghi chú.",
    },
  ],
});

const tabs = buildSummaryTabs(c, s).tabs;
const tab = (name: string) => tabs.find((t) => t.name === name)!;

describe("buildSummaryTabs", () => {
  it("has the four leaders' tabs with the same title lines", () => {
    expect(tabs.map((t) => t.name)).toEqual(["Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu"]);
    for (const t of tabs) {
      expect(t.title).toEqual([
        "Chiến dịch 1 người hỗ trợ 15 người",
        "Số liệu tính đến 14:00 04/08/2025",
        "Kỳ báo cáo 2: từ 14:00 31/07/2025 đến trước 14:00 04/08/2025",
      ]);
      for (const r of t.rows) expect(r.cells).toHaveLength(t.columns.length);
    }
  });

  it("ranks with bands, trend symbols and numeric percents", () => {
    const t = tab("Xếp hạng");
    expect(t.columns.map((col) => col.header)).toEqual([
      "Hạng",
      "Đơn vị",
      "Loại đơn vị",
      "VNeID mức độ 2",
      "Chữ ký số công cộng",
      "Trong kỳ",
      "Chỉ tiêu",
      "Tỷ lệ (%)",
      "Tiến độ yêu cầu (%)",
      "Xu hướng",
      "Xếp loại",
      "Nhập muộn",
      "Lỗi",
      "Ghi chú",
    ]);
    expect(t.columns.filter((col) => col.format === "percent").map((col) => col.header)).toEqual([
      "Tỷ lệ (%)",
      "Tiến độ yêu cầu (%)",
    ]);
    expect(t.rows).toEqual([
      {
        band: "praise",
        cells: [1, "Thôn Bản Cuôn", "Thôn", 30, 27, 7, 15, 180, 38.3, "↑", "Biểu dương", 2, 0, ""],
      },
      {
        band: "criticise",
        cells: [
          2,
          "Thôn Nà Pậu",
          "Thôn",
          10,
          3,
          1,
          30,
          10,
          38.3,
          "↓",
          "Phê bình",
          0,
          1,
          "Bảng tính của đơn vị bị xóa 18/20 dòng cùng lúc; dữ liệu cũ được giữ nguyên cho đến khi có xác nhận.",
        ],
      },
    ]);
    // Percent measure: the chart compares the cumulative figure with the target.
    expect(t.chart).toEqual({ title: "Chữ ký số công cộng", categoryColumn: 1, seriesColumns: [4, 6] });
  });

  it("rolls up with indented children, bold parents and a total", () => {
    const t = tab("Tổng hợp");
    expect(t.columns.map((col) => col.header)).toEqual([
      "Đơn vị",
      "VNeID mức độ 2",
      "Chữ ký số công cộng",
      "Chỉ tiêu",
      "Tỷ lệ (%)",
    ]);
    expect(t.rows).toEqual([
      { cells: ["Xã Chợ Đồn", 40, 30, 45, 66.7], indent: 0, bold: true },
      { cells: ["Thôn Bản Cuôn", 30, 27, 15, 180], indent: 1 },
      { cells: ["Thôn Nà Pậu", 10, 3, 30, 10], indent: 1 },
      { cells: ["Tổng cộng", 40, 30, 45, 66.7], bold: true },
    ]);
  });

  it("lists who has not reported with the deadline and the sync problem", () => {
    expect(tab("Chưa báo cáo").rows).toEqual([
      {
        cells: [
          "Thôn Nà Pậu",
          "Thôn",
          "đến 14:00 thứ Hai, 04/08/2025",
          "Bảng tính của đơn vị bị xóa 18/20 dòng cùng lúc; dữ liệu cũ được giữ nguyên cho đến khi có xác nhận.",
        ],
      },
    ]);
  });

  it("lists data errors with masked digit runs", () => {
    expect(tab("Lỗi dữ liệu").rows).toEqual([
      {
        band: "criticise",
        cells: [
          "Thôn Nà Pậu",
          12,
          "E",
          "Lỗi",
          "Dòng 12, cột E: 097*******89 có mã tỉnh 097 không tồn tại; gọi 091*****78.",
        ],
      },
      { band: "behind", cells: ["Thôn Nà Pậu", null, "", "Cảnh báo", "Thiếu cột Ghi chú."] },
    ]);
  });

  it("charts the period figure alone when ranking by period", () => {
    const byPeriod = buildSummaryTabs(c, {
      ...s,
      ranking: { indicator: "signature", measure: "period" },
      units: s.units.map((u) => ({ ...u, target: null })),
    });
    expect(byPeriod.tabs[0]!.chart).toEqual({
      title: "Chữ ký số công cộng trong kỳ",
      categoryColumn: 1,
      seriesColumns: [5],
    });
  });

  it("labels every unit kind in Vietnamese", () => {
    for (const kind of UnitKind.options) expect(KIND_LABEL[kind]).toMatch(/^[A-ZĐÂ-Ỹ]/u);
    expect(KIND_LABEL["digital-team"]).toBe("Tổ công nghệ số cộng đồng");
    expect(KIND_LABEL["residential-group"]).toBe("Tổ dân phố");
  });
});
