// The one file that touches Apps Script services. Everything else sees the ports of ports.ts. The services are
// passed in (globalServices() in the script, fakes in tests), so this adapter is itself exercised in Node.

import { serialFromWall } from "../../functions/src/core/cell-dates.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import { columnLetter } from "../../functions/src/core/header.ts";
import { bytesToHex } from "../../functions/src/core/push-protocol.ts";
import type { CellValue } from "../../schemas/index.ts";
import type { EditedRange } from "./app.ts";
import { withProvisionedSettings } from "./config.ts";
import { INPUT_TAB } from "./layout.ts";
import type {
  Box,
  Clock,
  Crypto,
  Http,
  InputGrid,
  Lock,
  Ports,
  Props,
  SheetPort,
  TemplatePlan,
  Triggers,
  Ui,
  ValidationRule,
  WallTime,
} from "./ports.ts";

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface GasServices {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  PropertiesService: GoogleAppsScript.Properties.PropertiesService;
  LockService: GoogleAppsScript.Lock.LockService;
  UrlFetchApp: GoogleAppsScript.URL_Fetch.UrlFetchApp;
  Utilities: GoogleAppsScript.Utilities.Utilities;
  ScriptApp: GoogleAppsScript.Script.ScriptApp;
  HtmlService: GoogleAppsScript.HTML.HtmlService;
  Session: GoogleAppsScript.Base.Session;
}

/** The services as Apps Script provides them: globals of the script's V8 context. */
export function globalServices(): GasServices {
  return {
    SpreadsheetApp,
    PropertiesService,
    LockService,
    UrlFetchApp,
    Utilities,
    ScriptApp,
    HtmlService,
    Session,
  };
}

const WALL_PATTERN = "yyyy-MM-dd HH:mm:ss";

