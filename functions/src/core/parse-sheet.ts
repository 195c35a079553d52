// Turning one unit's sheet into entries and located issues. Every row a unit typed ends up either as an entry
// or as issues naming its cells: nothing is dropped silently. Messages are what the unit reads in its own
// sheet (as cell notes) and in reminder mails, so they name the unit, row and column, and they never quote a
// citizen id or phone — not even a wrong one.
import { DateTime } from "luxon";
import type { Campaign, CellValue, Counts, RowIssue, Severity, Unit } from "../../../schemas/index.ts";
import { parseDateCell, readInstantCell, serialStampReader } from "./cell-dates.ts";
import { isEmptyCell, isUntouchedCell, SpellingCache, textCell } from "./cell-text.ts";
import { isOldEnough, parseCitizenId } from "./citizen-id.ts";
import { type InputColumn, inputColumns, readBoolCell } from "./columns.ts";
import { isoMs } from "./dedupe.ts";
import { formatViDate, formatViDateTime, formatViNumber } from "./format.ts";
import { columnLetter, type HeaderMatch, readHeader } from "./header.ts";
import { citizenIdValue, FirstRowById } from "./id-rows.ts";
import { LineListColumns } from "./line-list-columns.ts";
import { fastColumnsOf, fastLineListReader } from "./line-list-fast.ts";
import type { AggregateEntry, Entry, ParsedSheet, RawSheet } from "./model.ts";
import { parsePhone } from "./phone.ts";
import type { IdHasher } from "./ports.ts";
import { keepShapes } from "./shapes.ts";
import { parseCount } from "./vi-number.ts";
import { foldText, isBlankText } from "./vi-text.ts";

/**
 * Message templates by issue code; `{name}` placeholders are filled by renderIssueMessage. Each message is
 * prefixed with its location (see issueLocation). A `{value}` is always produced by quoteCellValue, which
 * withholds anything that could be an id or a phone.
 */
