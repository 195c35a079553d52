// The leaders' summary spreadsheet, written with exactly one spreadsheets.batchUpdate per publish and no read:
// the tabs' sheetIds, chart ids and protected-range ids are chosen by dondoc (stable per tab name) and kept in
// PublisherState, so every request can address its target without asking the spreadsheet first. Only when
// Google refuses the batch (state lost, a tab deleted by hand) is the layout read once and the batch rebuilt.
//
// Cells go in through updateCells with typed userEnteredValue (stringValue / numberValue): a unit name typed
// as "=IMPORTXML(…)" is stored as text and never evaluated — the batchUpdate equivalent of RAW input.
import type { sheets_v4 } from "@googleapis/sheets";
import type { Standings } from "../../../../schemas/index.ts";
import type { SummaryPublisher } from "../../core/ports.ts";
import {
  BAND_FILL,
  type ColumnFormat,
  type SummaryRow,
  type SummaryTab,
  type SummaryTabs,
} from "../../core/summary.ts";
import { CALL_OPTIONS } from "./auth.ts";
import { hexToColor } from "./colors.ts";
import type { PersistedState } from "./drive.ts";
import { type CallPolicy, guardedCall } from "./quota.ts";
import { googleErrorStatus, googleFailure } from "./retry.ts";

/** The drafted paragraph for the next official letter gets its own tab, one paragraph per row. */
export const REPORT_TAB = "Báo cáo";
export const PROTECTION_DESCRIPTION = "dondoc: trang tổng hợp tự động, chỉ hệ thống được sửa";

const HEADER_FILL = "D9E1F2";
const CHART_WIDTH_PX = 720;
const CHART_HEIGHT_PX = 400;
/** Columns left free right of a charted table, so the chart's anchor and body fall inside the grid. */
const CHART_COLUMNS = 9;

export interface PublishedTab {
  sheetId: number;
  protectedRangeId: number | null;
  chartId: number | null;
}

export interface PublisherState {
  version: 1;
  /** locale vi_VN and the campaign zone were set on the spreadsheet (so "#,##0" shows 19.662). */
  localeSet: boolean;
  tabs: Record<string, PublishedTab>;
}

export interface GoogleSummaryPublisherOptions extends CallPolicy {
  sheets: sheets_v4.Sheets;
  spreadsheetId: string;
  state: PersistedState<PublisherState>;
  /** The only account allowed to edit the generated tabs: the service account itself. */
  editorEmail: string;
  locale?: string;
  timeZone?: string;
}