function wallOf(s: GasServices, at: Date, zone: string): WallTime {
  const text = s.Utilities.formatDate(at, zone, WALL_PATTERN);
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (m === null) throw new DondocError("clock-format", `Unexpected formatDate output: ${text}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, hour, minute, second };
}

/** Offset of `zone` at that wall time, e.g. +07:00, read back from formatDate("Z"). */
function wallMidnight(s: GasServices, isoDate: string, zone: string): Date {
  const [y, mo, d] = isoDate.split("-").map(Number) as [number, number, number];
  const guess = new Date(Date.UTC(y, mo - 1, d));
  const z = s.Utilities.formatDate(guess, zone, "Z");
  const m = /^([+-])(\d{2})(\d{2})$/.exec(z);
  const offsetMin = m === null ? 0 : (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return new Date(guess.getTime() - offsetMin * 60_000);
}

/**
 * getValues hands date cells over as Dates whose wall time in the spreadsheet's zone is what the cell shows; the
 * server reads serial numbers (UNFORMATTED_VALUE, SERIAL_NUMBER), so they are converted back to exactly those.
 */
function toCell(s: GasServices, value: unknown, zone: string): CellValue {
  if (value === "" || value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date || Object.prototype.toString.call(value) === "[object Date]") {
    return serialFromWall(wallOf(s, value as Date, zone));
  }
  return String(value);
}

function a1(row: number, col: number): string {
  return `${columnLetter(col - 1)}${row}`;
}

/** getBackgrounds reports an unfilled cell as white; writing that back would paint it, so it reads as none. */
function normaliseFill(color: string): string | null {
  const c = color.toLowerCase();
  return c === "#ffffff" || c === "white" || c === "" ? null : color;
}

class GasSheet implements SheetPort {
  private readonly s: GasServices;
  constructor(s: GasServices) {
    this.s = s;
  }

  private ss(): Spreadsheet {
    return this.s.SpreadsheetApp.getActiveSpreadsheet();
  }

  private tab(): Sheet {
    const sheet = this.ss().getSheetByName(INPUT_TAB);
    if (sheet === null) {
      throw new DondocError(
        "no-input-tab",
        `Không tìm thấy trang "${INPUT_TAB}". Chọn menu Dondoc → Thiết lập / sửa bảng nhập liệu.`,
      );
    }
    return sheet;
  }

  private convert(values: unknown[][]): CellValue[][] {
    const zone = this.ss().getSpreadsheetTimeZone();
    return values.map((row) => row.map((v) => toCell(this.s, v, zone)));
  }

  hasInputTab(): boolean {
    return this.ss().getSheetByName(INPUT_TAB) !== null;
  }

  readGrid(): InputGrid {
    const values = this.convert(this.tab().getDataRange().getValues());
    return { header: values[0] ?? [], rows: values.slice(1) };
  }

  readHeader(): CellValue[] {
    const sheet = this.tab();
    const width = sheet.getLastColumn();
    if (width < 1) return [];
    return this.convert(sheet.getRange(1, 1, 1, width).getValues())[0] ?? [];
  }

  readRows(firstRow: number, count: number): CellValue[][] {
    if (count < 1) return [];
    const sheet = this.tab();
    const width = Math.max(1, sheet.getLastColumn());
    return this.convert(sheet.getRange(firstRow, 1, count, width).getValues());
  }

  writeText(col: number, rows: number[], text: string): void {
    if (rows.length === 0) return;
    this.tab()
      .getRangeList(rows.map((r) => a1(r, col)))
      .setValue(text);
  }

  clearCells(col: number, rows: number[]): void {
    if (rows.length === 0) return;
    this.tab()
      .getRangeList(rows.map((r) => a1(r, col)))
      .clearContent();
  }

  readAnnotations(box: Box): { notes: string[][]; backgrounds: (string | null)[][] } {
    const range = this.tab().getRange(box.row, box.col, box.numRows, box.numCols);
    return {
      notes: range.getNotes(),
      backgrounds: range.getBackgrounds().map((row) => row.map(normaliseFill)),
    };
  }

  writeAnnotations(box: Box, notes: string[][], backgrounds: (string | null)[][]): void {
    const range = this.tab().getRange(box.row, box.col, box.numRows, box.numCols);
    range.setNotes(notes);
    range.setBackgrounds(backgrounds);
  }

  private validation(rule: ValidationRule, col: number, reject: boolean, helpText: string, zone: string) {
    const b = this.s.SpreadsheetApp.newDataValidation();
    switch (rule.kind) {
      case "checkbox":
        b.requireCheckbox();
        break;
      case "list":
        b.requireValueInList(rule.options, true);
        break;
      case "date-between":
        b.requireDateBetween(wallMidnight(this.s, rule.from, zone), wallMidnight(this.s, rule.to, zone));
        break;
      case "number-min":
        b.requireNumberGreaterThanOrEqualTo(rule.min);
        break;
      case "text-length": {
        const cell = a1(2, col);
        b.requireFormulaSatisfied(
          `=OR(ISBLANK(${cell}),AND(LEN(${cell})>=${rule.min},LEN(${cell})<=${rule.max}))`,
        );
        break;
      }
    }
    return b.setAllowInvalid(!reject).setHelpText(helpText).build();
  }

  applyTemplate(plan: TemplatePlan): void {
    const s = this.s;
    const ss = this.ss();
    ss.setSpreadsheetLocale(plan.locale);
    ss.setSpreadsheetTimeZone(plan.timeZone);
    const sheet = ss.getSheetByName(plan.tabName) ?? ss.insertSheet(plan.tabName, 0);

    const own = sheet
      .getProtections(s.SpreadsheetApp.ProtectionType.RANGE)
      .filter((p) => p.getDescription().startsWith(plan.protectionPrefix));
    if (own.some((p) => !p.canEdit())) {
      throw new DondocError(
        "template-not-allowed",
        "Chỉ người đã thiết lập bảng lần đầu hoặc chủ sở hữu bảng tính mới sửa được mẫu bảng. Hãy nhờ người đó chọn lại menu này.",
      );
    }

    const width = Math.max(...plan.columns.map((c) => c.col));
    if (sheet.getMaxRows() < plan.lastRow)
      sheet.insertRowsAfter(sheet.getMaxRows(), plan.lastRow - sheet.getMaxRows());
    if (sheet.getMaxColumns() < width)
      sheet.insertColumnsAfter(sheet.getMaxColumns(), width - sheet.getMaxColumns());

    // The header row in three batched writes; cells of the unit's own extra columns are written back unchanged.
    const header = sheet.getRange(1, 1, 1, width);
    const values = header.getValues()[0]!;
    const notes = header.getNotes()[0]!;
    const fills = header.getBackgrounds()[0]!.map(normaliseFill);
    for (const c of plan.columns) {
      values[c.col - 1] = c.label;
      notes[c.col - 1] = c.note;
      fills[c.col - 1] = c.locked ? plan.lockedHeaderBackground : plan.headerBackground;
    }
    header.setValues([values]).setNotes([notes]).setBackgrounds([fills]).setFontWeight("bold").setWrap(true);

    const zone = plan.timeZone;
    const dataRows = plan.lastRow - 1;
    for (const c of plan.columns) {
      sheet.setColumnWidth(c.col, c.widthPx);
      const data = sheet.getRange(2, c.col, dataRows, 1);
      if (c.numberFormat !== null) data.setNumberFormat(c.numberFormat);
      data.setDataValidation(
        c.validation === null
          ? null
          : this.validation(c.validation.rule, c.col, c.validation.reject, c.validation.helpText, zone),
      );
    }

    const byCol = new Map<number, { row: number; value: CellValue }[]>();
    for (const r of plan.rewrites)
      byCol.set(r.col, [...(byCol.get(r.col) ?? []), { row: r.row, value: r.value }]);
    for (const [col, cells] of byCol) {
      const top = Math.min(...cells.map((c) => c.row));
      const bottom = Math.max(...cells.map((c) => c.row));
      const range = sheet.getRange(top, col, bottom - top + 1, 1);
      const current = range.getValues();
      for (const c of cells) current[c.row - top]![0] = c.value;
      range.setValues(current);
    }

    sheet.setFrozenRows(plan.frozenRows);

    // Protections are kept (only their range and wording refreshed) so that whoever may write the stamps —
    // the person whose trigger writes them — keeps that right when someone else repairs the tab.
    const stamp = plan.columns.find((c) => c.locked);
    const wanted: { description: string; range: GoogleAppsScript.Spreadsheet.Range; kind: string }[] = [
      { kind: "header", description: plan.headerProtection, range: sheet.getRange(1, 1, 1, width) },
    ];
    if (stamp !== undefined) {
      wanted.push({
        kind: "stamp",
        description: plan.stampProtection,
        range: sheet.getRange(1, stamp.col, plan.lastRow, 1),
      });
    }
    const remaining = [...own];
    for (const w of wanted) {
      const existing = remaining.find((p) => p.getDescription() === w.description);
      if (existing !== undefined) {
        remaining.splice(remaining.indexOf(existing), 1);
        existing.setRange(w.range);
        continue;
      }
      const p = w.range.protect().setDescription(w.description);
      // Google's documented sequence: keep the current user, remove everyone else, close domain-wide editing.
      p.addEditor(s.Session.getEffectiveUser());
      p.removeEditors(p.getEditors());
      if (p.canDomainEdit()) p.setDomainEdit(false);
    }
    for (const stale of remaining) stale.remove();
  }
}

class GasProps implements Props {
  private readonly p: GoogleAppsScript.Properties.Properties;
  constructor(s: GasServices) {
    this.p = s.PropertiesService.getScriptProperties();
  }
  get(key: string): string | null {
    return this.p.getProperty(key);
  }
  set(key: string, value: string): void {
    this.p.setProperty(key, value);
  }
  delete(key: string): void {
    this.p.deleteProperty(key);
  }
  keys(): string[] {
    return this.p.getKeys();
  }
}

/** Spreadsheet-level developer metadata, key → value; the first entry of a key wins. */
function spreadsheetMetadata(s: GasServices): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of s.SpreadsheetApp.getActiveSpreadsheet().getDeveloperMetadata()) {
    const key = m.getKey();
    if (!out.has(key)) out.set(key, m.getValue() ?? "");
  }
  return out;
}

class GasLock implements Lock {
  private readonly lock: GoogleAppsScript.Lock.Lock;
  constructor(s: GasServices) {
    this.lock = s.LockService.getScriptLock();
  }
  tryLock(timeoutMs: number): boolean {
    return this.lock.tryLock(timeoutMs);
  }
  release(): void {
    this.lock.releaseLock();
  }
}

function gasHttp(s: GasServices): Http {
  return {
    postJson(url, headers, body) {
      const res = s.UrlFetchApp.fetch(url, {
        method: "post",
        contentType: "application/json; charset=utf-8",
        headers,
        payload: body,
        muteHttpExceptions: true,
        followRedirects: false,
      });
      return { status: res.getResponseCode(), body: res.getContentText("UTF-8") };
    },
  };
}

function gasCrypto(s: GasServices): Crypto {
  return {
    hmacSha256Hex(value, key) {
      return bytesToHex(s.Utilities.computeHmacSha256Signature(value, key, s.Utilities.Charset.UTF_8));
    },
    uuid() {
      return s.Utilities.getUuid();
    },
  };
}

function gasClock(s: GasServices): Clock {
  return {
    now: () => new Date(),
    wall: (at, zone) => wallOf(s, at, zone),
  };
}

export function createUi(s: GasServices): Ui {
  const ui = s.SpreadsheetApp.getUi();
  return {
    addMenu(title, items) {
      const menu = ui.createMenu(title);
      for (const item of items) menu.addItem(item.label, item.handler);
      menu.addToUi();
    },
    alert(title, message) {
      ui.alert(title, message, ui.ButtonSet.OK);
    },
    confirm(title, message) {
      return ui.alert(title, message, ui.ButtonSet.YES_NO) === ui.Button.YES;
    },
    toast(message, title) {
      s.SpreadsheetApp.getActiveSpreadsheet().toast(message, title, 8);
    },
    showSidebar(title, html) {
      ui.showSidebar(s.HtmlService.createHtmlOutput(html).setTitle(title));
    },
  };
}

function gasTriggers(s: GasServices): Triggers {
  return {
    ensureEditTrigger(handler) {
      const mine = s.ScriptApp.getProjectTriggers().filter(
        (t) => t.getHandlerFunction() === handler && t.getEventType() === s.ScriptApp.EventType.ON_EDIT,
      );
      for (const extra of mine.slice(1)) s.ScriptApp.deleteTrigger(extra);
      if (mine.length > 0) return false;
      s.ScriptApp.newTrigger(handler)
        .forSpreadsheet(s.SpreadsheetApp.getActiveSpreadsheet())
        .onEdit()
        .create();
      return true;
    },
    scheduleOnce(handler, afterMs) {
      return s.ScriptApp.newTrigger(handler).timeBased().after(afterMs).create().getUniqueId();
    },
    deleteTrigger(id) {
      for (const t of s.ScriptApp.getProjectTriggers())
        if (t.getUniqueId() === id) s.ScriptApp.deleteTrigger(t);
    },
  };
}

/** `withUi` is false in time-driven triggers, where there is no one to show anything to. */
export function createPorts(s: GasServices, options: { withUi: boolean }): Ports {
  return {
    sheet: new GasSheet(s),
    props: withProvisionedSettings(new GasProps(s), () => spreadsheetMetadata(s)),
    lock: new GasLock(s),
    http: gasHttp(s),
    crypto: gasCrypto(s),
    clock: gasClock(s),
    triggers: gasTriggers(s),
    ui: options.withUi ? createUi(s) : null,
  };
}

/** The rows an edit event touched, in plain terms. */
export function editedRange(e: GoogleAppsScript.Events.SheetsOnEdit): EditedRange {
  return { tabName: e.range.getSheet().getName(), firstRow: e.range.getRow(), lastRow: e.range.getLastRow() };
}
