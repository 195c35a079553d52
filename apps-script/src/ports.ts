// The few capabilities the script's modules need, as plain interfaces. gas.ts implements them over Apps Script
// services; the tests run the same gas.ts over fakes of those services, so every module is exercised in Node.
import type { CellValue } from "../../schemas/index.ts";

/** A rectangle of cells, 1-based like Apps Script's getRange(row, column, numRows, numColumns). */
export interface Box {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
}

/** The input tab as the server would read it: header row plus data rows (rows[i] is sheet row i + 2). */
export interface InputGrid {
  header: CellValue[];
  rows: CellValue[][];
}

export type ValidationRule =
  | { kind: "checkbox" }
  | { kind: "list"; options: string[] }
  /** Calendar dates YYYY-MM-DD, inclusive, as wall dates in the spreadsheet's zone. */
  | { kind: "date-between"; from: string; to: string }
  | { kind: "number-min"; min: number }
  /** Length of the typed text; blank cells pass. */
  | { kind: "text-length"; min: number; max: number };

export interface ColumnValidation {
  rule: ValidationRule;
  /** Refuse the input (true) or accept it and mark the cell with a warning triangle (false). */
  reject: boolean;
  helpText: string;
}

export interface TemplateColumn {
  /** 1-based column. */
  col: number;
  key: string;
  label: string;
  /** The header cell's note (the column's help). */
  note: string;
  widthPx: number;
  /** Applied to the data rows; null leaves the format alone. */
  numberFormat: string | null;
  validation: ColumnValidation | null;
  /** Locked for units: the stamp column. */
  locked: boolean;
}

/** Everything "set up / repair" does to the input tab, computed in template.ts and executed by the adapter. */
export interface TemplatePlan {
  tabName: string;
  locale: string;
  timeZone: string;
  columns: TemplateColumn[];
  /** Validations and formats cover data rows 2..lastRow; the tab is grown to at least this many rows. */
  lastRow: number;
  frozenRows: number;
  headerBackground: string;
  lockedHeaderBackground: string;
  /** Values rewritten so they fit the new validation (a typed "Có" becomes a ticked checkbox). */
  rewrites: { row: number; col: number; value: CellValue }[];
  /** Every protection whose description starts with this prefix is the script's own and is recreated. */
  protectionPrefix: string;
  headerProtection: string;
  stampProtection: string;
}

/** The unit's input tab. */
export interface SheetPort {
  hasInputTab(): boolean;
  /** Whole tab, cells unformatted like Sheets' UNFORMATTED_VALUE (dates as serial numbers, "" as null). */
  readGrid(): InputGrid;
  readHeader(): CellValue[];
  /** Rows firstRow..firstRow+count-1, as wide as the header or the data, whichever is wider. */
  readRows(firstRow: number, count: number): CellValue[][];
  /** Writes the same text into one column on the given rows (one RangeList call). */
  writeText(col: number, rows: number[], text: string): void;
  clearCells(col: number, rows: number[]): void;
  /** Notes ("" when none) and fills (null when none) of a rectangle. */
  readAnnotations(box: Box): { notes: string[][]; backgrounds: (string | null)[][] };
  writeAnnotations(box: Box, notes: string[][], backgrounds: (string | null)[][]): void;
  applyTemplate(plan: TemplatePlan): void;
}

/** Script properties: shared by every user of the sheet and by the triggers. Values are at most 9 kB each. */
export interface Props {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}

export interface Lock {
  tryLock(timeoutMs: number): boolean;
  release(): void;
}

export interface HttpResponse {
  status: number;
  body: string;
}

export interface Http {
  /** POSTs a UTF-8 JSON body. Answers every HTTP status; throws only when no answer came (DNS, timeout). */
  postJson(url: string, headers: Record<string, string>, body: string): HttpResponse;
}

export interface Crypto {
  /** HMAC-SHA256 of value keyed with key, both taken as UTF-8 text, as lowercase hex. */
  hmacSha256Hex(value: string, key: string): string;
  uuid(): string;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface Clock {
  now(): Date;
  /** The wall-clock reading of an instant in a zone (through the platform's own zone database). */
  wall(at: Date, zone: string): WallTime;
}

export interface MenuItem {
  label: string;
  /** Name of the global function the item calls. */
  handler: string;
}

export interface Ui {
  addMenu(title: string, items: MenuItem[]): void;
  alert(title: string, message: string): void;
  /** Yes/No question; true for yes. */
  confirm(title: string, message: string): boolean;
  toast(message: string, title: string): void;
  showSidebar(title: string, html: string): void;
}

export interface Triggers {
  /** Makes sure exactly one installable on-edit trigger calls `handler`; true when one was created. */
  ensureEditTrigger(handler: string): boolean;
  /** One-shot time trigger; returns its id. */
  scheduleOnce(handler: string, afterMs: number): string;
  /** Deletes the trigger with that id if it still exists. */
  deleteTrigger(id: string): void;
}

/** Everything an entry point can use; `ui` is absent where no one is looking (time-driven triggers). */
export interface Ports {
  sheet: SheetPort;
  props: Props;
  lock: Lock;
  http: Http;
  crypto: Crypto;
  clock: Clock;
  triggers: Triggers;
  ui: Ui | null;
}
