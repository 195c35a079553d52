// The Sheets v4 subset the adapters and provisioning use, validated the way the real API validates it.
// Formulas are stored, never evaluated: a formula cell reads back as its text with FORMULA rendering and as
// empty otherwise, which is all the tests need to prove that nothing was ever written as a formula.
import {
  A1Error,
  applyMask,
  colLetters,
  MaskError,
  type MaskTree,
  parseA1,
  parseMask,
  quoteTitle,
} from "./a1.ts";
import { sheetsFailure } from "./faults.ts";

export interface ExtendedValue {
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  formulaValue?: string;
  errorValue?: { type: string; message?: string };
}

export interface CellData {
  userEnteredValue?: ExtendedValue;
  userEnteredFormat?: Record<string, unknown>;
  note?: string;
  dataValidation?: unknown;
}

export interface GridProperties {
  rowCount: number;
  columnCount: number;
  frozenRowCount?: number;
  frozenColumnCount?: number;
}

export interface SheetProperties {
  sheetId: number;
  title: string;
  index: number;
  sheetType: "GRID";
  gridProperties: GridProperties;
  hidden?: boolean;
  [key: string]: unknown;
}

export interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

export interface EmbeddedChart {
  chartId: number;
  spec: Record<string, unknown>;
  position: Record<string, unknown>;
}

export interface ProtectedRange {
  protectedRangeId: number;
  range: GridRange;
  description?: string;
  warningOnly?: boolean;
  requestingUserCanEdit?: boolean;
  editors?: { users?: string[]; groups?: string[]; domainUsersCanEdit?: boolean };
}

export interface FakeSheet {
  properties: SheetProperties;
  /** Sparse: rows[r]?.[c]. */
  rows: (CellData | undefined)[][];
  charts: EmbeddedChart[];
  protectedRanges: ProtectedRange[];
  columnMetadata: Record<number, { pixelSize?: number; hiddenByUser?: boolean }>;
  rowMetadata: Record<number, { pixelSize?: number; hiddenByUser?: boolean }>;
}

export interface SpreadsheetProperties {
  title: string;
  locale: string;
  timeZone: string;
  autoRecalc: string;
  [key: string]: unknown;
}

/** Where a piece of developer metadata is attached: the whole spreadsheet or one tab. */
export type MetadataLocation =
  | { locationType: "SPREADSHEET"; spreadsheet: true }
  | { locationType: "SHEET"; sheetId: number };

export interface DeveloperMetadata {
  metadataId: number;
  metadataKey: string;
  metadataValue?: string;
  location: MetadataLocation;
  visibility: "DOCUMENT" | "PROJECT";
}

export interface FakeSpreadsheet {
  spreadsheetId: string;
  properties: SpreadsheetProperties;
  sheets: FakeSheet[];
  /** Spreadsheet- and sheet-level developer metadata (the fake attaches none to rows or columns). */
  developerMetadata: DeveloperMetadata[];
}

/** Google's limit: the metadata at one location (keys and values) holds at most this many characters. */
export const METADATA_CHARS_PER_LOCATION = 30_000;

/** What tests may put in a cell through the state API. */
export type FakeInput = string | number | boolean | null | { date: string } | { formula: string };

const DEFAULT_ROWS = 1000;
const DEFAULT_COLS = 26;
const MS_PER_DAY = 86_400_000;
const EPOCH_SERIAL = 25_569;

function bad(message: string): Error {
  return sheetsFailure(400, message);
}

function newSheet(sheetId: number, title: string, index: number, grid?: Partial<GridProperties>): FakeSheet {
  return {
    properties: {
      sheetId,
      title,
      index,
      sheetType: "GRID",
      gridProperties: { rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLS, ...grid },
    },
    rows: [],
    charts: [],
    protectedRanges: [],
    columnMetadata: {},
    rowMetadata: {},
  };
}

export function newSpreadsheet(
  spreadsheetId: string,
  title: string,
  tabs: string[] = ["Sheet1"],
): FakeSpreadsheet {
  return {
    spreadsheetId,
    properties: { title, locale: "en_US", timeZone: "Etc/GMT", autoRecalc: "ON_CHANGE" },
    developerMetadata: [],
    // The first tab of a new spreadsheet has sheetId 0, as in Google Sheets (provisioning relies on it).
    sheets: tabs.map((t, i) => newSheet(i === 0 ? 0 : 1_000 + i, t, i)),
  };
}

/** The row's cell array, created on first write. */
export function rowOf(sheet: FakeSheet, row: number): (CellData | undefined)[] {
  let line = sheet.rows[row];
  if (!line) {
    line = [];
    sheet.rows[row] = line;
  }
  return line;
}

function isEmptyCell(c: CellData | undefined): boolean {
  return c === undefined || Object.keys(c).length === 0;
}

function sameTitle(a: string, b: string): boolean {
  return a.toLocaleLowerCase("vi") === b.toLocaleLowerCase("vi");
}

// ---------------------------------------------------------------------------------------------------------
// Reading values

export type ValueRender = "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA";
export type DateRender = "SERIAL_NUMBER" | "FORMATTED_STRING";

function serialToIsoDate(serial: number): string {
  return new Date(Math.round((serial - EPOCH_SERIAL) * MS_PER_DAY)).toISOString();
}

function formatDate(serial: number, locale: string, withTime: boolean): string {
  const iso = serialToIsoDate(serial);
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const date = locale.startsWith("vi") ? `${d}/${m}/${y}` : `${Number(m)}/${Number(d)}/${y}`;
  return withTime ? `${date} ${iso.slice(11, 19)}` : date;
}