/** FNV-1a, folded into the positive int32 range Sheets accepts for ids; stable across runs and machines. */
export function stableId(...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const ch of new TextEncoder().encode(parts.join("\u0000"))) {
    h ^= ch;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Keep clear of 0 (a new spreadsheet's first tab) and of small ids Sheets hands out itself.
  return 1_000_000 + (h % 2_000_000_000);
}

const NUMBER_FORMATS: Record<ColumnFormat, sheets_v4.Schema$NumberFormat | null> = {
  text: null,
  // With the spreadsheet locale vi_VN the grouping separator is shown as a dot: 19.662.
  integer: { type: "NUMBER", pattern: "#,##0" },
  // Percent columns already hold ×100 values (45.2 means 45,2 %): a literal sign, never Sheets' ×100 format.
  percent: { type: "NUMBER", pattern: '0.0"%"' },
  date: { type: "DATE", pattern: "dd/mm/yyyy" },
  datetime: { type: "DATE_TIME", pattern: "dd/mm/yyyy hh:mm" },
};

function cellValue(v: string | number | null, indent: number): sheets_v4.Schema$ExtendedValue | undefined {
  if (v === null) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? { numberValue: v } : undefined;
  // Sheets has no indent property; leading spaces show the roll-up tree the way the .xlsx indent does.
  return { stringValue: indent > 0 ? `${"    ".repeat(indent)}${v}` : v };
}

function px(widthChars: number): number {
  return Math.round(widthChars * 7 + 5);
}

interface TabLayout {
  headerRow: number;
  rowCount: number;
  columnCount: number;
  frozenRows: number;
}

function layoutOf(tab: SummaryTab): TabLayout {
  const headerRow = tab.title.length;
  // One spare row: Sheets refuses to freeze every row of a grid (an empty table would otherwise be all header).
  const rowCount = headerRow + 1 + tab.rows.length + 1;
  const columnCount = Math.max(1, tab.columns.length) + (tab.chart ? CHART_COLUMNS : 0);
  return { headerRow, rowCount, columnCount, frozenRows: headerRow + 1 };
}

function rowData(tab: SummaryTab): sheets_v4.Schema$RowData[] {
  const rows: sheets_v4.Schema$RowData[] = tab.title.map((line, i) => ({
    values: [
      {
        userEnteredValue: { stringValue: line },
        userEnteredFormat: { textFormat: { bold: i === 0, fontSize: i === 0 ? 13 : 10 } },
      },
    ],
  }));
  rows.push({
    values: tab.columns.map((c) => ({
      userEnteredValue: { stringValue: c.header },
      userEnteredFormat: {
        backgroundColor: hexToColor(HEADER_FILL),
        textFormat: { bold: true },
        wrapStrategy: "WRAP",
        verticalAlignment: "MIDDLE",
        horizontalAlignment: "CENTER",
      },
    })),
  });
  for (const row of tab.rows) rows.push({ values: dataCells(tab, row) });
  return rows;
}

function dataCells(tab: SummaryTab, row: SummaryRow): sheets_v4.Schema$CellData[] {
  const fill = row.band ? BAND_FILL[row.band] : null;
  return tab.columns.map((col, i) => {
    const value = cellValue(row.cells[i] ?? null, i === 0 ? (row.indent ?? 0) : 0);
    const format: sheets_v4.Schema$CellFormat = { verticalAlignment: "TOP" };
    const numberFormat = NUMBER_FORMATS[col.format];
    if (numberFormat) format.numberFormat = numberFormat;
    if (fill) format.backgroundColor = hexToColor(fill);
    if (row.bold) format.textFormat = { bold: true };
    // Long texts (messages, the report) wrap instead of spilling over their neighbours.
    if (col.format === "text" && col.width >= 40) format.wrapStrategy = "WRAP";
    const cell: sheets_v4.Schema$CellData = { userEnteredFormat: format };
    if (value) cell.userEnteredValue = value;
    return cell;
  });
}

function widthRequests(sheetId: number, tab: SummaryTab): sheets_v4.Schema$Request[] {
  const out: sheets_v4.Schema$Request[] = [];
  let start = 0;
  while (start < tab.columns.length) {
    const size = px(tab.columns[start]!.width);
    let end = start + 1;
    while (end < tab.columns.length && px(tab.columns[end]!.width) === size) end++;
    out.push({
      updateDimensionProperties: {
        range: { sheetId, dimension: "COLUMNS", startIndex: start, endIndex: end },
        properties: { pixelSize: size },
        fields: "pixelSize",
      },
    });
    start = end;
  }
  return out;
}

function chartSpec(sheetId: number, tab: SummaryTab, layout: TabLayout): sheets_v4.Schema$ChartSpec | null {
  const chart = tab.chart;
  if (!chart || tab.rows.length === 0) return null;
  const source = (column: number): sheets_v4.Schema$ChartData => ({
    sourceRange: {
      sources: [
        {
          sheetId,
          startRowIndex: layout.headerRow,
          endRowIndex: layout.headerRow + 1 + tab.rows.length,
          startColumnIndex: column,
          endColumnIndex: column + 1,
        },
      ],
    },
  });
  return {
    title: chart.title,
    basicChart: {
      chartType: "COLUMN",
      legendPosition: "BOTTOM_LEGEND",
      headerCount: 1,
      axis: [
        { position: "BOTTOM_AXIS", title: tab.columns[chart.categoryColumn]?.header ?? "" },
        { position: "LEFT_AXIS", title: "Số người" },
      ],
      domains: [{ domain: source(chart.categoryColumn) }],
      series: chart.seriesColumns.map((c) => ({ series: source(c), targetAxis: "LEFT_AXIS" })),
    },
  };
}

/** The leaders' tabs plus the report tab, in the order they are shown. */
export function publishedTabs(tabs: SummaryTabs, standings: Standings, report: string): SummaryTab[] {
  const paragraphs = report.split(/\n/).map((line) => ({ cells: [line] }));
  const reportTab: SummaryTab = {
    name: REPORT_TAB,
    title: [standings.title, "Dự thảo nội dung báo cáo (hệ thống tự soạn; cán bộ rà soát trước khi sử dụng)"],
    columns: [{ header: "Nội dung", format: "text", width: 120 }],
    rows: paragraphs,
  };
  return [...tabs.tabs, reportTab];
}

/** The one batch that brings the spreadsheet from `state` to `tabs`, and the state it leaves behind. */
export function buildPublishBatch(
  tabs: readonly SummaryTab[],
  state: PublisherState,
  opts: { editorEmail: string; locale: string; timeZone: string },
): { requests: sheets_v4.Schema$Request[]; next: PublisherState } {
  const requests: sheets_v4.Schema$Request[] = [];
  const next: PublisherState = { version: 1, localeSet: true, tabs: {} };
  if (!state.localeSet) {
    requests.push({
      updateSpreadsheetProperties: {
        properties: { locale: opts.locale, timeZone: opts.timeZone },
        fields: "locale,timeZone",
      },
    });
  }
  const wanted = new Set(tabs.map((t) => t.name));
  for (const [name, old] of Object.entries(state.tabs)) {
    if (!wanted.has(name)) requests.push({ deleteSheet: { sheetId: old.sheetId } });
  }
  tabs.forEach((tab, index) => {
    const old = state.tabs[tab.name];
    const sheetId = old?.sheetId ?? stableId("tab", tab.name);
    const layout = layoutOf(tab);
    const gridProperties = {
      rowCount: layout.rowCount,
      columnCount: layout.columnCount,
      frozenRowCount: layout.frozenRows,
    };
    if (old) {
      requests.push({
        updateSheetProperties: {
          properties: { sheetId, title: tab.name, index, gridProperties },
          fields: "title,index,gridProperties(rowCount,columnCount,frozenRowCount)",
        },
      });
    } else {
      requests.push({ addSheet: { properties: { sheetId, title: tab.name, index, gridProperties } } });
    }
    // The range is the whole (just resized) grid: cells not in `rows` are cleared, so no separate clear.
    requests.push({
      updateCells: {
        range: { sheetId },
        rows: rowData(tab),
        fields: "userEnteredValue,userEnteredFormat,note",
      },
    });
    requests.push(...widthRequests(sheetId, tab));
    let protectedRangeId = old?.protectedRangeId ?? null;
    if (protectedRangeId === null) {
      protectedRangeId = stableId("protect", tab.name);
      requests.push({
        addProtectedRange: {
          protectedRange: {
            protectedRangeId,
            range: { sheetId },
            description: PROTECTION_DESCRIPTION,
            warningOnly: false,
            editors: { users: [opts.editorEmail] },
          },
        },
      });
    }
    if (old?.chartId != null) requests.push({ deleteEmbeddedObject: { objectId: old.chartId } });
    let chartId: number | null = null;
    const spec = chartSpec(sheetId, tab, layout);
    if (spec) {
      // Alternate between two ids: the old chart is deleted earlier in the same batch, but an id is never reused
      // within one batch, which keeps the request valid whatever order Google checks ids in.
      const a = stableId("chart-a", tab.name);
      chartId = old?.chartId === a ? stableId("chart-b", tab.name) : a;
      requests.push({
        addChart: {
          chart: {
            chartId,
            spec,
            position: {
              overlayPosition: {
                anchorCell: { sheetId, rowIndex: layout.headerRow, columnIndex: tab.columns.length + 1 },
                widthPixels: CHART_WIDTH_PX,
                heightPixels: CHART_HEIGHT_PX,
              },
            },
          },
        },
      });
    }
    next.tabs[tab.name] = { sheetId, protectedRangeId, chartId };
  });
  return { requests, next };
}

const LAYOUT_FIELDS =
  "properties(locale,timeZone),sheets(properties(sheetId,title),charts(chartId),protectedRanges(protectedRangeId,description,range(sheetId)))";

/** Rebuilds the state from the spreadsheet itself (after a refused batch). */
export function stateFromSpreadsheet(
  ss: sheets_v4.Schema$Spreadsheet,
  names: readonly string[],
  locale: string,
): PublisherState {
  const state: PublisherState = { version: 1, localeSet: ss.properties?.locale === locale, tabs: {} };
  for (const sheet of ss.sheets ?? []) {
    const title = sheet.properties?.title;
    const sheetId = sheet.properties?.sheetId;
    if (!title || sheetId == null || !names.includes(title)) continue;
    const protection = (sheet.protectedRanges ?? []).find(
      (p) => p.description === PROTECTION_DESCRIPTION && (p.range?.sheetId ?? 0) === sheetId,
    );
    state.tabs[title] = {
      sheetId,
      protectedRangeId: protection?.protectedRangeId ?? null,
      // Charts on a protected generated tab can only be ours; keep the first, the rebuild replaces it.
      chartId: sheet.charts?.[0]?.chartId ?? null,
    };
  }
  return state;
}

export class GoogleSummaryPublisher implements SummaryPublisher {
  private readonly opts: GoogleSummaryPublisherOptions;
  private readonly policy: CallPolicy;

  constructor(opts: GoogleSummaryPublisherOptions) {
    this.opts = opts;
    this.policy = { quota: opts.quota, retry: opts.retry };
  }

  async publish(tabs: SummaryTabs, standings: Standings, report: string): Promise<void> {
    const all = publishedTabs(tabs, standings, report);
    const saved = await this.opts.state.load();
    let state = saved ?? { version: 1 as const, localeSet: false, tabs: {} };
    let { requests, next } = this.batch(all, state);
    try {
      await this.send(requests);
    } catch (e) {
      // A 400 means our picture of the spreadsheet is wrong (state lost, a tab or chart removed by hand):
      // look once, rebuild, and try again. Anything else is reported as is.
      if (googleErrorStatus(e) !== 400) throw this.failure(e);
      state = stateFromSpreadsheet(
        await this.readLayout(),
        all.map((t) => t.name),
        this.locale,
      );
      ({ requests, next } = this.batch(all, state));
      try {
        await this.send(requests);
      } catch (again) {
        throw this.failure(again);
      }
    }
    if (JSON.stringify(next) !== JSON.stringify(saved)) await this.opts.state.save(next);
  }

  private get locale(): string {
    return this.opts.locale ?? "vi_VN";
  }

  private batch(tabs: SummaryTab[], state: PublisherState): ReturnType<typeof buildPublishBatch> {
    return buildPublishBatch(tabs, state, {
      editorEmail: this.opts.editorEmail,
      locale: this.locale,
      timeZone: this.opts.timeZone ?? "Asia/Ho_Chi_Minh",
    });
  }

  private async send(requests: sheets_v4.Schema$Request[]): Promise<void> {
    const spreadsheetId = this.opts.spreadsheetId;
    await guardedCall(
      "write",
      () =>
        this.opts.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, CALL_OPTIONS),
      this.policy,
    );
  }

  private async readLayout(): Promise<sheets_v4.Schema$Spreadsheet> {
    const spreadsheetId = this.opts.spreadsheetId;
    try {
      const res = await guardedCall(
        "read",
        () => this.opts.sheets.spreadsheets.get({ spreadsheetId, fields: LAYOUT_FIELDS }, CALL_OPTIONS),
        this.policy,
      );
      return res.data;
    } catch (e) {
      throw this.failure(e);
    }
  }

  private failure(e: unknown): Error {
    const error = googleFailure(e, {
      unreachable: {
        code: "summary-unreachable",
        message:
          "Không ghi được bảng tổng hợp cho lãnh đạo: bảng tính đã bị xóa hoặc không còn được chia sẻ cho tài khoản hệ thống.",
      },
      unavailable:
        "Google Sheets tạm thời không phản hồi khi ghi bảng tổng hợp; hệ thống sẽ thử lại ở lần đồng bộ sau.",
      rejected: "Google Sheets từ chối ghi bảng tổng hợp",
    });
    Object.assign(error.details, { spreadsheetId: this.opts.spreadsheetId });
    return error;
  }
}