export const ISSUE_MESSAGES = {
  "header-missing-column":
    'thiếu cột bắt buộc "{label}" ở dòng tiêu đề; chưa đọc được dữ liệu của trang này.',
  "header-duplicate-column":
    'cột này trùng với cột {usedColumn} ("{usedHeader}") nên không được đọc; hãy đổi tên hoặc xóa một trong hai cột.',
  "required-empty": "chưa điền; đây là thông tin bắt buộc.",
  "date-invalid": "không đọc được ngày {value}; hãy nhập theo dạng dd/mm/yyyy.",
  "date-formula": "{value} là công thức hoặc giống công thức; hãy nhập ngày theo dạng dd/mm/yyyy.",
  "date-impossible": "ngày {value} không có trên lịch.",
  "date-out-of-range": "năm của ngày {value} phải từ 1900 đến 2100.",
  "date-future": "ngày {date} chưa đến (hôm nay là {today}).",
  "date-before-start": "ngày {date} trước ngày bắt đầu chiến dịch ({start}).",
  "date-after-end": "ngày {date} sau ngày kết thúc chiến dịch ({end}).",
  "stamp-invalid": "không đọc được thời điểm nhập {value}; cột này do hệ thống tự ghi, không sửa tay.",
  "stamp-future":
    "thời điểm nhập {stamp} ở sau thời điểm hiện tại ({now}); cột này do hệ thống tự ghi, không sửa tay.",
  "id-not-digits": "số định danh chỉ được gồm chữ số.",
  "id-formula": "ô chứa công thức hoặc giống công thức; hãy nhập đủ 12 chữ số của số định danh.",
  "id-length": "số định danh phải có 12 chữ số (đang có {digits}).",
  "id-province":
    "3 chữ số đầu của số định danh không phải mã tỉnh, thành phố hợp lệ (Thông tư 07/2016/TT-BCA); hãy kiểm tra lại.",
  "id-repaired":
    "số định danh chỉ có {digits} chữ số nên đã thêm {zeros} ở đầu (bảng tính thường làm mất số 0 ở đầu); hãy kiểm tra lại và định dạng cột là văn bản (Text).",
  "id-under-age":
    "theo năm sinh trong số định danh, người dân chưa đủ 14 tuổi vào năm {year}; chỉ tính công dân từ đủ 14 tuổi.",
  "id-duplicate":
    "số định danh trùng với dòng {firstRow}; mỗi người dân chỉ ghi một dòng, hãy gộp hoặc xóa dòng này.",
  "phone-formula": "ô chứa công thức hoặc giống công thức; hãy nhập số di động 10 chữ số, bắt đầu bằng 0.",
  "phone-not-digits": "số điện thoại chỉ được gồm chữ số (có thể viết +84 ở đầu).",
  "phone-length": "số điện thoại di động phải có 10 chữ số (đang có {digits}).",
  "phone-prefix": "đầu số không phải đầu số di động Việt Nam (03x, 05x, 07x, 08x, 09x); hãy kiểm tra lại.",
  "phone-old-11-digit":
    "số di động 11 chữ số (đầu 01…) đã được chuyển sang 10 chữ số từ năm 2018 (ví dụ đầu 0168 thành 038); hãy nhập số mới.",
  "phone-landline": "đây là số máy bàn; hãy nhập số di động.",
  "phone-repaired":
    "số điện thoại thiếu số 0 ở đầu nên đã tự thêm; hãy kiểm tra lại và định dạng cột là văn bản (Text).",
  "bool-invalid": 'không hiểu {value}; chọn "Có" nếu đã hoàn thành, để trống nếu chưa.',
  "provider-invalid": "{value} không có trong danh sách nhà cung cấp ({options}).",
  "no-indicator": "chưa đánh dấu chỉ số nào; dòng này chưa được tính.",
  "count-empty": "chưa điền; đây là số lũy kế bắt buộc (nhập 0 nếu chưa có).",
  "count-formula": "{value} là công thức hoặc giống công thức; hãy nhập số.",
  "count-not-a-number": "{value} không phải là số.",
  "count-ambiguous":
    "{value} không rõ là bao nhiêu: dấu chấm dùng để ngăn cách hàng nghìn (1.012), dấu phẩy cho phần thập phân.",
  "count-negative": "số lượng không được âm ({value}).",
  "count-not-whole": "số lượng phải là số nguyên ({value}).",
  "count-too-large": "số {value} quá lớn.",
  "report-date-duplicate": "ngày báo cáo {date} đã có ở dòng {firstRow}; mỗi ngày báo cáo chỉ ghi một dòng.",
  "count-decreased":
    "số lũy kế {value} thấp hơn số đã báo cáo ngày {previousDate} ({previous}, dòng {previousRow}); số lũy kế không được giảm.",
} as const;

export type IssueCode = keyof typeof ISSUE_MESSAGES;

const WARNINGS: ReadonlySet<IssueCode> = new Set<IssueCode>([
  "id-repaired",
  "phone-repaired",
  "no-indicator",
]);

export function issueSeverity(code: IssueCode): Severity {
  return WARNINGS.has(code) ? "warning" : "error";
}

/**
 * Each template split at its "{name}" parameters: text, name, text, …, text. A province's read reports tens of
 * thousands of issues; a regular expression and a callback per message were ≈ 2 µs each.
 */
const templateParts = new Map<IssueCode, readonly string[]>();

/** Fills a template; a missing parameter is a programming error, not something to print as "{x}". */
export function renderIssueMessage(
  code: IssueCode,
  params: Readonly<Record<string, string | number>> = {},
): string {
  let parts = templateParts.get(code);
  if (parts === undefined) {
    parts = ISSUE_MESSAGES[code].split(/\{(\w+)\}/);
    templateParts.set(code, parts);
  }
  let message = parts[0]!;
  for (let k = 1; k < parts.length; k += 2) {
    const value = params[parts[k]!];
    if (value === undefined) throw new Error(`message ${code} needs parameter ${parts[k]}`);
    message += String(value) + parts[k + 1]!;
  }
  return message;
}

/** "Thôn Bản Duồng 1, dòng 7, cột E (Số định danh cá nhân)"; without a column: "…, dòng 1". */
export function issueLocation(unitName: string, row: number, column: string, header: string): string {
  const at = `${unitName}, dòng ${row}`;
  return column === "" ? at : `${at}, cột ${column} (${header})`;
}

