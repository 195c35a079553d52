// The leaders' summary as plain tables, rendered identically by the .xlsx writer and the Sheets writer.
import type { Band } from "../../../schemas/index.ts";

export type ColumnFormat = "text" | "integer" | "percent" | "date" | "datetime";

export interface SummaryColumn {
  header: string;
  format: ColumnFormat;
  /** Width in characters. */
  width: number;
}

export type SummaryCell = string | number | null;

export interface SummaryRow {
  cells: SummaryCell[];
  /** Fill by band: praise green, behind yellow, criticise red; on-track none. */
  band?: Band;
  /** Totals and parent roll-up rows. */
  bold?: boolean;
  /** Indent level of the first text cell (roll-up tree). */
  indent?: number;
}

export interface SummaryChart {
  title: string;
  /** Column index (0-based) holding the category labels (unit names). */
  categoryColumn: number;
  /** Column indexes of the series (e.g. figure and target). */
  seriesColumns: number[];
}

export interface SummaryTab {
  /** Vietnamese tab name: "Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu". */
  name: string;
  /** Optional title lines above the table (campaign, as-of time). */
  title: string[];
  columns: SummaryColumn[];
  rows: SummaryRow[];
  chart?: SummaryChart;
}

export interface SummaryTabs {
  tabs: SummaryTab[];
}

/** Fill colours by band, as RGB hex, shared by both renderers. */
export const BAND_FILL: Record<Band, string | null> = {
  praise: "C6EFCE",
  "on-track": null,
  behind: "FFEB9C",
  criticise: "FFC7CE",
};

export const ERROR_FILL = "FFC7CE";
