// The blank (or pre-filled) input workbook a unit receives: what `dondoc init` writes for every unit and what
// the examples generator fills with rows. Built from the same column list the parser reads, so the header a
// unit gets is exactly the header that is matched.
import ExcelJS from "exceljs";
import { DateTime } from "luxon";
import type { Campaign, CellValue, Unit } from "../../../../schemas/index.ts";
import { type InputColumn, inputColumns } from "../../core/columns.ts";
import { DondocError } from "../../core/errors.ts";
import { formatViDate } from "../../core/format.ts";
import { columnLetter, fromCellValue } from "./cells.ts";
import { saveWorkbook } from "./save.ts";

export const INPUT_TAB = "Nhập liệu";
export const GUIDE_TAB = "Hướng dẫn";
/** Holds dropdown choices only when they cannot be written inline in the validation (see listFormula). */
export const LISTS_TAB = "Danh mục";

/** Validations reach at least this row, so a unit typing past the prepared rows still gets dropdowns. */
export const MIN_VALIDATED_ROWS = 1000;
/** Validated rows beyond the last given row. */
export const SPARE_ROWS = 500;

const HEADER_FILL = "DDEBF7";
const LOCKED_HEADER_FILL = "D9D9D9";
const THIN = { style: "thin" as const, color: { argb: "FF8EA9C1" } };

const NUM_FMT: Partial<Record<InputColumn["type"], string>> = {
  // "@" is Excel's text format: a typed 001203004567 stays text instead of becoming 1203004567.
  id: "@",
  phone: "@",
  date: "dd/mm/yyyy",
  stamp: "dd/mm/yyyy hh:mm",
};

// Excel's limits on data validation texts; longer ones make Excel call the file corrupt.
const MAX_TITLE = 32;
const MAX_PROMPT = 255;
const MAX_ERROR = 225;
/** An inline list formula is limited to 255 characters including its quotes. */
const MAX_INLINE_LIST = 255;

export interface InputWorkbookOptions {
  /** First line of the guide tab and the document title; defaults to the campaign title and the unit name. */
  title?: string;
}

// exceljs implements worksheet.dataValidations but its typings do not declare it.
interface WithValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function argb(rgb: string): string {
  return `FF${rgb}`;
}

/** Campaign dates are calendar days in the campaign's zone; the cell wants their wall-clock midnight. */
function calendarDate(iso: string, zone: string): Date {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new DondocError("invalid-date", `Ngày không hợp lệ trong cấu hình: ${iso}.`);
  return new Date(Date.UTC(dt.year, dt.month - 1, dt.day));
}

/**
 * A list validation's source. Inline ("VNPT,Viettel") when Excel can hold it that way; otherwise a range on a
 * hidden tab, because a choice containing a comma or a quote, or a long list, cannot be written inline.
 */
function listFormula(wb: ExcelJS.Workbook, column: InputColumn, options: string[]): string {
  const inline = `"${options.join(",")}"`;
  if (options.every((o) => !o.includes(",") && !o.includes('"')) && inline.length <= MAX_INLINE_LIST) {
    return inline;
  }
  const lists = wb.getWorksheet(LISTS_TAB) ?? wb.addWorksheet(LISTS_TAB, { state: "hidden" });
  const col = lists.columnCount + 1;
  lists.getCell(1, col).value = column.label;
  options.forEach((o, i) => {
    lists.getCell(i + 2, col).value = o;
  });
  const letter = lists.getColumn(col).letter;
  return `'${LISTS_TAB}'!$${letter}$2:$${letter}$${options.length + 1}`;
}