const MAX_QUOTE = 40;
/**
 * What may sit between the digits of an id or a phone and still show them: the separators people type and
 * invisible format characters (zero-width space and joiner, word joiner, BOM, bidi controls such as U+202E).
 */
const ID_SEPARATORS = /[\s.\-+()'",_\p{Cf}]/gu;
/** Slashes too ("0912/345/678"), but not spaces, so that a date and its time ("04/08/2025 10:30") stay apart. */
const SLASHED = /[/.\-_\p{Cf}]/gu;
export const WITHHELD_VALUE = "[giá trị đã ẩn]";

/**
 * Quotes what a unit typed, for messages about dates, counts and choices. A cell typed into the wrong column
 * may hold an id or a phone, so anything with nine or more digits in a row (ignoring the separators people
 * put in ids and phones, and invisible characters) is withheld instead of quoted.
 */
export function quoteCellValue(cell: CellValue): string {
  let text: string;
  if (typeof cell === "number") {
    text = Number.isInteger(cell) ? formatViNumber(cell) : String(cell).replace(".", ",");
  } else {
    text = String(cell ?? "")
      .normalize("NFC")
      .replace(/\s+/g, " ")
      .trim();
  }
  const raw = String(cell ?? "");
  if (/\d{9,}/.test(raw.replace(ID_SEPARATORS, "")) || /\d{9,}/.test(raw.replace(SLASHED, ""))) {
    return WITHHELD_VALUE;
  }
  if (text.length > MAX_QUOTE) text = `${text.slice(0, MAX_QUOTE - 1)}…`;
  return `"${text}"`;
}

/**
 * A figure for a message, grouped like 19.662. A count with as many digits as a phone or an id is withheld like a
 * quoted cell: an id or a phone typed into a count column reads as a (huge) count and must not be echoed.
 */
function countText(n: number): string {
  return /\d{9,}/.test(String(n)) ? WITHHELD_VALUE : formatViNumber(n);
}

export interface ParseSheetInput {
  campaign: Campaign;
  unit: Unit;
  sheet: RawSheet;
  now: Date;
  /** Keyed hash of a 12-digit citizen id (HMAC with the deployment's secret), injected to keep the core pure. */
  hashId: IdHasher;
  /** Replaying history: rows stamped after `now` do not exist yet and are skipped without an issue. */
  replay?: boolean;
  /**
   * Reads every row with the full reader, without the line-list fast path. Same result, slower: it is the
   * reference the fast path is tested against.
   */
  fullReaderOnly?: boolean;
}

/** A stamp this far ahead of the server's clock is a hand edit, not clock skew between Google and us. */
export const STAMP_FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

interface Context {
  campaign: Campaign;
  unit: Unit;
  zone: string;
  today: string;
  nowMs: number;
  replay: boolean;
  match: HeaderMatch;
  issues: RowIssue[];
  /** Campaign providers by folded spelling, folded once per sheet instead of once per row. */
  providersByFolded: Map<string, string>;
  /** Bool cells repeat the same few spellings ("Có", "x"): read each distinct spelling once per sheet. */
  boolByText: SpellingCache<boolean | null>;
  /** Supporter and residence texts already kept by an entry of this sheet. */
  interned: Map<string, string>;
  /** Each campaign indicator with its column key ("ind:<key>"), built once per sheet. */
  indicatorColumns: { key: string; column: string }[];
  /** Provider cells likewise: typed text → the campaign's spelling, or null when it is none of them. */
  providerByText: SpellingCache<string | null>;
}

/** Reading one row: its cells by column key, and the issues found in it. */
class RowReader {
  readonly row: number;
  hasError = false;
  private readonly cells: CellValue[];
  private readonly ctx: Context;

  constructor(ctx: Context, cells: CellValue[], row: number) {
    this.ctx = ctx;
    this.cells = cells;
    this.row = row;
  }

  cell(key: string): CellValue {
    const i = this.ctx.match.index.get(key);
    return i === undefined ? null : (this.cells[i] ?? null);
  }

  has(key: string): boolean {
    return !isEmptyCell(this.cell(key));
  }

  report(key: string, code: IssueCode, params: Record<string, string | number> = {}): void {
    const i = this.ctx.match.index.get(key);
    const column = i === undefined ? "" : columnLetter(i);
    const header = this.ctx.match.labels.get(key) ?? "";
    const severity = issueSeverity(code);
    if (severity === "error") this.hasError = true;
    this.ctx.issues.push({
      code,
      severity,
      unitId: this.ctx.unit.id,
      row: this.row,
      column,
      header,
      message: `${issueLocation(this.ctx.unit.name, this.row, column, header)}: ${renderIssueMessage(code, params)}`,
    });
  }

  text(key: string, required: boolean): string {
    const value = textCell(this.cell(key));
    if (required && isBlankText(value)) this.report(key, "required-empty");
    return value;
  }

  /** A campaign date: readable, within the campaign, not after today. */
  date(key: string): string | null {
    const cell = this.cell(key);
    const read = parseDateCell(cell, this.ctx.zone);
    if (!read.ok) {
      this.report(key, read.code === "date-empty" ? "required-empty" : read.code, {
        value: quoteCellValue(cell),
      });
      return null;
    }
    const date = read.value;
    const { start, end } = this.ctx.campaign;
    if (date < start) {
      this.report(key, "date-before-start", { date: formatViDate(date), start: formatViDate(start) });
    } else if (date > end) {
      this.report(key, "date-after-end", { date: formatViDate(date), end: formatViDate(end) });
    } else if (date > this.ctx.today) {
      this.report(key, "date-future", { date: formatViDate(date), today: formatViDate(this.ctx.today) });
    } else {
      return date;
    }
    return null;
  }

  /** The stamp column, optional. `undefined` means unreadable (already reported). */
  stamp(): string | null | undefined {
    const cell = this.cell("enteredAt");
    if (isEmptyCell(cell)) return null;
    const read = readInstantCell(cell, this.ctx.zone);
    if (!read.ok) {
      this.report("enteredAt", "stamp-invalid", { value: quoteCellValue(cell) });
      return undefined;
    }
    if (read.ms > this.ctx.nowMs + STAMP_FUTURE_TOLERANCE_MS) {
      this.report("enteredAt", "stamp-future", {
        stamp: formatViDateTime(read.value, this.ctx.zone),
        now: formatViDateTime(new Date(this.ctx.nowMs), this.ctx.zone),
      });
      return undefined;
    }
    return read.value;
  }

  count(key: string): number | null {
    const cell = this.cell(key);
    const read = parseCount(cell);
    if (read.ok) return read.value;
    this.report(key, read.code, { value: quoteCellValue(cell) });
    return null;
  }
}

// An anchor for RowReader's map (see shapes.ts); a reader of no sheet, never used.
keepShapes(new RowReader({} as Context, [], 0));

/** A replayed row stamped after `now` has not been typed yet at that moment. */
function notYetEntered(ctx: Context, stamp: CellValue): boolean {
  const read = readInstantCell(stamp, ctx.zone);
  return read.ok && read.ms > ctx.nowMs;
}

/**
 * One string per distinct supporter or residence in a sheet: entries keep them, and a commune's ten thousand
 * rows name a few hundred officials and a few villages, each otherwise held once per row.
 */
function intern(ctx: Context, text: string): string {
  const known = ctx.interned.get(text);
  if (known !== undefined) return known;
  ctx.interned.set(text, text);
  return text;
}

function boolCell(ctx: Context, cell: CellValue): boolean | null {
  if (typeof cell !== "string") return readBoolCell(cell);
  let yes = ctx.boolByText.get(cell);
  if (yes === undefined) {
    yes = readBoolCell(cell);
    ctx.boolByText.set(cell, yes);
  }
  return yes;
}

/** The first provider (in campaign order) for each folded spelling, as a find over the list would return. */
function providerTable(providers: readonly string[]): Map<string, string> {
  const table = new Map<string, string>();
  for (const p of providers) {
    const folded = foldText(p);
    if (!table.has(folded)) table.set(folded, p);
  }
  return table;
}

interface LineListState {
  firstRowById: FirstRowById;
  /** The sheet's entries so far, with their citizen ids pending: hashed together at the end. */
  out: LineListColumns;
}

/** Reads a row the fast path declined; appends its entry to state.out when it has one. */
function readLineListRow(ctx: Context, r: RowReader, state: LineListState): boolean {
  const enteredAt = r.stamp();
  const date = r.date("date");
  const supporter = intern(ctx, r.text("supporter", true));
  r.text("citizenName", true);

  const idRead = parseCitizenId(r.cell("citizenId"));
  let id: string | null = null;
  if (!idRead.ok) {
    r.report("citizenId", idRead.code === "id-empty" ? "required-empty" : idRead.code, {
      digits: idRead.digits,
    });
  } else {
    id = idRead.id;
    if (idRead.zerosAdded > 0) {
      r.report("citizenId", "id-repaired", {
        digits: 12 - idRead.zerosAdded,
        zeros: idRead.zerosAdded === 1 ? "số 0" : `${idRead.zerosAdded} số 0`,
      });
    }
    if (date !== null && !isOldEnough(idRead.birthYear, date)) {
      r.report("citizenId", "id-under-age", { year: date.slice(0, 4) });
    }
    const value = citizenIdValue(id);
    const firstRow = state.firstRowById.rowOf(value);
    if (firstRow < 0) state.firstRowById.add(value, r.row);
    else r.report("citizenId", "id-duplicate", { firstRow });
  }

  const phone = parsePhone(r.cell("phone"));
  if (!phone.ok) r.report("phone", phone.code, { digits: phone.digits });
  else if (phone.zeroAdded) r.report("phone", "phone-repaired");

  const residence = intern(ctx, r.text("residence", false));

  let ticks = 0;
  ctx.indicatorColumns.forEach((ind, k) => {
    const cell = r.cell(ind.column);
    const yes = boolCell(ctx, cell);
    if (yes === null) r.report(ind.column, "bool-invalid", { value: quoteCellValue(cell) });
    if (yes === true) ticks |= 1 << k;
  });

  let provider: string | null = null;
  const providerCell = r.cell("provider");
  if (!isEmptyCell(providerCell)) {
    const typed = String(providerCell);
    const known = ctx.providerByText.get(typed);
    if (known !== undefined) provider = known;
    else {
      provider = ctx.providersByFolded.get(foldText(textCell(providerCell))) ?? null;
      ctx.providerByText.set(typed, provider);
    }
    if (provider === null) {
      r.report("provider", "provider-invalid", {
        value: quoteCellValue(providerCell),
        options: ctx.campaign.providers.join(", "),
      });
    }
  }
  r.text("note", false);

  if (r.hasError || id === null || date === null || enteredAt === undefined) return false;
  if (ticks === 0) {
    const first = ctx.campaign.indicators[0];
    r.report(first === undefined ? "" : `ind:${first.key}`, "no-indicator");
    return false;
  }
  const ms = enteredAt === null ? Number.NaN : isoMs(enteredAt);
  state.out.pushWithStamp(r.row, enteredAt, ms, date, supporter, residence, ticks, provider, id);
  return true;
}

/**
 * Hashes the citizen ids of a sheet's entries in one call, which lets an adapter hash many ids together
 * (IdHasher.manyValuesText, manyText, else many).
 */
function hashEntries(out: LineListColumns, hashId: IdHasher): void {
  const values = hashId.manyValuesText ? out.idValuesToHash() : null;
  if (values !== null) {
    out.setHashes(hashId.manyValuesText!(values));
    return;
  }
  const ids = out.idsToHash();
  if (hashId.manyText) {
    out.setHashes(hashId.manyText(ids));
    return;
  }
  const hashes: string[] = new Array<string>(ids.length);
  if (hashId.many) hashId.many(ids, hashes);
  else for (let i = 0; i < ids.length; i++) hashes[i] = hashId(ids[i]!);
  out.setHashes(hashes);
}

interface AggregateCandidate {
  reader: RowReader;
  entry: AggregateEntry;
}

function readAggregateRow(
  ctx: Context,
  r: RowReader,
  firstRowByDate: Map<string, number>,
  firstSeenAt: string,
): AggregateCandidate | null {
  const enteredAt = r.stamp();
  const reportDate = r.date("reportDate");
  if (reportDate !== null) {
    const firstRow = firstRowByDate.get(reportDate);
    if (firstRow === undefined) firstRowByDate.set(reportDate, r.row);
    else r.report("reportDate", "report-date-duplicate", { date: formatViDate(reportDate), firstRow });
  }
  const counts: Counts = {};
  for (const ind of ctx.indicatorColumns) {
    const value = r.count(ind.column);
    if (value !== null) counts[ind.key] = value;
  }
  const reporter = r.text("reporter", false);
  const note = r.text("note", false);
  if (r.hasError || reportDate === null || enteredAt === undefined) return null;
  return {
    reader: r,
    entry: {
      mode: "aggregate",
      key: `${ctx.unit.id}~${reportDate}`,
      unitId: ctx.unit.id,
      row: r.row,
      enteredAt,
      firstSeenAt,
      reportDate,
      counts,
      reporter,
      note,
    },
  };
}

/**
 * Cumulative figures never go down: walking the reports in date order, a figure below the last accepted
 * report's is an error on that cell, and its row is not accepted (so the next report is compared with the
 * last good one, and each message names a figure the unit can find in its sheet).
 */
function checkCumulative(ctx: Context, candidates: AggregateCandidate[]): Set<AggregateCandidate> {
  const accepted = new Set<AggregateCandidate>();
  // Units add a row per report date, so the rows are nearly always in date order already (candidates have
  // distinct dates: a repeated date is an error, and its row is no candidate).
  let inOrder = true;
  for (let i = 1; i < candidates.length && inOrder; i++)
    inOrder = candidates[i - 1]!.entry.reportDate < candidates[i]!.entry.reportDate;
  const byDate = inOrder
    ? candidates
    : [...candidates].sort((a, b) => (a.entry.reportDate < b.entry.reportDate ? -1 : 1));
  let last: AggregateCandidate | null = null;
  for (const c of byDate) {
    let ok = true;
    if (last !== null) {
      for (const ind of ctx.campaign.indicators) {
        const now = c.entry.counts[ind.key] ?? 0;
        const before = last.entry.counts[ind.key] ?? 0;
        if (now < before) {
          ok = false;
          c.reader.report(`ind:${ind.key}`, "count-decreased", {
            value: countText(now),
            previousDate: formatViDate(last.entry.reportDate),
            previous: countText(before),
            previousRow: last.entry.row,
          });
        }
      }
    }
    if (ok) {
      accepted.add(c);
      last = c;
    }
  }
  return accepted;
}

function headerIssues(ctx: Context, header: CellValue[]): void {
  for (const column of ctx.match.missing) {
    ctx.issues.push({
      code: "header-missing-column",
      severity: "error",
      unitId: ctx.unit.id,
      row: 1,
      column: "",
      header: column.label,
      message: `${issueLocation(ctx.unit.name, 1, "", "")}: ${renderIssueMessage("header-missing-column", { label: column.label })}`,
    });
  }
  for (const dup of ctx.match.duplicates) {
    const usedColumn = columnLetter(dup.used);
    const usedHeader = ctx.match.labels.get(dup.column.key) ?? dup.column.label;
    for (const i of dup.ignored) {
      const column = columnLetter(i);
      const label = textCell(header[i] ?? null);
      ctx.issues.push({
        code: "header-duplicate-column",
        severity: "error",
        unitId: ctx.unit.id,
        row: 1,
        column,
        header: label,
        message: `${issueLocation(ctx.unit.name, 1, column, label)}: ${renderIssueMessage("header-duplicate-column", { usedColumn, usedHeader })}`,
      });
    }
  }
}

function columnOrder(letter: string): number {
  let n = 0;
  for (const ch of letter) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Row, then column, then the order found: issues read top to bottom, left to right, as the sheet does. */
function sortIssues(issues: RowIssue[]): RowIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort(
      (a, b) =>
        a.issue.row - b.issue.row || columnOrder(a.issue.column) - columnOrder(b.issue.column) || a.i - b.i,
    )
    .map((x) => x.issue);
}

/** The line-list fast path over this sheet's columns, sharing the full reader's caches and duplicate check. */
function fastReader(ctx: Context, state: LineListState) {
  return fastLineListReader({
    campaign: ctx.campaign,
    columns: fastColumnsOf(
      (key) => ctx.match.index.get(key),
      ctx.indicatorColumns.map((ind) => ind.key),
    ),
    today: ctx.today,
    nowMs: ctx.nowMs,
    stampToleranceMs: STAMP_FUTURE_TOLERANCE_MS,
    out: state.out,
    intern: (text) => intern(ctx, text),
    boolCell: (cell) => boolCell(ctx, cell),
    providerByText: ctx.providerByText,
    firstRowById: state.firstRowById,
  });
}

/**
 * A line-list sheet's rows in one pass: the fast path first, and a row it does not take is skipped when
 * untouched, else read by the full reader. The fast path takes only rows with a name, so every row it takes
 * is a filled one; it leaves nothing behind on the rows it declines that could change the full reader's answer.
 * Replaying, a row stamped after `now` is skipped first (and counted when it holds anything).
 */
function readLineListRows(
  ctx: Context,
  input: ParseSheetInput,
  rows: CellValue[][],
  firstSeenAt: string,
  touched: (cells: CellValue[]) => boolean,
): ParsedSheetColumns {
  const stamps = serialStampReader(ctx.zone);
  const out = new LineListColumns({
    unitId: ctx.unit.id,
    firstSeenAt,
    keyPrefix: `${ctx.unit.id}~`,
    indicatorKeys: ctx.indicatorColumns.map((ind) => ind.key),
    capacity: rows.length,
    stamps,
  });
  const state: LineListState = { firstRowById: new FirstRowById(rows.length), out };
  const fast = input.fullReaderOnly ? null : fastReader(ctx, state);
  const stampIndex = ctx.replay ? ctx.match.index.get("enteredAt") : undefined;
  let filled = 0;
  let skipped = 0;
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i]!;
    if (stampIndex !== undefined && notYetEntered(ctx, cells[stampIndex] ?? null)) {
      if (touched(cells)) skipped++;
      continue;
    }
    if (fast === null || !fast(cells, i + 2)) {
      if (!touched(cells)) continue;
      readLineListRow(ctx, new RowReader(ctx, cells, i + 2), state);
    }
    filled++;
  }
  hashEntries(out, input.hashId);
  return {
    unitId: ctx.unit.id,
    filledRows: filled,
    notYetEntered: skipped,
    entries: [],
    lineList: out,
    issues: sortIssues(ctx.issues),
  };
}

