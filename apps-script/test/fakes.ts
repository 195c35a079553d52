// A small fake of the Apps Script services the script uses: a spreadsheet grid with notes, fills, formats,
// validations and protections; script properties (with Apps Script's 9 kB value limit); the script lock; UrlFetchApp
// recording requests; Utilities with a node:crypto HMAC returning signed bytes as Apps Script does; ScriptApp
// triggers; the UI; HtmlService; Session. Only what the script calls is implemented, and behaves like the original.
import { createHmac, randomUUID } from "node:crypto";
import type { Campaign } from "../../schemas/index.ts";
import { Campaign as CampaignSchema } from "../../schemas/index.ts";
import type { GasServices } from "../src/gas.ts";

type Value = string | number | boolean | Date;

interface Cell {
  value: Value | "";
  note: string;
  background: string | null;
  numberFormat: string | null;
  validation: FakeValidation | null;
}

export interface FakeValidation {
  criteria: string;
  args: unknown[];
  allowInvalid: boolean;
  helpText: string;
}

export const ME = "can-bo@xa-cho-don.example";

function colLetter(n: number): string {
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function parseA1(a1: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a1);
  if (m === null) throw new Error(`fake: unsupported A1 notation ${a1}`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

export class FakeUser {
  readonly email: string;
  constructor(email: string) {
    this.email = email;
  }
  getEmail(): string {
    return this.email;
  }
}

export class FakeProtection {
  range: FakeRange;
  description = "";
  editors: string[];
  domainEdit = true;
  removed = false;
  editable = true;
  readonly sheet: FakeSheet;
  constructor(range: FakeRange, editors: string[]) {
    this.range = range;
    this.sheet = range.sheet;
    this.editors = [...editors];
  }
  setDescription(d: string) {
    this.description = d;
    return this;
  }
  getDescription() {
    return this.description;
  }
  getEditors() {
    return this.editors.map((e) => new FakeUser(e));
  }
  addEditor(user: FakeUser | string) {
    const email = typeof user === "string" ? user : user.getEmail();
    if (!this.editors.includes(email)) this.editors.push(email);
    return this;
  }
  /** Like Sheets: the owner and the user running the script cannot be removed. */
  removeEditors(users: (FakeUser | string)[]) {
    const gone = new Set(users.map((u) => (typeof u === "string" ? u : u.getEmail())));
    this.editors = this.editors.filter(
      (e) => !gone.has(e) || e === this.sheet.ss.owner || e === this.sheet.ss.user,
    );
    return this;
  }
  canDomainEdit() {
    return this.domainEdit;
  }
  setDomainEdit(v: boolean) {
    this.domainEdit = v;
    return this;
  }
  canEdit() {
    return this.editable;
  }
  setRange(r: FakeRange) {
    this.range = r;
    return this;
  }
  getRange() {
    return this.range;
  }
  remove() {
    if (!this.editable) throw new Error("You do not have permission to remove this protection.");
    this.removed = true;
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this);
  }
}

export class FakeRange {
  readonly sheet: FakeSheet;
  readonly row: number;
  readonly col: number;
  readonly numRows: number;
  readonly numCols: number;
  constructor(sheet: FakeSheet, row: number, col: number, numRows: number, numCols: number) {
    if (row < 1 || col < 1 || numRows < 1 || numCols < 1) {
      throw new Error(`fake: bad range ${row},${col},${numRows},${numCols}`);
    }
    this.sheet = sheet;
    this.row = row;
    this.col = col;
    this.numRows = numRows;
    this.numCols = numCols;
  }
  private map<T>(f: (cell: Cell, r: number, c: number) => T): T[][] {
    const out: T[][] = [];
    for (let r = 0; r < this.numRows; r++) {
      const line: T[] = [];
      for (let c = 0; c < this.numCols; c++) line.push(f(this.sheet.cell(this.row + r, this.col + c), r, c));
      out.push(line);
    }
    return out;
  }
  private set2d<T>(values: T[][], f: (cell: Cell, v: T) => void) {
    if (values.length !== this.numRows || values.some((line) => line.length !== this.numCols)) {
      throw new Error(
        `The number of rows or columns in the data does not match the range (${this.numRows}x${this.numCols}).`,
      );
    }
    this.sheet.checkWritable(this);
    this.forEachCell((cell, r, c) => f(cell, values[r]![c]!));
    return this;
  }
  private forEachCell(f: (cell: Cell, r: number, c: number) => void): void {
    for (let r = 0; r < this.numRows; r++) {
      for (let c = 0; c < this.numCols; c++) f(this.sheet.cell(this.row + r, this.col + c), r, c);
    }
  }
  getSheet() {
    return this.sheet;
  }
  getRow() {
    return this.row;
  }
  getColumn() {
    return this.col;
  }
  getLastRow() {
    return this.row + this.numRows - 1;
  }
  getNumRows() {
    return this.numRows;
  }
  getA1Notation() {
    return `${colLetter(this.col)}${this.row}:${colLetter(this.col + this.numCols - 1)}${this.row + this.numRows - 1}`;
  }
  getValues(): (Value | "")[][] {
    return this.map((cell) => cell.value);
  }
  setValues(values: (Value | "" | null)[][]) {
    return this.set2d(values, (cell, v) => {
      cell.value = v === null ? "" : v;
    });
  }
  setValue(v: Value | "") {
    this.sheet.checkWritable(this);
    this.forEachCell((cell) => {
      cell.value = v;
    });
    return this;
  }
  clearContent() {
    this.sheet.checkWritable(this);
    this.forEachCell((cell) => {
      cell.value = "";
    });
    return this;
  }
  getNotes() {
    return this.map((cell) => cell.note);
  }
  setNotes(notes: (string | null)[][]) {
    return this.set2d(notes, (cell, v) => {
      cell.note = v ?? "";
    });
  }
  setNote(note: string) {
    this.forEachCell((cell) => {
      cell.note = note;
    });
    return this;
  }
  /** Sheets reports an unfilled cell as white. */
  getBackgrounds() {
    return this.map((cell) => cell.background ?? "#ffffff");
  }
  setBackgrounds(colors: (string | null)[][]) {
    return this.set2d(colors, (cell, v) => {
      cell.background = v;
    });
  }
  setBackground(color: string | null) {
    this.forEachCell((cell) => {
      cell.background = color;
    });
    return this;
  }
  setNumberFormat(format: string) {
    this.forEachCell((cell) => {
      cell.numberFormat = format;
    });
    return this;
  }
  getNumberFormats() {
    return this.map((cell) => cell.numberFormat ?? "General");
  }
  setDataValidation(rule: FakeValidation | null) {
    this.forEachCell((cell) => {
      cell.validation = rule;
    });
    return this;
  }
  getDataValidations() {
    return this.map((cell) => cell.validation);
  }
  setFontWeight(weight: string) {
    this.sheet.boldRanges.push({ a1: this.getA1Notation(), weight });
    return this;
  }
  setWrap(_wrap: boolean) {
    return this;
  }
  protect() {
    const p = new FakeProtection(this, this.sheet.ss.editors);
    this.sheet.protections.push(p);
    return p;
  }
}

export class FakeSheet {
  readonly ss: FakeSpreadsheet;
  name: string;
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  readonly cells = new Map<string, Cell>();
  readonly widths = new Map<number, number>();
  protections: FakeProtection[] = [];
  readonly boldRanges: { a1: string; weight: string }[] = [];
  constructor(ss: FakeSpreadsheet, name: string) {
    this.ss = ss;
    this.name = name;
  }
  cell(row: number, col: number): Cell {
    if (row > this.maxRows || col > this.maxCols) {
      throw new Error(`Range (${row},${col}) is outside the sheet (${this.maxRows}x${this.maxCols}).`);
    }
    const key = `${row},${col}`;
    let c = this.cells.get(key);
    if (c === undefined) {
      c = { value: "", note: "", background: null, numberFormat: null, validation: null };
      this.cells.set(key, c);
    }
    return c;
  }
  peek(a1: string): Cell {
    const { row, col } = parseA1(a1);
    return this.cell(row, col);
  }
  /** Writes like a person typing: no trigger fires; the test calls the handler itself. */
  type(row: number, values: (Value | "")[], col = 1) {
    values.forEach((v, i) => {
      this.cell(row, col + i).value = v;
    });
  }
  /** A range protected against the user running the script refuses writes, as in Sheets. */
  checkWritable(range: FakeRange) {
    for (const p of this.protections) {
      const r = p.range;
      const overlaps =
        range.row <= r.row + r.numRows - 1 &&
        r.row <= range.row + range.numRows - 1 &&
        range.col <= r.col + r.numCols - 1 &&
        r.col <= range.col + range.numCols - 1;
      if (overlaps && !p.editors.includes(this.ss.user) && this.ss.user !== this.ss.owner) {
        throw new Error("You are trying to edit a protected cell or object.");
      }
    }
  }
  getName() {
    return this.name;
  }
  getRange(rowOrA1: number | string, col?: number, numRows = 1, numCols = 1) {
    if (typeof rowOrA1 === "string") {
      const { row, col: c } = parseA1(rowOrA1);
      return new FakeRange(this, row, c, 1, 1);
    }
    return new FakeRange(this, rowOrA1, col ?? 1, numRows, numCols);
  }
  getRangeList(a1s: string[]) {
    const ranges = a1s.map((a) => this.getRange(a));
    this.ss.rangeListCalls++;
    return {
      setValue: (v: Value) => {
        for (const r of ranges) r.setValue(v);
      },
      clearContent: () => {
        for (const r of ranges) r.clearContent();
      },
    };
  }
  private extent(): { rows: number; cols: number } {
    let rows = 0;
    let cols = 0;
    for (const [key, cell] of this.cells) {
      if (cell.value === "") continue;
      const [r, c] = key.split(",").map(Number) as [number, number];
      rows = Math.max(rows, r);
      cols = Math.max(cols, c);
    }
    return { rows, cols };
  }
  getLastRow() {
    return this.extent().rows;
  }
  getLastColumn() {
    return this.extent().cols;
  }
  getDataRange() {
    const { rows, cols } = this.extent();
    return new FakeRange(this, 1, 1, Math.max(1, rows), Math.max(1, cols));
  }
  getMaxRows() {
    return this.maxRows;
  }
  getMaxColumns() {
    return this.maxCols;
  }
  insertRowsAfter(_after: number, n: number) {
    this.maxRows += n;
    return this;
  }
  insertColumnsAfter(_after: number, n: number) {
    this.maxCols += n;
    return this;
  }
  setFrozenRows(n: number) {
    this.frozenRows = n;
  }
  getFrozenRows() {
    return this.frozenRows;
  }
  setColumnWidth(col: number, px: number) {
    this.widths.set(col, px);
    return this;
  }
  getProtections(type: string) {
    return type === "RANGE" ? [...this.protections] : [];
  }
}

export class FakeDeveloperMetadata {
  private readonly key: string;
  private readonly value: string | null;
  private readonly visibility: string;
  constructor(key: string, value: string | null, visibility: string) {
    this.key = key;
    this.value = value;
    this.visibility = visibility;
  }
  getKey() {
    return this.key;
  }
  /** Apps Script answers null for metadata without a value. */
  getValue() {
    return this.value;
  }
  getVisibility() {
    return this.visibility;
  }
  getLocation() {
    return { getLocationType: () => "SPREADSHEET" };
  }
}

export class FakeSpreadsheet {
  readonly sheets: FakeSheet[] = [];
  locale = "en_US";
  timeZone = "America/Los_Angeles";
  readonly toasts: { message: string; title: string }[] = [];
  rangeListCalls = 0;
  /** Owner of the file, the user running the script, and everyone the file is shared with for editing. */
  owner = "so-tt@example.gov.vn";
  user = ME;
  editors: string[] = [ME, "giao-vien@example.com", "truong-thon@example.com"];
  /** Spreadsheet-level developer metadata (what provisioning writes through the Sheets API). */
  readonly developerMetadata: FakeDeveloperMetadata[] = [];
  /** How often the script read it (it should read it once per execution at most). */
  metadataReads = 0;
  getId() {
    return "fake-spreadsheet-id";
  }
  getDeveloperMetadata() {
    this.metadataReads++;
    return [...this.developerMetadata];
  }
  addDeveloperMetadata(key: string, value?: string, visibility: "DOCUMENT" | "PROJECT" = "DOCUMENT") {
    this.developerMetadata.push(new FakeDeveloperMetadata(key, value ?? null, visibility));
    return this;
  }
  getSheetByName(name: string) {
    return this.sheets.find((s) => s.name === name) ?? null;
  }
  insertSheet(name: string, index?: number) {
    const sheet = new FakeSheet(this, name);
    this.sheets.splice(index ?? this.sheets.length, 0, sheet);
    return sheet;
  }
  setSpreadsheetLocale(l: string) {
    this.locale = l;
  }
  setSpreadsheetTimeZone(tz: string) {
    this.timeZone = tz;
  }
  getSpreadsheetTimeZone() {
    return this.timeZone;
  }
  toast(message: string, title: string) {
    this.toasts.push({ message, title });
  }
}

class FakeValidationBuilder {
  private criteria = "";
  private args: unknown[] = [];
  private allowInvalid = true;
  private helpText = "";
  private set(criteria: string, args: unknown[]) {
    this.criteria = criteria;
    this.args = args;
    return this;
  }
  requireCheckbox(...args: unknown[]) {
    return this.set("CHECKBOX", args);
  }
  requireValueInList(values: string[], showDropdown = true) {
    return this.set("VALUE_IN_LIST", [values, showDropdown]);
  }
  requireDateBetween(start: Date, end: Date) {
    return this.set("DATE_BETWEEN", [start, end]);
  }
  requireNumberGreaterThanOrEqualTo(n: number) {
    return this.set("NUMBER_GREATER_THAN_OR_EQUAL_TO", [n]);
  }
  requireFormulaSatisfied(formula: string) {
    return this.set("CUSTOM_FORMULA", [formula]);
  }
  setAllowInvalid(v: boolean) {
    this.allowInvalid = v;
    return this;
  }
  setHelpText(t: string) {
    this.helpText = t;
    return this;
  }
  build(): FakeValidation {
    if (this.criteria === "") throw new Error("fake: validation without criteria");
    return {
      criteria: this.criteria,
      args: this.args,
      allowInvalid: this.allowInvalid,
      helpText: this.helpText,
    };
  }
}

export class FakeUi {
  readonly menus: { title: string; items: { label: string; fn: string }[] }[] = [];
  readonly alerts: { title: string; message: string; buttons: string }[] = [];
  readonly sidebars: { title: string; html: string }[] = [];
  /** Answer to the next YES_NO alerts. */
  answer: "YES" | "NO" = "YES";
  readonly ButtonSet = { OK: "OK", YES_NO: "YES_NO" };
  readonly Button = { OK: "OK", YES: "YES", NO: "NO" };
  createMenu(title: string) {
    const items: { label: string; fn: string }[] = [];
    const menu = {
      addItem: (label: string, fn: string) => {
        items.push({ label, fn });
        return menu;
      },
      addSeparator: () => menu,
      addToUi: () => {
        this.menus.push({ title, items });
      },
    };
    return menu;
  }
  alert(title: string, message: string, buttons: string) {
    this.alerts.push({ title, message, buttons });
    return buttons === "YES_NO" ? this.answer : "OK";
  }
  showSidebar(output: { getContent(): string; getTitle(): string }) {
    this.sidebars.push({ title: output.getTitle(), html: output.getContent() });
  }
}

export class FakeProperties {
  readonly store = new Map<string, string>();
  getProperty(k: string) {
    return this.store.get(k) ?? null;
  }
  setProperty(k: string, v: string) {
    if (Buffer.byteLength(k) + Buffer.byteLength(v) > 9 * 1024) {
      throw new Error("Argument too large: value");
    }
    this.store.set(k, v);
    return this;
  }
  deleteProperty(k: string) {
    this.store.delete(k);
    return this;
  }
  getKeys() {
    return [...this.store.keys()];
  }
}

export class FakeLock {
  held = false;
  /** Set by a test to stand for another execution holding the lock. */
  heldElsewhere = false;
  acquisitions = 0;
  tryLock(_ms: number) {
    if (this.heldElsewhere || this.held) return false;
    this.held = true;
    this.acquisitions++;
    return true;
  }
  releaseLock() {
    this.held = false;
  }
  hasLock() {
    return this.held;
  }
}

export interface RecordedRequest {
  url: string;
  method: string;
  contentType: string;
  headers: Record<string, string>;
  payload: string;
  muteHttpExceptions: boolean;
}

export type Responder = (req: RecordedRequest) => { status: number; body: string } | Error;

export class FakeUrlFetch {
  readonly requests: RecordedRequest[] = [];
  responder: Responder = () => ({ status: 200, body: "{}" });
  fetch(url: string, params: Record<string, unknown>) {
    const req: RecordedRequest = {
      url,
      method: String(params.method ?? "get"),
      contentType: String(params.contentType ?? ""),
      headers: { ...((params.headers as Record<string, string>) ?? {}) },
      payload: String(params.payload ?? ""),
      muteHttpExceptions: params.muteHttpExceptions === true,
    };
    this.requests.push(req);
    const res = this.responder(req);
    if (res instanceof Error) throw res;
    if (!req.muteHttpExceptions && res.status >= 400)
      throw new Error(`Request failed with code ${res.status}`);
    return { getResponseCode: () => res.status, getContentText: (_charset?: string) => res.body };
  }
}

export interface FakeTrigger {
  id: string;
  handler: string;
  eventType: "ON_EDIT" | "CLOCK";
  /** For time triggers: when it fires (ms since epoch). */
  at: number | null;
  getUniqueId(): string;
  getHandlerFunction(): string;
  getEventType(): string;
}

export class FakeScriptApp {
  readonly triggers: FakeTrigger[] = [];
  readonly EventType = { ON_EDIT: "ON_EDIT", CLOCK: "CLOCK" };
  private seq = 0;
  private readonly now: () => number;
  constructor(now: () => number) {
    this.now = now;
  }
  private add(handler: string, eventType: "ON_EDIT" | "CLOCK", at: number | null): FakeTrigger {
    if (this.triggers.length >= 20) throw new Error("This script has too many triggers.");
    const id = `trigger-${++this.seq}`;
    const t: FakeTrigger = {
      id,
      handler,
      eventType,
      at,
      getUniqueId: () => id,
      getHandlerFunction: () => handler,
      getEventType: () => eventType,
    };
    this.triggers.push(t);
    return t;
  }
  newTrigger(handler: string) {
    return {
      forSpreadsheet: (_ss: unknown) => ({
        onEdit: () => ({ create: () => this.add(handler, "ON_EDIT", null) }),
      }),
      timeBased: () => ({
        after: (ms: number) => ({ create: () => this.add(handler, "CLOCK", this.now() + ms) }),
      }),
    };
  }
  getProjectTriggers() {
    return [...this.triggers];
  }
  deleteTrigger(t: FakeTrigger) {
    const i = this.triggers.findIndex((x) => x.id === t.id);
    if (i >= 0) this.triggers.splice(i, 1);
  }
  timeTriggers() {
    return this.triggers.filter((t) => t.eventType === "CLOCK");
  }
}

function zonedParts(at: Date, zone: string) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return {
    y: get("year"),
    M: get("month"),
    d: get("day"),
    H: get("hour"),
    m: get("minute"),
    s: get("second"),
  };
}