function validationFor(
  wb: ExcelJS.Workbook,
  campaign: Campaign,
  column: InputColumn,
): ExcelJS.DataValidation | null {
  const promptTitle = clip(column.label, MAX_TITLE);
  const prompt = clip(column.help, MAX_PROMPT);
  const common = {
    allowBlank: true,
    showInputMessage: true,
    promptTitle,
    prompt,
    showErrorMessage: true,
    errorTitle: clip(column.label, MAX_TITLE),
  };
  switch (column.type) {
    case "choice":
    case "bool": {
      const options = column.options ?? [];
      if (options.length === 0) return null;
      return {
        ...common,
        type: "list",
        formulae: [listFormula(wb, column, options)],
        errorStyle: "stop",
        error: clip(`Vui lòng chọn một giá trị trong danh sách: ${options.join(", ")}.`, MAX_ERROR),
      };
    }
    case "count":
      return {
        ...common,
        type: "whole",
        operator: "greaterThanOrEqual",
        formulae: [0],
        errorStyle: "stop",
        error: "Vui lòng nhập số nguyên không âm (0, 1, 2, …).",
      };
    case "date": {
      const zone = campaign.timezone;
      return {
        ...common,
        type: "date",
        operator: "between",
        formulae: [calendarDate(campaign.start, zone), calendarDate(campaign.end, zone)],
        errorStyle: "stop",
        error: `Vui lòng nhập ngày dạng dd/mm/yyyy, trong thời gian chiến dịch từ ${formatViDate(campaign.start)} đến ${formatViDate(campaign.end)}.`,
      };
    }
    case "id":
      // A warning, not a stop: an 11-digit id (a lost leading zero) is repaired by the parser and said so.
      return {
        ...common,
        type: "textLength",
        operator: "equal",
        formulae: [12],
        errorStyle: "warning",
        error: "Số định danh cá nhân gồm đúng 12 chữ số. Kiểm tra lại trước khi lưu.",
      };
    case "phone":
      return {
        ...common,
        type: "textLength",
        operator: "between",
        formulae: [10, 12],
        errorStyle: "warning",
        error: "Số di động gồm 10 chữ số (ví dụ 0912345678), hoặc dạng +84… Kiểm tra lại trước khi lưu.",
      };
    case "stamp":
    case "text":
      return null;
  }
}

const EXAMPLES: Record<string, string> = {
  supporter: "Nguyễn Văn An",
  citizenName: "Trần Thị Bình",
  citizenId: "001203004567",
  phone: "0912345678",
  residence: "Thôn Nà Tùm",
  reporter: "Hoàng Thị Lan",
  note: "",
};

function exampleFor(campaign: Campaign, column: InputColumn): string {
  const known = EXAMPLES[column.key];
  if (known !== undefined) return known;
  switch (column.type) {
    case "stamp":
      return "(tự động)";
    case "date":
      return formatViDate(campaign.start);
    case "bool":
      return column.options?.[0] ?? "";
    case "choice":
      return column.options?.[0] ?? "";
    case "count":
      return "125";
    case "id":
      return "001203004567";
    case "phone":
      return "0912345678";
    case "text":
      return "";
  }
}

function writeInputTab(
  wb: ExcelJS.Workbook,
  campaign: Campaign,
  columns: InputColumn[],
  rows: CellValue[][],
) {
  const ws = wb.addWorksheet(INPUT_TAB, { views: [{ state: "frozen", ySplit: 1 }] });

  columns.forEach((column, i) => {
    const col = ws.getColumn(i + 1);
    col.width = column.width;
    const numFmt = NUM_FMT[column.type];
    // Column styles (not per-cell ones) so rows a unit adds past the prepared ones behave the same.
    col.style = {
      ...(numFmt === undefined ? {} : { numFmt }),
      protection: { locked: column.protected === true },
    };
  });

  const header = ws.getRow(1);
  header.height = 36;
  columns.forEach((column, i) => {
    const cell = header.getCell(i + 1);
    cell.value = column.label;
    cell.style = {
      font: { bold: true },
      alignment: { wrapText: true, vertical: "middle", horizontal: "center" },
      fill: {
        type: "pattern",
        pattern: "solid",
        fgColor: { argb: argb(column.protected ? LOCKED_HEADER_FILL : HEADER_FILL) },
      },
      border: { top: THIN, left: THIN, bottom: THIN, right: THIN },
      protection: { locked: true },
    };
    cell.note = column.required ? `${column.help}\n(Bắt buộc)` : column.help;
  });

  rows.forEach((values, r) => {
    const row = ws.getRow(r + 2);
    values.forEach((v, c) => {
      if (v === null) return;
      row.getCell(c + 1).value = fromCellValue(v);
    });
  });

  const lastRow = Math.max(MIN_VALIDATED_ROWS, rows.length + 1 + SPARE_ROWS);
  const validations = (ws as unknown as WithValidations).dataValidations;
  columns.forEach((column, i) => {
    const validation = validationFor(wb, campaign, column);
    if (validation === null) return;
    const letter = ws.getColumn(i + 1).letter;
    validations.add(`${letter}2:${letter}${lastRow}`, validation);
  });

  return ws;
}