/**
 * A sheet read as parseSheet reads it, with its line-list entries as columns (`lineList`) rather than objects;
 * `entries` holds the rest (aggregate reports). The standings read the columns as they are (StandingsInput).
 */
export interface ParsedSheetColumns extends ParsedSheet {
  lineList: LineListColumns | null;
}

/**
 * What every sheet of a campaign reads the same way: its input columns, providers and indicator columns, and
 * the match of each distinct header row (units mostly keep the template's). Campaigns are values: nothing
 * changes one in place (a changed campaign is a new object), so this is kept per campaign object. A province
 * of 3.000 units reads 3.000 sheets a cycle; building these per sheet cost ≈ 0,1 s of it (bench, aggregate).
 */
interface CampaignReading {
  columns: InputColumn[];
  providersByFolded: Map<string, string>;
  indicatorColumns: { key: string; column: string }[];
  /** Header row (as JSON) → its match; bounded, since header rows are whatever units type. */
  headers: Map<string, HeaderMatch>;
}

const readings = new WeakMap<Campaign, CampaignReading>();
const MAX_HEADERS = 256;

function campaignReading(campaign: Campaign): CampaignReading {
  let reading = readings.get(campaign);
  if (reading === undefined) {
    reading = {
      columns: inputColumns(campaign),
      providersByFolded: providerTable(campaign.providers),
      indicatorColumns: campaign.indicators.map((ind) => ({ key: ind.key, column: `ind:${ind.key}` })),
      headers: new Map(),
    };
    readings.set(campaign, reading);
  }
  return reading;
}

