// The leaders' tabs as plain tables; the .xlsx writer and the Sheets writer render them cell for cell.
//
// Conventions for renderers: a "percent" column holds the number already ×100 (45.2 means 45,2%), so it is shown
// with a Vietnamese decimal comma and a "%" sign, never multiplied again; "integer" cells use dot thousands.
// Empty cells are null.
import type { Band, Campaign, Standings, Trend, UnitKind } from "../../../schemas/index.ts";
import { formatDeadline, formatViDateTime, maskDigitRuns } from "./format.ts";
import { reportedUntil } from "./report.ts";
import type { SummaryCell, SummaryColumn, SummaryRow, SummaryTab, SummaryTabs } from "./summary.ts";

export const KIND_LABEL: Record<UnitKind, string> = {
  district: "Quận, huyện, thành phố",
  ward: "Phường",
  commune: "Xã",
  town: "Thị trấn",
  village: "Thôn",
  "residential-group": "Tổ dân phố",
  school: "Trường học",
  police: "Công an",
  department: "Phòng, ban, đơn vị",
  association: "Hội, đoàn thể",
  "digital-team": "Tổ công nghệ số cộng đồng",
  telecom: "Doanh nghiệp viễn thông",
  agency: "Cơ quan khác",
};

export const BAND_LABEL: Record<Band, string> = {
  praise: "Biểu dương",
  "on-track": "Đạt tiến độ",
  behind: "Chậm tiến độ",
  criticise: "Phê bình",
};

export const TREND_SYMBOL: Record<Trend, string> = { up: "↑", down: "↓", same: "→", new: "✱" };

export const TAB_RANKING = "Xếp hạng";
export const TAB_ROLLUP = "Tổng hợp";
export const TAB_NOT_REPORTED = "Chưa báo cáo";
export const TAB_ISSUES = "Lỗi dữ liệu";

const col = (header: string, format: SummaryColumn["format"], width: number): SummaryColumn => ({
  header,
  format,
  width,
});

function titleLines(c: Campaign, s: Standings): string[] {
  const zone = c.timezone;
  return [
    s.title,
    `Số liệu tính đến ${formatViDateTime(reportedUntil(s), zone)}`,
    `Kỳ báo cáo ${s.period.index + 1}: từ ${formatViDateTime(s.period.start, zone)} đến trước ${formatViDateTime(s.period.end, zone)}`,
  ];
}

function rankingTab(s: Standings, title: string[]): SummaryTab {
  const key = s.ranking.indicator;
  const columns: SummaryColumn[] = [
    col("Hạng", "integer", 6),
    col("Đơn vị", "text", 32),
    col("Loại đơn vị", "text", 18),
    ...s.indicators.map((i) => col(i.label, "integer", Math.max(12, Math.min(28, i.label.length)))),
    col("Trong kỳ", "integer", 10),
    col("Chỉ tiêu", "integer", 10),
    col("Tỷ lệ (%)", "percent", 10),
    col("Tiến độ yêu cầu (%)", "percent", 12),
    col("Xu hướng", "text", 9),
    col("Xếp loại", "text", 14),
    col("Nhập muộn", "integer", 10),
    col("Lỗi", "integer", 8),
    // A held or failed sync shows here too, so a unit that did report but is held is still visible.
    col("Ghi chú", "text", 40),
  ];
  const rows: SummaryRow[] = s.units.map((u) => ({
    band: u.band,
    cells: [
      u.rank,
      u.name,
      KIND_LABEL[u.kind],
      ...s.indicators.map((i) => u.counts[i.key] ?? 0),
      u.periodCounts[key] ?? 0,
      u.target,
      u.percent,
      u.pace,
      TREND_SYMBOL[u.trend],
      BAND_LABEL[u.band],
      u.late,
      u.errors,
      u.syncProblem ?? "",
    ],
  }));
  const firstIndicator = 3;
  const periodColumn = firstIndicator + s.indicators.length;
  const targetColumn = periodColumn + 1;
  const indicatorIndex = Math.max(
    0,
    s.indicators.findIndex((i) => i.key === key),
  );
  const figureColumn = s.ranking.measure === "period" ? periodColumn : firstIndicator + indicatorIndex;
  const hasTarget = s.units.some((u) => u.target !== null);
  const label = s.indicators[indicatorIndex]?.label ?? key;
  return {
    name: TAB_RANKING,
    title,
    columns,
    rows,
    chart: {
      title: s.ranking.measure === "period" ? `${label} trong kỳ` : label,
      categoryColumn: 1,
      seriesColumns: hasTarget ? [figureColumn, targetColumn] : [figureColumn],
    },
  };
}

function rollupTab(s: Standings, title: string[]): SummaryTab {
  const columns: SummaryColumn[] = [
    col("Đơn vị", "text", 36),
    ...s.indicators.map((i) => col(i.label, "integer", Math.max(12, Math.min(28, i.label.length)))),
    col("Chỉ tiêu", "integer", 10),
    col("Tỷ lệ (%)", "percent", 10),
  ];
  const rows: SummaryRow[] = s.rollup.map((r, i) => {
    const next = s.rollup[i + 1];
    const row: SummaryRow = {
      cells: [r.name, ...s.indicators.map((ind) => r.counts[ind.key] ?? 0), r.target, r.percent],
      indent: r.depth,
    };
    if (next !== undefined && next.depth > r.depth) row.bold = true;
    return row;
  });
  rows.push({
    bold: true,
    cells: [
      "Tổng cộng",
      ...s.indicators.map((ind) => s.totals.counts[ind.key] ?? 0),
      s.totals.target,
      s.totals.percent,
    ],
  });
  return { name: TAB_ROLLUP, title, columns, rows };
}

function notReportedTab(c: Campaign, s: Standings, title: string[]): SummaryTab {
  const due = `đến ${formatDeadline(s.period.end, c.timezone)}`;
  const rows: SummaryRow[] = s.units
    .filter((u) => !u.reported)
    .map((u) => ({ cells: [u.name, KIND_LABEL[u.kind], due, u.syncProblem ?? ""] }));
  return {
    name: TAB_NOT_REPORTED,
    title,
    columns: [
      col("Đơn vị", "text", 32),
      col("Loại", "text", 18),
      col("Kỳ báo cáo", "text", 30),
      col("Ghi chú", "text", 60),
    ],
    rows,
  };
}

function issuesTab(s: Standings, title: string[]): SummaryTab {
  const names = new Map<string, string>([
    ...s.rollup.map((r): [string, string] => [r.id, r.name]),
    ...s.units.map((u): [string, string] => [u.id, u.name]),
  ]);
  const rows: SummaryRow[] = s.issues.map((i) => {
    const cells: SummaryCell[] = [
      names.get(i.unitId) ?? i.unitId,
      i.row > 0 ? i.row : null,
      i.column,
      i.severity === "error" ? "Lỗi" : "Cảnh báo",
      maskDigitRuns(i.message),
    ];
    return i.severity === "error" ? { cells, band: "criticise" } : { cells, band: "behind" };
  });
  return {
    name: TAB_ISSUES,
    title,
    columns: [
      col("Đơn vị", "text", 32),
      col("Dòng", "integer", 7),
      col("Cột", "text", 6),
      col("Mức độ", "text", 10),
      col("Nội dung", "text", 90),
    ],
    rows,
  };
}

export function buildSummaryTabs(c: Campaign, s: Standings): SummaryTabs {
  const title = titleLines(c, s);
  return {
    tabs: [rankingTab(s, title), rollupTab(s, title), notReportedTab(c, s, title), issuesTab(s, title)],
  };
}