export const fakeUtilities = {
  Charset: { UTF_8: "UTF_8", US_ASCII: "US_ASCII" },
  /** Apps Script returns Java bytes: signed, -128..127. Without a charset it does not encode as UTF-8. */
  computeHmacSha256Signature(value: string, key: string, charset?: string): number[] {
    const enc: BufferEncoding = charset === "UTF_8" ? "utf8" : "latin1";
    const digest = createHmac("sha256", Buffer.from(key, enc)).update(Buffer.from(value, enc)).digest();
    return Array.from(new Int8Array(digest.buffer, digest.byteOffset, digest.length));
  },
  getUuid: () => randomUUID(),
  formatDate(date: Date, zone: string, pattern: string): string {
    const at = new Date(date.getTime());
    if (pattern === "Z") {
      const p = zonedParts(at, zone);
      const wallMs = Date.UTC(+p.y, +p.M - 1, +p.d, +p.H, +p.m, +p.s);
      const offset = Math.round((wallMs - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
      const sign = offset < 0 ? "-" : "+";
      const abs = Math.abs(offset);
      return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
    }
    if (pattern !== "yyyy-MM-dd HH:mm:ss") throw new Error(`fake: formatDate pattern ${pattern}`);
    const p = zonedParts(at, zone);
    return `${p.y}-${p.M}-${p.d} ${p.H}:${p.m}:${p.s}`;
  },
  sleep(_ms: number) {},
};

export class FakeClock {
  ms: number;
  constructor(iso: string) {
    this.ms = Date.parse(iso);
  }
  now = () => new Date(this.ms);
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface Fakes {
  ss: FakeSpreadsheet;
  ui: FakeUi;
  props: FakeProperties;
  lock: FakeLock;
  fetch: FakeUrlFetch;
  scriptApp: FakeScriptApp;
  clock: FakeClock;
  services: GasServices;
  /** The same services as globals for the bundled script (plus console). */
  globals: Record<string, unknown>;
}

export function createFakes(nowIso = "2025-08-04T06:30:00Z"): Fakes {
  const clock = new FakeClock(nowIso);
  const ss = new FakeSpreadsheet();
  const ui = new FakeUi();
  const props = new FakeProperties();
  const lock = new FakeLock();
  const fetch = new FakeUrlFetch();
  const scriptApp = new FakeScriptApp(() => clock.ms);
  const raw = {
    SpreadsheetApp: {
      getActiveSpreadsheet: () => ss,
      getActive: () => ss,
      getUi: () => ui,
      newDataValidation: () => new FakeValidationBuilder(),
      ProtectionType: { RANGE: "RANGE", SHEET: "SHEET" },
    },
    PropertiesService: { getScriptProperties: () => props },
    LockService: { getScriptLock: () => lock },
    UrlFetchApp: fetch,
    Utilities: fakeUtilities,
    ScriptApp: scriptApp,
    HtmlService: {
      createHtmlOutput: (html: string) => {
        let title = "";
        const out = {
          getContent: () => html,
          getTitle: () => title,
          setTitle: (t: string) => {
            title = t;
            return out;
          },
        };
        return out;
      },
    },
    Session: { getEffectiveUser: () => new FakeUser(ss.user) },
  };
  return {
    ss,
    ui,
    props,
    lock,
    fetch,
    scriptApp,
    clock,
    services: raw as unknown as GasServices,
    globals: { ...raw, console },
  };
}

/** Chợ Đồn's campaign (seed 001) as the tests' campaign: line-list, Monday and Thursday 14:00. */
export const CHO_DON: Campaign = CampaignSchema.parse({
  id: "cho-don-2025-07",
  title: "Chiến dịch “1 người hỗ trợ 15 người – Mỗi hộ ít nhất 1 người thành thạo”",
  issuer: "UBND xã Chợ Đồn",
  timezone: "Asia/Ho_Chi_Minh",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  mode: "line-list",
  indicators: [
    { key: "vneid", label: "Định danh VNeID mức 2", short: "VNeID mức 2" },
    {
      key: "healthBook",
      label: "Tích hợp Sổ sức khỏe điện tử / thẻ BHYT trên VNeID",
      short: "Sổ sức khỏe / BHYT",
    },
    { key: "signature", label: "Chữ ký số công cộng", short: "Chữ ký số" },
  ],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 1, criticise: 1, behindBelowPace: 0.8 },
  providers: ["VNPT", "Viettel"],
  target: { rule: "per-staff", perStaff: 15 },
});

export const AGGREGATE: Campaign = CampaignSchema.parse({
  id: "vinh-loc-2024",
  title: "Chữ ký số cá nhân cho người trưởng thành",
  issuer: "UBND huyện Vĩnh Lộc",
  start: "2024-06-01",
  end: "2025-12-31",
  schedule: { kind: "monthly", days: [20], time: "17:00" },
  mode: "aggregate",
  indicators: [{ key: "signature", label: "Số người có chữ ký số cá nhân" }],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 2, criticise: 2 },
  target: { rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } },
});