/** The header's match, shared by every sheet with the same header row. Nothing changes a match once made. */
function headerMatch(reading: CampaignReading, header: CellValue[]): HeaderMatch {
  const key = JSON.stringify(header);
  let match = reading.headers.get(key);
  if (match === undefined) {
    match = readHeader(header, reading.columns);
    if (reading.headers.size >= MAX_HEADERS) reading.headers.clear();
    reading.headers.set(key, match);
  }
  return match;
}

/** Today and the present instant in the campaign's zone, as of `nowMs`; a cycle reads all its sheets as of one now. */
interface SheetClock {
  zone: string;
  nowMs: number;
  today: string;
  firstSeenAt: string;
}

let lastClock: SheetClock | null = null;

function sheetClock(zone: string, nowMs: number): SheetClock {
  if (lastClock === null || lastClock.zone !== zone || lastClock.nowMs !== nowMs) {
    const nowZoned = DateTime.fromMillis(nowMs, { zone });
    lastClock = { zone, nowMs, today: nowZoned.toISODate() ?? "", firstSeenAt: nowZoned.toISO() ?? "" };
  }
  return lastClock;
}

/** Reads a unit's sheet into entries and issues. Pure and deterministic: same input, same output. */
export function parseSheet(input: ParseSheetInput): ParsedSheet {
  const { lineList, ...parsed } = parseSheetColumns(input);
  return lineList === null ? parsed : { ...parsed, entries: lineList.entries() };
}