function numberFormatType(cell: CellData): string | undefined {
  const nf = cell.userEnteredFormat?.numberFormat as { type?: string } | undefined;
  return nf?.type;
}

export function renderCell(
  cell: CellData | undefined,
  valueRender: ValueRender,
  dateRender: DateRender,
  locale: string,
): string | number | boolean | undefined {
  const v = cell?.userEnteredValue;
  if (!cell || !v) return undefined;
  if (v.formulaValue !== undefined) return valueRender === "FORMULA" ? v.formulaValue : undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined)
    return valueRender === "FORMATTED_VALUE" ? (v.boolValue ? "TRUE" : "FALSE") : v.boolValue;
  if (v.errorValue !== undefined) return "#ERROR!";
  if (v.numberValue !== undefined) {
    const type = numberFormatType(cell);
    const isDate = type === "DATE" || type === "DATE_TIME" || type === "TIME";
    if (isDate && (valueRender === "FORMATTED_VALUE" || dateRender === "FORMATTED_STRING")) {
      return formatDate(v.numberValue, locale, type !== "DATE");
    }
    return valueRender === "FORMATTED_VALUE" ? String(v.numberValue) : v.numberValue;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// The store

export interface ResolvedRange {
  sheet: FakeSheet;
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

export class SheetsStore {
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  private nextSheetId = 1_000_000;
  private nextMetadataId = 1_234_567;

  private readonly onModified: (spreadsheetId: string) => void;

  constructor(onModified: (spreadsheetId: string) => void) {
    this.onModified = onModified;
  }

  require(spreadsheetId: string): FakeSpreadsheet {
    const ss = this.spreadsheets.get(spreadsheetId);
    if (!ss) throw sheetsFailure(404, "Requested entity was not found.");
    return ss;
  }

  freshSheetId(ss: FakeSpreadsheet): number {
    for (;;) {
      const id = this.nextSheetId++;
      if (!ss.sheets.some((s) => s.properties.sheetId === id)) return id;
    }
  }

  resolveA1(ss: FakeSpreadsheet, range: string, clipToGrid = true): ResolvedRange {
    let parsed: ReturnType<typeof parseA1>;
    try {
      parsed = parseA1(
        range,
        ss.sheets.map((s) => s.properties.title),
      );
    } catch (e) {
      if (e instanceof A1Error) throw bad(`Unable to parse range: ${range}`);
      throw e;
    }
    const sheet =
      parsed.sheet === null ? ss.sheets[0] : ss.sheets.find((s) => s.properties.title === parsed.sheet);
    if (!sheet) throw bad(`Unable to parse range: ${range}`);
    const grid = sheet.properties.gridProperties;
    const endRow = parsed.endRow ?? grid.rowCount;
    const endCol = parsed.endCol ?? grid.columnCount;
    return {
      sheet,
      startRow: parsed.startRow ?? 0,
      endRow: clipToGrid ? Math.min(endRow, grid.rowCount) : endRow,
      startCol: parsed.startCol ?? 0,
      endCol: clipToGrid ? Math.min(endCol, grid.columnCount) : endCol,
    };
  }

  a1Of(r: ResolvedRange): string {
    const title = quoteTitle(r.sheet.properties.title);
    if (r.endRow <= r.startRow || r.endCol <= r.startCol) return title;
    const from = `${colLetters(r.startCol)}${r.startRow + 1}`;
    const to = `${colLetters(r.endCol - 1)}${r.endRow}`;
    return `${title}!${from === to ? from : `${from}:${to}`}`;
  }

  readValues(
    ss: FakeSpreadsheet,
    range: string,
    opts: { majorDimension: string; valueRender: ValueRender; dateRender: DateRender },
  ): { range: string; majorDimension: string; values?: unknown[][] } {
    const r = this.resolveA1(ss, range);
    const out: unknown[][] = [];
    for (let row = r.startRow; row < r.endRow; row++) {
      const src = r.sheet.rows[row];
      const line: unknown[] = [];
      if (src) {
        const last = Math.min(r.endCol, src.length);
        for (let col = r.startCol; col < last; col++) {
          const v = renderCell(src[col], opts.valueRender, opts.dateRender, ss.properties.locale);
          line.push(v === undefined ? "" : v);
        }
        // The API drops trailing empty cells in a row and trailing empty rows.
        while (line.length > 0 && line[line.length - 1] === "") line.pop();
      }
      out.push(line);
    }
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    const values = opts.majorDimension === "COLUMNS" ? transpose(out) : out;
    const answer: { range: string; majorDimension: string; values?: unknown[][] } = {
      range: this.a1Of(r),
      majorDimension: opts.majorDimension,
    };
    if (values.length > 0) answer.values = values;
    return answer;
  }

  /** values.update / values.batchUpdate: writes with RAW or USER_ENTERED input. Returns cells touched. */
  writeValues(
    ss: FakeSpreadsheet,
    range: string,
    values: unknown,
    inputOption: string,
    majorDimension = "ROWS",
  ): { updatedRange: string; updatedRows: number; updatedColumns: number; updatedCells: number } {
    if (!Array.isArray(values) || values.some((row) => !Array.isArray(row))) {
      throw bad("Invalid JSON payload received. 'values' must be a list of lists.");
    }
    const rowsIn = majorDimension === "COLUMNS" ? transpose(values as unknown[][]) : (values as unknown[][]);
    const r = this.resolveA1(ss, range, false);
    const height = rowsIn.length;
    const width = Math.max(0, ...rowsIn.map((row) => row.length));
    // A single cell is only the anchor of the block; a multi-cell range bounds it.
    const explicitEnd = range.includes(":");
    if (explicitEnd && (r.startRow + height > r.endRow || r.startCol + width > r.endCol)) {
      throw bad(
        `Requested writing within range [${range}], but tried writing to row [${r.startRow + height}] or column [${colLetters(r.startCol + width - 1)}]`,
      );
    }
    const grid = r.sheet.properties.gridProperties;
    // The values API grows the grid instead of refusing (unlike updateCells).
    grid.rowCount = Math.max(grid.rowCount, r.startRow + height);
    grid.columnCount = Math.max(grid.columnCount, r.startCol + width);
    let cells = 0;
    for (let i = 0; i < height; i++) {
      const row = rowsIn[i]!;
      for (let j = 0; j < row.length; j++) {
        const raw = row[j];
        // "Null values will be skipped": the cell keeps what it had.
        if (raw === null || raw === undefined) continue;
        const value = inputValue(raw, inputOption);
        const line = rowOf(r.sheet, r.startRow + i);
        const cell: CellData = line[r.startCol + j] ?? {};
        if (value === null) delete cell.userEnteredValue;
        else cell.userEnteredValue = value;
        line[r.startCol + j] = isEmptyCell(cell) ? undefined : cell;
        cells++;
      }
    }
    return {
      updatedRange: this.a1Of({
        sheet: r.sheet,
        startRow: r.startRow,
        endRow: r.startRow + height,
        startCol: r.startCol,
        endCol: r.startCol + width,
      }),
      updatedRows: height,
      updatedColumns: width,
      updatedCells: cells,
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // spreadsheets.batchUpdate

  batchUpdate(spreadsheetId: string, body: unknown): { spreadsheetId: string; replies: unknown[] } {
    const ss = this.require(spreadsheetId);
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests) || requests.length === 0) throw bad("Must specify at least one request.");
    const draft = new Draft(ss);
    const replies: unknown[] = [];
    requests.forEach((req, i) => {
      replies.push(applyRequest(this, draft, req, i));
    });
    // Atomic: the spreadsheet only changes once every request has been applied to the draft.
    draft.commit();
    this.onModified(spreadsheetId);
    return { spreadsheetId, replies };
  }

  /** The Spreadsheet resource, with grid data when asked (ranges restrict both the tabs and the cells). */
  resource(ss: FakeSpreadsheet, ranges: string[], includeGridData: boolean): Record<string, unknown> {
    const wanted =
      ranges.length > 0
        ? ranges.map((range) => this.resolveA1(ss, range))
        : ss.sheets.map((sheet) => ({
            sheet,
            startRow: 0,
            endRow: sheet.properties.gridProperties.rowCount,
            startCol: 0,
            endCol: sheet.properties.gridProperties.columnCount,
          }));
    const bySheet = new Map<FakeSheet, ResolvedRange[]>();
    for (const r of wanted) bySheet.set(r.sheet, [...(bySheet.get(r.sheet) ?? []), r]);
    const sheets = ss.sheets
      .filter((s) => bySheet.has(s))
      .map((s) => {
        const out: Record<string, unknown> = { properties: structuredClone(s.properties) };
        if (s.charts.length > 0) out.charts = structuredClone(s.charts);
        if (s.protectedRanges.length > 0) out.protectedRanges = structuredClone(s.protectedRanges);
        const own = ss.developerMetadata.filter(
          (m) => m.location.locationType === "SHEET" && m.location.sheetId === s.properties.sheetId,
        );
        if (own.length > 0) out.developerMetadata = structuredClone(own);
        if (includeGridData) out.data = bySheet.get(s)!.map((r) => gridData(ss, r));
        return out;
      });
    const out: Record<string, unknown> = {
      spreadsheetId: ss.spreadsheetId,
      properties: structuredClone(ss.properties),
      sheets,
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${ss.spreadsheetId}/edit`,
    };
    // Like the API, the spreadsheet-level list is absent rather than empty when there is none.
    const top = ss.developerMetadata.filter((m) => m.location.locationType === "SPREADSHEET");
    if (top.length > 0) out.developerMetadata = structuredClone(top);
    return out;
  }

  /** Positive and unique within the fake, like the ids Sheets assigns. */
  newMetadataId(taken: readonly DeveloperMetadata[]): number {
    for (;;) {
      const id = this.nextMetadataId++;
      if (!taken.some((m) => m.metadataId === id)) return id;
    }
  }

  createFromResource(spreadsheetId: string, body: Record<string, unknown>): FakeSpreadsheet {
    const props = (body.properties ?? {}) as Partial<SpreadsheetProperties>;
    const sheetsIn = (body.sheets ?? []) as { properties?: Partial<SheetProperties> }[];
    const ss = newSpreadsheet(spreadsheetId, props.title ?? "Untitled spreadsheet");
    if (props.locale) ss.properties.locale = props.locale;
    if (props.timeZone) ss.properties.timeZone = props.timeZone;
    if (sheetsIn.length > 0) {
      ss.sheets = sheetsIn.map((s, i) => {
        const p = s.properties ?? {};
        return newSheet(
          p.sheetId ?? (i === 0 ? 0 : this.freshSheetId(ss)),
          p.title ?? `Sheet${i + 1}`,
          i,
          p.gridProperties,
        );
      });
      const titles = ss.sheets.map((s) => s.properties.title);
      if (new Set(titles.map((t) => t.toLocaleLowerCase("vi"))).size !== titles.length) {
        throw bad("Invalid sheets: duplicate sheet titles.");
      }
    }
    this.spreadsheets.set(spreadsheetId, ss);
    return ss;
  }
}

function transpose(rows: unknown[][]): unknown[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const out: unknown[][] = [];
  for (let c = 0; c < width; c++) out.push(rows.map((r) => r[c] ?? ""));
  return out;
}

function inputValue(raw: unknown, inputOption: string): ExtendedValue | null {
  if (typeof raw === "number") return { numberValue: raw };
  if (typeof raw === "boolean") return { boolValue: raw };
  if (typeof raw !== "string")
    throw bad(`Invalid values: ${JSON.stringify(raw)} is not a string, number or bool`);
  if (raw === "") return null;
  if (inputOption === "RAW") return { stringValue: raw };
  // USER_ENTERED parses the text the way the UI would (only the parts that matter here).
  if (raw.startsWith("=")) return { formulaValue: raw };
  if (/^(true|false)$/i.test(raw)) return { boolValue: raw.toLowerCase() === "true" };
  if (/^[-+]?\d+(\.\d+)?$/.test(raw)) return { numberValue: Number(raw) };
  return { stringValue: raw };
}

function gridData(ss: FakeSpreadsheet, r: ResolvedRange): Record<string, unknown> {
  const rowData: unknown[] = [];
  for (let row = r.startRow; row < r.endRow; row++) {
    const src = r.sheet.rows[row];
    const values: unknown[] = [];
    for (let col = r.startCol; col < r.endCol; col++) {
      const cell = src?.[col];
      if (isEmptyCell(cell)) {
        values.push({});
        continue;
      }
      const out: Record<string, unknown> = { ...structuredClone(cell!) };
      const eff = renderCell(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER", ss.properties.locale);
      if (eff !== undefined) {
        out.effectiveValue =
          typeof eff === "number"
            ? { numberValue: eff }
            : typeof eff === "boolean"
              ? { boolValue: eff }
              : { stringValue: eff };
        out.formattedValue = String(
          renderCell(cell, "FORMATTED_VALUE", "FORMATTED_STRING", ss.properties.locale),
        );
      }
      values.push(out);
    }
    while (values.length > 0 && Object.keys(values[values.length - 1] as object).length === 0) values.pop();
    rowData.push(values.length > 0 ? { values } : {});
  }
  while (rowData.length > 0 && Object.keys(rowData[rowData.length - 1] as object).length === 0) rowData.pop();
  const columnMetadata: unknown[] = [];
  for (let col = r.startCol; col < r.endCol; col++)
    columnMetadata.push({ pixelSize: 100, ...r.sheet.columnMetadata[col] });
  return { startRow: r.startRow, startColumn: r.startCol, rowData, columnMetadata };
}

// ---------------------------------------------------------------------------------------------------------
// batchUpdate requests

/** A copy-on-write view of a spreadsheet: a tab is deep-copied the first time a request changes it. */
class Draft {
  readonly properties: SpreadsheetProperties;
  sheets: FakeSheet[];
  metadata: DeveloperMetadata[];
  private readonly copied = new Set<FakeSheet>();

  private readonly target: FakeSpreadsheet;

  constructor(target: FakeSpreadsheet) {
    this.target = target;
    this.properties = structuredClone(target.properties);
    this.sheets = [...target.sheets];
    this.metadata = structuredClone(target.developerMetadata);
  }

  find(sheetId: unknown): FakeSheet | undefined {
    return this.sheets.find((s) => s.properties.sheetId === sheetId);
  }

  mutable(sheet: FakeSheet): FakeSheet {
    if (this.copied.has(sheet)) return sheet;
    const copy = structuredClone(sheet);
    this.copied.add(copy);
    this.sheets = this.sheets.map((s) => (s === sheet ? copy : s));
    return copy;
  }

  add(sheet: FakeSheet): void {
    this.copied.add(sheet);
    this.sheets.push(sheet);
  }

  reindex(): void {
    this.sheets.forEach((s, i) => {
      if (s.properties.index !== i) this.mutable(s).properties.index = i;
    });
    this.sheets = this.sheets.map((s) => this.find(s.properties.sheetId)!);
  }

  commit(): void {
    this.target.properties = this.properties;
    this.target.sheets = this.sheets;
    this.target.developerMetadata = this.metadata;
  }
}

interface Ctx {
  store: SheetsStore;
  draft: Draft;
  where: string;
}

function fail(ctx: Ctx, message: string): Error {
  return bad(`Invalid ${ctx.where}: ${message}`);
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function mask(ctx: Ctx, fields: unknown): MaskTree | "*" {
  if (typeof fields !== "string" || fields.trim() === "") {
    throw fail(ctx, "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)");
  }
  try {
    return parseMask(fields);
  } catch (e) {
    if (e instanceof MaskError) throw fail(ctx, `Invalid field mask: ${fields}`);
    throw e;
  }
}

function sheetOf(ctx: Ctx, sheetId: unknown): FakeSheet {
  const id = sheetId === undefined ? 0 : sheetId;
  const sheet = ctx.draft.find(id);
  if (!sheet) throw fail(ctx, `No grid with id: ${String(id)}`);
  return sheet;
}

interface Box {
  sheet: FakeSheet;
  r0: number;
  r1: number;
  c0: number;
  c1: number;
}

function gridBox(ctx: Ctx, range: unknown): Box {
  const g = obj(range);
  if (!g) throw fail(ctx, "range is required");
  const sheet = sheetOf(ctx, g.sheetId);
  const grid = sheet.properties.gridProperties;
  const r0 = (g.startRowIndex as number | undefined) ?? 0;
  const r1 = (g.endRowIndex as number | undefined) ?? grid.rowCount;
  const c0 = (g.startColumnIndex as number | undefined) ?? 0;
  const c1 = (g.endColumnIndex as number | undefined) ?? grid.columnCount;
  for (const n of [r0, r1, c0, c1]) {
    if (!Number.isInteger(n) || n < 0)
      throw fail(ctx, "Invalid range: indexes must be non-negative integers.");
  }
  if (r1 < r0 || c1 < c0)
    throw fail(ctx, "Invalid range: start index must be less than or equal to end index.");
  checkLimits(ctx, sheet, r1, c1, r0, c0);
  return { sheet, r0, r1, c0, c1 };
}

function checkLimits(ctx: Ctx, sheet: FakeSheet, r1: number, c1: number, r0: number, c0: number): void {
  const grid = sheet.properties.gridProperties;
  if (r1 > grid.rowCount || c1 > grid.columnCount) {
    const a1 = `${quoteTitle(sheet.properties.title)}!${colLetters(c0)}${r0 + 1}:${colLetters(Math.max(c0, c1 - 1))}${Math.max(r0 + 1, r1)}`;
    throw fail(
      ctx,
      `Range (${a1}) exceeds grid limits. Max rows: ${grid.rowCount}, max columns: ${grid.columnCount}`,
    );
  }
}

function checkCell(ctx: Ctx, cell: unknown): CellData {
  const c = obj(cell) ?? {};
  const v = obj(c.userEnteredValue);
  if (v) {
    const kinds = Object.keys(v).filter((k) => v[k] !== undefined);
    const known = ["stringValue", "numberValue", "boolValue", "formulaValue", "errorValue"];
    if (kinds.length !== 1 || !known.includes(kinds[0]!)) {
      throw fail(
        ctx,
        "userEnteredValue must set exactly one of stringValue, numberValue, boolValue, formulaValue.",
      );
    }
    if (v.formulaValue !== undefined && !String(v.formulaValue).startsWith("=")) {
      throw fail(ctx, `Formula values must start with '=': ${String(v.formulaValue)}`);
    }
  }
  return c as CellData;
}

function writeCell(sheet: FakeSheet, row: number, col: number, source: CellData, m: MaskTree | "*"): void {
  const line = rowOf(sheet, row);
  const cell = (line[col] ?? {}) as Record<string, unknown>;
  applyMask(cell, source as unknown as Record<string, unknown>, m);
  line[col] = isEmptyCell(cell) ? undefined : (cell as CellData);
}

type Handler = (ctx: Ctx, body: Record<string, unknown>) => unknown;

const HANDLERS: Record<string, Handler> = {
  updateCells(ctx, b) {
    const m = mask(ctx, b.fields);
    const rows = (Array.isArray(b.rows) ? b.rows : []).map((r) =>
      (Array.isArray(obj(r)?.values) ? (obj(r)!.values as unknown[]) : []).map((c) => checkCell(ctx, c)),
    );
    if ((b.start === undefined) === (b.range === undefined))
      throw fail(ctx, "Exactly one of start or range must be set.");
    if (b.range !== undefined) {
      const box = gridBox(ctx, b.range);
      const sheet = ctx.draft.mutable(box.sheet);
      for (let r = box.r0; r < box.r1; r++) {
        for (let c = box.c0; c < box.c1; c++) writeCell(sheet, r, c, rows[r - box.r0]?.[c - box.c0] ?? {}, m);
      }
      return {};
    }
    const start = obj(b.start) ?? {};
    const base = sheetOf(ctx, start.sheetId);
    const r0 = (start.rowIndex as number | undefined) ?? 0;
    const c0 = (start.columnIndex as number | undefined) ?? 0;
    const width = Math.max(0, ...rows.map((r) => r.length));
    checkLimits(ctx, base, r0 + rows.length, c0 + width, r0, c0);
    const sheet = ctx.draft.mutable(base);
    rows.forEach((cells, i) => {
      cells.forEach((cell, j) => {
        writeCell(sheet, r0 + i, c0 + j, cell, m);
      });
    });
    return {};
  },

  repeatCell(ctx, b) {
    const m = mask(ctx, b.fields);
    const cell = checkCell(ctx, b.cell);
    const box = gridBox(ctx, b.range);
    const sheet = ctx.draft.mutable(box.sheet);
    for (let r = box.r0; r < box.r1; r++)
      for (let c = box.c0; c < box.c1; c++) writeCell(sheet, r, c, cell, m);
    return {};
  },

  setDataValidation(ctx, b) {
    const box = gridBox(ctx, b.range);
    const rule = obj(b.rule);
    if (rule && !obj(rule.condition)?.type) throw fail(ctx, "rule.condition.type is required.");
    const sheet = ctx.draft.mutable(box.sheet);
    const source: CellData = rule ? { dataValidation: rule } : {};
    const m = parseMask("dataValidation");
    for (let r = box.r0; r < box.r1; r++)
      for (let c = box.c0; c < box.c1; c++) writeCell(sheet, r, c, source, m);
    return {};
  },

  updateSheetProperties(ctx, b) {
    const m = mask(ctx, b.fields);
    const props = obj(b.properties);
    if (!props) throw fail(ctx, "properties is required.");
    const base = sheetOf(ctx, props.sheetId);
    const next = structuredClone(base.properties) as unknown as Record<string, unknown>;
    applyMask(next, props, m);
    next.sheetId = base.properties.sheetId;
    next.sheetType = "GRID";
    const p = next as unknown as SheetProperties;
    if (typeof p.title !== "string" || p.title.trim() === "")
      throw fail(ctx, "Sheet titles must not be empty.");
    if (ctx.draft.sheets.some((s) => s !== base && sameTitle(s.properties.title, p.title))) {
      throw fail(ctx, `A sheet with the name "${p.title}" already exists. Please enter another name.`);
    }
    const grid = (p.gridProperties ?? {}) as GridProperties;
    if (!(grid.rowCount >= 1) || !(grid.columnCount >= 1))
      throw fail(ctx, "gridProperties must keep at least one row and column.");
    if ((grid.frozenRowCount ?? 0) >= grid.rowCount || (grid.frozenColumnCount ?? 0) >= grid.columnCount) {
      throw fail(ctx, "You can't freeze all visible rows on the sheet.");
    }
    const sheet = ctx.draft.mutable(base);
    const wantedIndex = typeof p.index === "number" ? p.index : sheet.properties.index;
    sheet.properties = p;
    // Shrinking the grid deletes the cells beyond it, as in the UI.
    sheet.rows.length = Math.min(sheet.rows.length, grid.rowCount);
    for (const line of sheet.rows) if (line && line.length > grid.columnCount) line.length = grid.columnCount;
    moveSheet(ctx, sheet, wantedIndex);
    return {};
  },

  updateSpreadsheetProperties(ctx, b) {
    const m = mask(ctx, b.fields);
    const props = obj(b.properties);
    if (!props) throw fail(ctx, "properties is required.");
    applyMask(ctx.draft.properties as unknown as Record<string, unknown>, props, m);
    return {};
  },

  updateDimensionProperties(ctx, b) {
    const m = mask(ctx, b.fields);
    const range = obj(b.range);
    const props = obj(b.properties);
    if (!range || !props) throw fail(ctx, "range and properties are required.");
    const base = sheetOf(ctx, range.sheetId);
    const dim = range.dimension;
    if (dim !== "ROWS" && dim !== "COLUMNS") throw fail(ctx, "range.dimension must be ROWS or COLUMNS.");
    const limit =
      dim === "ROWS" ? base.properties.gridProperties.rowCount : base.properties.gridProperties.columnCount;
    const start = (range.startIndex as number | undefined) ?? 0;
    const end = (range.endIndex as number | undefined) ?? limit;
    if (start < 0 || end < start || end > limit) {
      throw fail(
        ctx,
        `Invalid dimension range ${start}..${end}: the sheet has ${limit} ${dim.toLowerCase()}.`,
      );
    }
    const sheet = ctx.draft.mutable(base);
    const meta = dim === "ROWS" ? sheet.rowMetadata : sheet.columnMetadata;
    for (let i = start; i < end; i++) {
      const entry = (meta[i] ?? {}) as Record<string, unknown>;
      applyMask(entry, props, m);
      meta[i] = entry;
    }
    return {};
  },

  addSheet(ctx, b) {
    const props = obj(b.properties) ?? {};
    const id =
      props.sheetId === undefined
        ? ctx.store.freshSheetId({ sheets: ctx.draft.sheets } as FakeSpreadsheet)
        : props.sheetId;
    if (!Number.isInteger(id) || (id as number) < 0) throw fail(ctx, `Invalid sheetId: ${String(id)}`);
    if (ctx.draft.find(id)) throw fail(ctx, `A sheet with id ${String(id)} already exists.`);
    const title = (props.title as string | undefined) ?? `Sheet${ctx.draft.sheets.length + 1}`;
    if (ctx.draft.sheets.some((s) => sameTitle(s.properties.title, title))) {
      throw fail(ctx, `A sheet with the name "${title}" already exists. Please enter another name.`);
    }
    const grid = obj(props.gridProperties) as Partial<GridProperties> | undefined;
    const sheet = newSheet(id as number, title, ctx.draft.sheets.length, grid);
    ctx.draft.add(sheet);
    if (typeof props.index === "number") moveSheet(ctx, sheet, props.index);
    return { addSheet: { properties: structuredClone(sheet.properties) } };
  },

  deleteSheet(ctx, b) {
    const sheet = sheetOf(ctx, b.sheetId);
    if (ctx.draft.sheets.length === 1)
      throw fail(ctx, "You can't remove all the visible sheets in a document.");
    ctx.draft.sheets = ctx.draft.sheets.filter((s) => s !== sheet);
    // Metadata attached to a deleted tab goes with it.
    ctx.draft.metadata = ctx.draft.metadata.filter(
      (m) => m.location.locationType !== "SHEET" || m.location.sheetId !== sheet.properties.sheetId,
    );
    ctx.draft.reindex();
    return {};
  },

  createDeveloperMetadata(ctx, b) {
    const dm = obj(b.developerMetadata);
    if (!dm) throw fail(ctx, "developerMetadata is required.");
    const key = dm.metadataKey;
    if (typeof key !== "string" || key === "") throw fail(ctx, "Developer metadata must have a key.");
    if (dm.metadataValue !== undefined && typeof dm.metadataValue !== "string")
      throw fail(ctx, "metadataValue must be a string.");
    const visibility = metadataVisibility(ctx, dm.visibility);
    const location = metadataLocation(ctx, dm.location);
    let id = dm.metadataId;
    if (id === undefined) id = ctx.store.newMetadataId(ctx.draft.metadata);
    else if (!Number.isInteger(id) || (id as number) <= 0)
      throw fail(ctx, `Invalid metadataId: ${String(id)}. It must be a positive integer.`);
    else if (ctx.draft.metadata.some((m) => m.metadataId === id))
      throw fail(ctx, `Developer metadata with id ${String(id)} already exists.`);
    const stored: DeveloperMetadata = {
      metadataId: id as number,
      metadataKey: key,
      ...(typeof dm.metadataValue === "string" ? { metadataValue: dm.metadataValue } : {}),
      location,
      visibility,
    };
    ctx.draft.metadata.push(stored);
    checkMetadataSize(ctx, location);
    return { createDeveloperMetadata: { developerMetadata: structuredClone(stored) } };
  },

  updateDeveloperMetadata(ctx, b) {
    const m = mask(ctx, b.fields);
    const filters = Array.isArray(b.dataFilters) ? b.dataFilters : [];
    if (filters.length === 0) throw fail(ctx, "At least one data filter must be specified.");
    const lookups = filters.map((f) => metadataLookup(ctx, f));
    const dm = obj(b.developerMetadata);
    if (!dm) throw fail(ctx, "developerMetadata is required.");
    if (m === "*" || [...m.keys()].some((k) => !["metadataKey", "metadataValue", "visibility"].includes(k))) {
      throw fail(ctx, "The fake updates metadataKey, metadataValue and visibility only.");
    }
    const updated: DeveloperMetadata[] = [];
    for (const target of ctx.draft.metadata) {
      if (!lookups.some((match) => match(target))) continue;
      applyMask(target as unknown as Record<string, unknown>, dm, m);
      if (typeof target.metadataKey !== "string" || target.metadataKey === "")
        throw fail(ctx, "Developer metadata must have a key.");
      target.visibility = metadataVisibility(ctx, target.visibility);
      checkMetadataSize(ctx, target.location);
      updated.push(structuredClone(target));
    }
    return { updateDeveloperMetadata: { developerMetadata: updated } };
  },

  deleteDeveloperMetadata(ctx, b) {
    const match = metadataLookup(ctx, b.dataFilter);
    const deleted = ctx.draft.metadata.filter(match);
    ctx.draft.metadata = ctx.draft.metadata.filter((m) => !match(m));
    return { deleteDeveloperMetadata: { deletedDeveloperMetadata: structuredClone(deleted) } };
  },

  addChart(ctx, b) {
    const chart = obj(b.chart);
    const spec = obj(chart?.spec);
    if (!chart || !spec) throw fail(ctx, "chart.spec is required.");
    const basic = obj(spec.basicChart);
    if (!basic) throw fail(ctx, "The fake supports basicChart specs only.");
    if (typeof basic.chartType !== "string") throw fail(ctx, "basicChart.chartType is required.");
    const sources: unknown[] = [];
    for (const d of (basic.domains ?? []) as unknown[]) sources.push(...chartSources(obj(obj(d)?.domain)));
    for (const s of (basic.series ?? []) as unknown[]) sources.push(...chartSources(obj(obj(s)?.series)));
    if (sources.length === 0) throw fail(ctx, "A chart needs at least one data range.");
    for (const src of sources) gridBox(ctx, src);
    const position = obj(chart.position) ?? {};
    const anchor = obj(obj(position.overlayPosition)?.anchorCell);
    const host = anchor
      ? sheetOf(ctx, anchor.sheetId)
      : position.sheetId !== undefined
        ? sheetOf(ctx, position.sheetId)
        : null;
    if (!host) throw fail(ctx, "The fake supports overlayPosition and sheetId chart positions only.");
    const chartId =
      (chart.chartId as number | undefined) ??
      ctx.store.freshSheetId({ sheets: ctx.draft.sheets } as FakeSpreadsheet);
    if (objectExists(ctx.draft, chartId)) throw fail(ctx, `An object with the id ${chartId} already exists.`);
    const stored: EmbeddedChart = {
      chartId,
      spec: structuredClone(spec),
      position: structuredClone(position),
    };
    ctx.draft.mutable(host).charts.push(stored);
    return { addChart: { chart: structuredClone(stored) } };
  },

  deleteEmbeddedObject(ctx, b) {
    const host = ctx.draft.sheets.find((s) => s.charts.some((c) => c.chartId === b.objectId));
    if (!host) throw fail(ctx, `No object with id: ${String(b.objectId)}`);
    const sheet = ctx.draft.mutable(host);
    sheet.charts = sheet.charts.filter((c) => c.chartId !== b.objectId);
    return {};
  },

  addProtectedRange(ctx, b) {
    const pr = obj(b.protectedRange);
    if (!pr) throw fail(ctx, "protectedRange is required.");
    const box = gridBox(ctx, pr.range);
    if (pr.warningOnly === true && pr.editors !== undefined) {
      throw fail(ctx, "Editors cannot be set on a range that only shows a warning.");
    }
    const id =
      (pr.protectedRangeId as number | undefined) ??
      ctx.store.freshSheetId({ sheets: ctx.draft.sheets } as FakeSpreadsheet);
    if (ctx.draft.sheets.some((s) => s.protectedRanges.some((p) => p.protectedRangeId === id))) {
      throw fail(ctx, `A protected range with id ${id} already exists.`);
    }
    const stored = {
      ...structuredClone(pr),
      protectedRangeId: id,
      requestingUserCanEdit: true,
    } as ProtectedRange;
    ctx.draft.mutable(box.sheet).protectedRanges.push(stored);
    return { addProtectedRange: { protectedRange: structuredClone(stored) } };
  },

  deleteProtectedRange(ctx, b) {
    const host = ctx.draft.sheets.find((s) =>
      s.protectedRanges.some((p) => p.protectedRangeId === b.protectedRangeId),
    );
    if (!host) throw fail(ctx, `No protected range with id: ${String(b.protectedRangeId)}`);
    const sheet = ctx.draft.mutable(host);
    sheet.protectedRanges = sheet.protectedRanges.filter((p) => p.protectedRangeId !== b.protectedRangeId);
    return {};
  },
};

function metadataVisibility(ctx: Ctx, v: unknown): DeveloperMetadata["visibility"] {
  if (v === "DOCUMENT" || v === "PROJECT") return v;
  throw fail(ctx, "Developer metadata visibility must be DOCUMENT or PROJECT.");
}

function metadataLocation(ctx: Ctx, v: unknown): MetadataLocation {
  const loc = obj(v);
  if (!loc) throw fail(ctx, "Developer metadata must have a location.");
  const kinds = ["spreadsheet", "sheetId", "dimensionRange"].filter((k) => loc[k] !== undefined);
  if (kinds.length !== 1)
    throw fail(ctx, "Exactly one of spreadsheet, sheetId or dimensionRange must be set in a location.");
  if (loc.spreadsheet !== undefined) {
    if (loc.spreadsheet !== true) throw fail(ctx, "location.spreadsheet must be true when set.");
    return { locationType: "SPREADSHEET", spreadsheet: true };
  }
  if (loc.sheetId !== undefined) {
    const sheet = sheetOf(ctx, loc.sheetId);
    return { locationType: "SHEET", sheetId: sheet.properties.sheetId };
  }
  throw fail(ctx, "The fake attaches developer metadata to the spreadsheet or a sheet only.");
}

function sameLocation(a: MetadataLocation, b: MetadataLocation): boolean {
  return a.locationType === "SPREADSHEET"
    ? b.locationType === "SPREADSHEET"
    : b.locationType === "SHEET" && a.sheetId === b.sheetId;
}

function checkMetadataSize(ctx: Ctx, location: MetadataLocation): void {
  const chars = ctx.draft.metadata
    .filter((m) => sameLocation(m.location, location))
    .reduce((n, m) => n + m.metadataKey.length + (m.metadataValue?.length ?? 0), 0);
  if (chars > METADATA_CHARS_PER_LOCATION) {
    throw fail(
      ctx,
      `The developer metadata at this location would hold ${chars} characters; the limit is ${METADATA_CHARS_PER_LOCATION}.`,
    );
  }
}

/** A DataFilter for metadata requests: only developerMetadataLookup is accepted, as by the API. */
function metadataLookup(ctx: Ctx, filter: unknown): (m: DeveloperMetadata) => boolean {
  const f = obj(filter);
  const lookup = obj(f?.developerMetadataLookup);
  if (!f || !lookup || Object.keys(f).length !== 1) {
    throw fail(
      ctx,
      "Only developerMetadataLookup data filters are supported for developer metadata requests.",
    );
  }
  const tests: ((m: DeveloperMetadata) => boolean)[] = [];
  if (lookup.metadataId !== undefined) tests.push((m) => m.metadataId === lookup.metadataId);
  if (lookup.metadataKey !== undefined) tests.push((m) => m.metadataKey === lookup.metadataKey);
  if (lookup.metadataValue !== undefined) tests.push((m) => m.metadataValue === lookup.metadataValue);
  if (lookup.visibility !== undefined) {
    const v = metadataVisibility(ctx, lookup.visibility);
    tests.push((m) => m.visibility === v);
  }
  if (lookup.locationType !== undefined) tests.push((m) => m.location.locationType === lookup.locationType);
  if (lookup.metadataLocation !== undefined) {
    const where = metadataLocation(ctx, lookup.metadataLocation);
    tests.push((m) => sameLocation(m.location, where));
  }
  if (tests.length === 0) throw fail(ctx, "A developer metadata lookup must set at least one criterion.");
  return (m) => tests.every((t) => t(m));
}

function chartSources(part: Record<string, unknown> | undefined): unknown[] {
  const sources = obj(part?.sourceRange)?.sources;
  return Array.isArray(sources) ? sources : [];
}

function objectExists(draft: Draft, id: number): boolean {
  return draft.sheets.some((s) => s.properties.sheetId === id || s.charts.some((c) => c.chartId === id));
}

function moveSheet(ctx: Ctx, sheet: FakeSheet, index: number): void {
  const others = ctx.draft.sheets.filter((s) => s.properties.sheetId !== sheet.properties.sheetId);
  const at = Math.max(0, Math.min(index, others.length));
  ctx.draft.sheets = [...others.slice(0, at), sheet, ...others.slice(at)];
  ctx.draft.reindex();
}

function applyRequest(store: SheetsStore, draft: Draft, request: unknown, i: number): unknown {
  const req = obj(request);
  const kinds = req ? Object.keys(req).filter((k) => req[k] !== undefined) : [];
  if (kinds.length === 0) throw bad(`Invalid requests[${i}]: No request set.`);
  if (kinds.length > 1)
    throw bad(`Invalid requests[${i}]: Only one kind of request may be set, found ${kinds.join(", ")}.`);
  const kind = kinds[0]!;
  const handler = HANDLERS[kind];
  if (!handler) {
    throw bad(
      `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': Cannot find field.`,
    );
  }
  return handler({ store, draft, where: `requests[${i}].${kind}` }, obj(req![kind]) ?? {});
}

/** Converts what tests put in a cell into what the API would have stored. */
export function fakeInputCell(v: FakeInput): CellData | undefined {
  if (v === null || v === "") return undefined;
  if (typeof v === "string") return { userEnteredValue: { stringValue: v } };
  if (typeof v === "number") return { userEnteredValue: { numberValue: v } };
  if (typeof v === "boolean") return { userEnteredValue: { boolValue: v } };
  if ("formula" in v) return { userEnteredValue: { formulaValue: v.formula } };
  const ms = Date.parse(`${v.date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${v.date}`);
  return {
    userEnteredValue: { numberValue: ms / MS_PER_DAY + EPOCH_SERIAL },
    userEnteredFormat: { numberFormat: { type: "DATE", pattern: "dd/mm/yyyy" } },
  };
}
