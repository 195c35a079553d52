// Plain-text tables for the terminal. Vietnamese letters are precomposed (NFC), so one code point is one column.
import type { Band, Standings, Trend } from "../../../schemas/index.ts";
import { formatViDecimal, formatViNumber } from "../core/format.ts";
import { KIND_LABEL } from "../core/summary-build.ts";

export const BAND_TEXT: Record<Band, string> = {
  praise: "Biểu dương",
  "on-track": "Đạt tiến độ",
  behind: "Chậm tiến độ",
  criticise: "Phê bình",
};

const TREND_TEXT: Record<Trend, string> = { up: "↑", down: "↓", same: "→", new: "✱" };

function width(text: string): number {
  return [...text.normalize("NFC")].length;
}

export function renderTable(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const pad = (text: string, i: number) => {
    const gap = " ".repeat(widths[i]! - width(text));
    return rightAligned.has(i) ? gap + text : text + gap;
  };
  const line = (cells: string[]) => cells.map(pad).join("  ").trimEnd();
  return [line(headers), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function renderRanking(standings: Standings): string {
  const indicator = standings.indicators.find((i) => i.key === standings.ranking.indicator);
  const key = standings.ranking.indicator;
  const headers = [
    "Hạng",
    "Đơn vị",
    "Loại",
    indicator?.label ?? key,
    "Trong kỳ",
    "Chỉ tiêu",
    "Tỷ lệ",
    "",
    "Xếp loại",
  ];
  const rows = standings.units.map((u) => [
    `${u.rank}/${u.rankOf}`,
    u.name,
    KIND_LABEL[u.kind],
    formatViNumber(u.counts[key] ?? 0),
    formatViNumber(u.periodCounts[key] ?? 0),
    u.target === null ? "—" : formatViNumber(u.target),
    u.percent === null ? "—" : `${formatViDecimal(u.percent)}%`,
    TREND_TEXT[u.trend],
    BAND_TEXT[u.band] + (u.reported ? "" : " · chưa báo cáo") + (u.syncProblem ? " · ⚠" : ""),
  ]);
  const total = standings.totals;
  rows.push([
    "",
    "Tổng cộng",
    "",
    formatViNumber(total.counts[key] ?? 0),
    formatViNumber(total.periodCounts[key] ?? 0),
    total.target === null ? "—" : formatViNumber(total.target),
    total.percent === null ? "—" : `${formatViDecimal(total.percent)}%`,
    "",
    `${total.reported}/${total.units} đã báo cáo`,
  ]);
  return renderTable(headers, rows, new Set([0, 3, 4, 5, 6]));
}