/** parseSheet with a line-list sheet's entries left as columns. */
export function parseSheetColumns(input: ParseSheetInput): ParsedSheetColumns {
  const { campaign, unit, sheet, now } = input;
  const zone = campaign.timezone;
  const nowMs = now.getTime();
  const clock = sheetClock(zone, nowMs);
  const reading = campaignReading(campaign);
  const ctx: Context = {
    campaign,
    unit,
    zone,
    today: clock.today,
    nowMs,
    replay: input.replay ?? false,
    match: headerMatch(reading, sheet.header),
    issues: [],
    providersByFolded: reading.providersByFolded,
    boolByText: new SpellingCache(),
    interned: new Map(),
    indicatorColumns: reading.indicatorColumns,
    providerByText: new SpellingCache(),
  };
  const firstSeenAt = clock.firstSeenAt;
  headerIssues(ctx, sheet.header);

  // Only the input columns decide whether a row holds anything: a stamp left behind after the unit cleared a
  // row, or a pre-numbered "STT" column of the unit's own, is not a row someone typed. Nor is a row of unticked
  // checkboxes: Google Sheets returns FALSE for every checkbox cell of the template's empty rows.
  const contentIndices = [...ctx.match.index.entries()]
    .filter(([key]) => key !== "enteredAt")
    .map(([, i]) => i);
  const touched = (cells: CellValue[]): boolean => {
    for (const c of contentIndices) if (!isUntouchedCell(cells[c] ?? null)) return true;
    return false;
  };
  const rows = sheet.rows;
  if (campaign.mode === "line-list" && ctx.match.missing.length === 0) {
    return readLineListRows(ctx, input, rows, firstSeenAt, touched);
  }

  const stampIndex = ctx.match.index.get("enteredAt");
  const filled: number[] = [];
  let skipped = 0;
  for (let i = 0; i < rows.length; i++) {
    const cells = rows[i]!;
    if (!touched(cells)) continue;
    if (ctx.replay && stampIndex !== undefined && notYetEntered(ctx, cells[stampIndex] ?? null)) skipped++;
    else filled.push(i);
  }
  const base = { unitId: unit.id, filledRows: filled.length, notYetEntered: skipped };

  if (ctx.match.missing.length > 0) {
    return { ...base, entries: [], issues: sortIssues(ctx.issues), lineList: null };
  }

  // An aggregate sheet (a line-list sheet with missing columns has returned above).
  const entries: Entry[] = [];
  const firstRowByDate = new Map<string, number>();
  const candidates: AggregateCandidate[] = [];
  for (const i of filled) {
    const c = readAggregateRow(ctx, new RowReader(ctx, rows[i]!, i + 2), firstRowByDate, firstSeenAt);
    if (c !== null) candidates.push(c);
  }
  const accepted = checkCumulative(ctx, candidates);
  for (const c of candidates) if (accepted.has(c)) entries.push(c.entry);
  return { ...base, entries, issues: sortIssues(ctx.issues), lineList: null };
}
