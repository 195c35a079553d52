// The leaders' summary as an .xlsx (tong-hop.xlsx): one worksheet per SummaryTab, in order, with the chart
// exceljs cannot write added to the saved package afterwards.
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import { DondocError } from "../../core/errors.ts";
import { DEFAULT_ZONE } from "../../core/format.ts";
import {
  BAND_FILL,
  type ColumnFormat,
  type SummaryCell,
  type SummaryTab,
  type SummaryTabs,
} from "../../core/summary.ts";
import { fromCellValue, serialToDate } from "./cells.ts";
import { addBarChart, type BarChartSpec } from "./chart.ts";
import { saveWorkbook, ZIP_EPOCH } from "./save.ts";

/**
 * Number formats. [$-42A] is the Vietnamese locale tag. LibreOffice formats such cells with Vietnamese
 * separators whatever its own locale (19.662, 45,2%); Excel takes the separators from the reader's system
 * settings, so a vi-VN Excel shows 19.662 while an en-US one shows 19,662 — same value, the reader's
 * convention. Percent cells hold the number already ×100 (45.2 means 45,2%), so the "%" is a literal:
 * Excel's own % format would multiply by 100 again.
 */
export const NUMBER_FORMAT: Record<ColumnFormat, string | undefined> = {
  text: undefined,
  integer: "[$-42A]#,##0",
  percent: '[$-42A]0.0"%"',
  date: "dd/mm/yyyy",
  datetime: "dd/mm/yyyy hh:mm",
};