function writeGuideTab(
  wb: ExcelJS.Workbook,
  campaign: Campaign,
  unit: Unit,
  columns: InputColumn[],
  title: string,
) {
  const ws = wb.addWorksheet(GUIDE_TAB);
  ws.columns = [{ width: 8 }, { width: 28 }, { width: 10 }, { width: 70 }, { width: 20 }];
  const lines = [
    title,
    `Đơn vị: ${unit.name}`,
    `Cơ quan chỉ đạo: ${campaign.issuer}${campaign.reference ? ` (${campaign.reference})` : ""}`,
    `Thời gian: từ ${formatViDate(campaign.start)} đến ${formatViDate(campaign.end)}`,
    campaign.mode === "line-list"
      ? `Nhập mỗi người dân được hỗ trợ trên một dòng của trang "${INPUT_TAB}", bắt đầu từ dòng 2.`
      : `Mỗi lần báo cáo nhập một dòng số liệu lũy kế trên trang "${INPUT_TAB}", bắt đầu từ dòng 2.`,
    "Không sửa, xóa hay đổi thứ tự dòng tiêu đề (dòng 1). Muốn bỏ một dòng đã nhập, hãy xóa nội dung các ô của dòng đó.",
    // exceljs cannot write real checkboxes, so yes/no columns are dropdowns; the parser also accepts x, ✓, có.
    'Các cột có/không dùng danh sách chọn "Có"/"Không"; để trống nghĩa là chưa.',
  ];
  lines.forEach((line, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = line;
    if (i === 0) cell.font = { bold: true, size: 13 };
  });

  const headerRow = ws.getRow(lines.length + 2);
  ["Cột", "Tên cột", "Bắt buộc", "Cần nhập", "Ví dụ"].forEach((h, i) => {
    const cell = headerRow.getCell(i + 1);
    cell.value = h;
    cell.font = { bold: true };
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: argb(HEADER_FILL) } };
    cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
  });
  columns.forEach((column, i) => {
    const row = ws.getRow(lines.length + 3 + i);
    const letter = columnLetter(i + 1);
    const cells = [
      letter,
      column.label,
      column.required ? "Có" : "Không",
      column.help,
      exampleFor(campaign, column),
    ];
    cells.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      // Examples are text so an id like 001203004567 shows exactly as it must be typed.
      cell.value = v;
      cell.alignment = { wrapText: true, vertical: "top" };
      cell.border = { top: THIN, left: THIN, bottom: THIN, right: THIN };
    });
  });
  return ws;
}

/**
 * The input workbook in memory. `rows` are written as given (an id string stays text, a number stays a
 * number) so examples can carry the mistakes units really make.
 */
export async function buildInputWorkbook(
  campaign: Campaign,
  unit: Unit,
  rows: CellValue[][] = [],
  opts: InputWorkbookOptions = {},
): Promise<ExcelJS.Workbook> {
  const columns = inputColumns(campaign);
  const title = opts.title ?? `${campaign.title}: ${unit.name}`;
  const wb = new ExcelJS.Workbook();
  wb.creator = campaign.issuer;
  wb.title = title;

  const input = writeInputTab(wb, campaign, columns, rows);
  const guide = writeGuideTab(wb, campaign, unit, columns, title);

  // No password: the protection keeps units from breaking the header by accident, and an office that truly
  // needs to restructure can lift it from the Review menu. A password would also need a random salt, which
  // would make every generated file differ. Deleting a whole row is refused by Excel because the stamp cell is
  // locked; clearing a row's cells is the way to withdraw it (the guide says so).
  await input.protect("", {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
  });
  await guide.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true });
  wb.views = [
    { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: "visible" },
  ];
  return wb;
}

/** Writes the unit's input workbook; dated at the campaign start so regenerating gives identical bytes. */
export async function writeInputWorkbook(
  path: string,
  campaign: Campaign,
  unit: Unit,
  rows: CellValue[][] = [],
  opts: InputWorkbookOptions = {},
): Promise<void> {
  const wb = await buildInputWorkbook(campaign, unit, rows, opts);
  await saveWorkbook(wb, path, { modified: calendarDate(campaign.start, campaign.timezone) });
}