export const HEADER_FILL = "DDEBF7";
const THIN = { style: "thin" as const, color: { argb: "FFBFBFBF" } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Sheet rows of a tab's table: titles, one blank line, the header, the data. */
export function tableLayout(tab: SummaryTab): {
  headerRow: number;
  firstDataRow: number;
  lastDataRow: number;
} {
  const headerRow = tab.title.length === 0 ? 1 : tab.title.length + 2;
  return { headerRow, firstDataRow: headerRow + 1, lastDataRow: headerRow + tab.rows.length };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date or datetime cell's value: serials are written as they are; ISO text becomes the wall-clock time in
 * Vietnam (the only zone leaders read), as a Date whose UTC fields are that wall clock — the form exceljs
 * writes as the matching serial. Any other text stays text rather than being guessed at.
 */
function dateValue(cell: SummaryCell, format: "date" | "datetime"): ExcelJS.CellValue {
  if (typeof cell !== "string") return cell;
  const dt = ISO_DATE.test(cell)
    ? DateTime.fromISO(cell, { zone: "UTC" })
    : DateTime.fromISO(cell, { setZone: true }).setZone(DEFAULT_ZONE);
  if (!dt.isValid) return fromCellValue(cell);
  const wall = format === "date" ? dt.startOf("day") : dt;
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

function cellValue(cell: SummaryCell, format: ColumnFormat): ExcelJS.CellValue {
  if (format === "date" || format === "datetime") {
    return typeof cell === "number" ? serialToDate(cell) : dateValue(cell, format);
  }
  // fromCellValue keeps a leading "=" as text: summary text is data and never becomes a formula.
  return fromCellValue(cell);
}

function solid(rgb: string): ExcelJS.Fill {
  return { type: "pattern", pattern: "solid", fgColor: { argb: `FF${rgb}` } };
}

function writeTab(wb: ExcelJS.Workbook, tab: SummaryTab): ExcelJS.Worksheet {
  const { headerRow, firstDataRow } = tableLayout(tab);
  const ws = wb.addWorksheet(tab.name, { views: [{ state: "frozen", ySplit: headerRow }] });
  const width = tab.columns.length;

  tab.title.forEach((line, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = fromCellValue(line);
    cell.font = i === 0 ? { bold: true, size: 14 } : { italic: true };
  });

  tab.columns.forEach((column, i) => {
    ws.getColumn(i + 1).width = column.width;
    const cell = ws.getCell(headerRow, i + 1);
    cell.value = fromCellValue(column.header);
    cell.style = {
      font: { bold: true },
      fill: solid(HEADER_FILL),
      alignment: { wrapText: true, vertical: "middle", horizontal: "center" },
      border: BORDER,
    };
  });
  ws.getRow(headerRow).height = 32;
  // Leaders print these tabs: landscape A4, as wide as one page, the header repeated on every page.
  ws.pageSetup = {
    paperSize: 9,
    orientation: "landscape",
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
  };

  tab.rows.forEach((row, r) => {
    if (row.cells.length > width) {
      throw new DondocError(
        "summary-row-too-wide",
        `Dòng ${r + 1} của trang "${tab.name}" có ${row.cells.length} ô, nhiều hơn ${width} cột.`,
      );
    }
    const fillRgb = row.band === undefined ? null : BAND_FILL[row.band];
    const firstText = tab.columns.findIndex((c) => c.format === "text");
    tab.columns.forEach((column, c) => {
      const cell = ws.getCell(firstDataRow + r, c + 1);
      cell.value = cellValue(row.cells[c] ?? null, column.format);
      const numFmt = NUMBER_FORMAT[column.format];
      const indent = c === firstText && row.indent ? row.indent : 0;
      cell.style = {
        ...(numFmt === undefined ? {} : { numFmt }),
        ...(fillRgb === null ? {} : { fill: solid(fillRgb) }),
        ...(row.bold ? { font: { bold: true } } : {}),
        alignment: {
          vertical: "top",
          ...(column.format === "text" ? { wrapText: true } : {}),
          // Spreadsheet programs apply an indent only to left- (or right-) aligned text.
          ...(indent > 0 ? { horizontal: "left" as const, indent } : {}),
        },
        border: BORDER,
      };
    });
  });

  if (width > 0) {
    ws.autoFilter = {
      from: { row: headerRow, column: 1 },
      to: { row: headerRow + tab.rows.length, column: width },
    };
  }
  return ws;
}

function numberOrNull(v: SummaryCell | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The chart of a tab, placed right of its table from the header row down. */
export function chartSpecOf(tab: SummaryTab): BarChartSpec | null {
  const chart = tab.chart;
  if (chart === undefined || tab.rows.length === 0) return null;
  const { headerRow, firstDataRow, lastDataRow } = tableLayout(tab);
  const inTable = (c: number) => Number.isInteger(c) && c >= 0 && c < tab.columns.length;
  if (!inTable(chart.categoryColumn) || !chart.seriesColumns.every(inTable)) {
    throw new DondocError(
      "summary-chart-column",
      `Biểu đồ của trang "${tab.name}" trỏ tới cột không có trong bảng.`,
    );
  }
  const fromCol = tab.columns.length + 1;
  // Wide enough that each unit gets a readable bar group; capped so a province still fits on a screen or two.
  const widthCols = Math.min(30, Math.max(10, Math.ceil(tab.rows.length * 0.7)));
  return {
    sheetName: tab.name,
    title: chart.title,
    categories: { column: chart.categoryColumn + 1, firstRow: firstDataRow, lastRow: lastDataRow },
    categoryCache: tab.rows.map((r) => String(r.cells[chart.categoryColumn] ?? "")),
    series: chart.seriesColumns.map((c) => ({
      nameCell: { column: c + 1, row: headerRow },
      name: tab.columns[c]?.header ?? "",
      values: { column: c + 1, firstRow: firstDataRow, lastRow: lastDataRow },
      cache: tab.rows.map((r) => numberOrNull(r.cells[c])),
    })),
    anchor: { fromCol, fromRow: headerRow - 1, toCol: fromCol + widthCols, toRow: headerRow - 1 + 22 },
  };
}

export function buildSummaryWorkbook(tabs: SummaryTabs): ExcelJS.Workbook {
  const names = new Set<string>();
  for (const tab of tabs.tabs) {
    if (names.has(tab.name)) {
      throw new DondocError(
        "summary-duplicate-tab",
        `Trang "${tab.name}" xuất hiện hai lần trong bản tổng hợp.`,
      );
    }
    names.add(tab.name);
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = "dondoc";
  for (const tab of tabs.tabs) writeTab(wb, tab);
  return wb;
}

export interface SummaryWorkbookOptions {
  /** Document date; defaults to a fixed one so unchanged standings give an identical file. */
  modified?: Date;
}

/** Writes tong-hop.xlsx: the tabs in order, each tab's chart (if any) added to its sheet. */
export async function writeSummaryWorkbook(
  path: string,
  tabs: SummaryTabs,
  opts: SummaryWorkbookOptions = {},
): Promise<void> {
  const wb = buildSummaryWorkbook(tabs);
  const charts = tabs.tabs.map(chartSpecOf).filter((c): c is BarChartSpec => c !== null);
  await saveWorkbook(wb, path, {
    modified: opts.modified ?? ZIP_EPOCH,
    edit: async (zip) => {
      for (const chart of charts) await addBarChart(zip, chart);
    },
  });
}
