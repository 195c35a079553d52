// Units' input tabs from Google Sheets: one Drive listing tells which spreadsheets changed, then one
// values.batchGet per changed spreadsheet. Unchanged spreadsheets cost no Sheets request at all.
import type { sheets_v4 } from "@googleapis/sheets";
import type { CellValue, Unit } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";
import type { RawSheet } from "../../core/model.ts";
import type { SheetSource } from "../../core/ports.ts";
import { wholeSheetRange } from "./a1.ts";
import { CALL_OPTIONS } from "./auth.ts";
import { type GoogleDrive, SheetModificationLog } from "./drive.ts";
import { type CallPolicy, guardedCall } from "./quota.ts";
import { googleErrorMessage, googleErrorStatus, googleFailure } from "./retry.ts";

/**
 * The units' input tab. Same value as the .xlsx adapter's INPUT_TAB (a test holds them equal); not imported
 * from there because that module pulls exceljs into the Cloud Functions' cold start.
 */
export const INPUT_TAB = "Nhập liệu";

export interface GoogleSheetSourceOptions extends CallPolicy {
  sheets: sheets_v4.Sheets;
  drive: GoogleDrive;
  /** Campaign folder of the units' spreadsheets; without it every spreadsheet shared with the account is listed. */
  folderId?: string;
  /** Shared with GoogleUnitAnnotator so dondoc's own note writes do not count as changes. */
  log?: SheetModificationLog;
  inputTab?: string;
}

export class GoogleSheetSource implements SheetSource {
  private readonly sheets: sheets_v4.Sheets;
  private readonly drive: GoogleDrive;
  private readonly folderId: string | undefined;
  private readonly policy: CallPolicy;
  private readonly inputTab: string;
  readonly log: SheetModificationLog;

  constructor(opts: GoogleSheetSourceOptions) {
    this.sheets = opts.sheets;
    this.drive = opts.drive;
    this.folderId = opts.folderId;
    this.policy = { quota: opts.quota, retry: opts.retry };
    this.inputTab = opts.inputTab ?? INPUT_TAB;
    this.log = opts.log ?? new SheetModificationLog();
  }

  /**
   * Units to read: those whose spreadsheet's modifiedTime moved since the last read (dondoc's own annotation
   * writes excepted), those never read, and those without a readable spreadsheet — so `read` reports why.
   */
  async changedUnits(units: Unit[], lastModified: ReadonlyMap<string, string | null>): Promise<Unit[]> {
    const provisioned = units.filter((u) => u.sheetId);
    const times =
      provisioned.length === 0
        ? new Map<string, string>()
        : await this.drive.listModified(
            this.folderId ? { folderId: this.folderId } : { ids: provisioned.map((u) => u.sheetId!) },
          );
    this.log.noteListing(times);
    const changed: Unit[] = [];
    for (const unit of units) {
      const current = unit.sheetId ? times.get(unit.sheetId) : undefined;
      if (current === undefined) {
        changed.push(unit);
        continue;
      }
      if (!(await this.log.unchangedSince(unit.sheetId!, lastModified.get(unit.id) ?? null, current)))
        changed.push(unit);
    }
    return changed;
  }

  async read(unit: Unit): Promise<RawSheet> {
    const spreadsheetId = unit.sheetId;
    if (!spreadsheetId) {
      throw new DondocError(
        "sheet-not-provisioned",
        `${unit.name} chưa được cấp bảng tính nhập liệu (chưa chạy bước tạo bảng tính cho đơn vị này).`,
        { unitId: unit.id },
      );
    }
    let response: sheets_v4.Schema$BatchGetValuesResponse;
    try {
      const res = await guardedCall(
        "read",
        () =>
          this.sheets.spreadsheets.values.batchGet(
            {
              spreadsheetId,
              ranges: [wholeSheetRange(this.inputTab)],
              majorDimension: "ROWS",
              // FORMULA is UNFORMATTED_VALUE except that a formula comes back as its text: what a unit typed is
              // data, never executed — the .xlsx adapter delivers formulas the same way.
              valueRenderOption: "FORMULA",
              dateTimeRenderOption: "SERIAL_NUMBER",
              fields: "valueRanges(values)",
            },
            CALL_OPTIONS,
          ),
        this.policy,
      );
      response = res.data;
    } catch (e) {
      throw this.readFailure(unit, e);
    }
    const values = response.valueRanges?.[0]?.values ?? [];
    const { header, rows } = toRawRows(values);
    const sheet: RawSheet = { unitId: unit.id, source: spreadsheetId, header, rows };
    const modifiedTime = this.log.listedTime(spreadsheetId);
    if (modifiedTime !== undefined) sheet.modifiedTime = modifiedTime;
    return sheet;
  }

  private readFailure(unit: Unit, e: unknown): DondocError {
    if (googleErrorStatus(e) === 400 && /Unable to parse range/i.test(googleErrorMessage(e))) {
      return new DondocError(
        "sheet-tab-missing",
        `Bảng tính của ${unit.name} không có trang "${this.inputTab}" (trang có thể đã bị đổi tên hoặc xóa).`,
        { unitId: unit.id, spreadsheetId: unit.sheetId },
      );
    }
    const error = googleFailure(e, {
      unreachable: {
        code: "sheet-unreachable",
        message: `Không mở được bảng tính của ${unit.name}: bảng tính đã bị xóa hoặc không còn được chia sẻ cho tài khoản hệ thống.`,
      },
      unavailable: `Google Sheets tạm thời không phản hồi khi đọc bảng tính của ${unit.name}; hệ thống sẽ thử lại ở lần đồng bộ sau.`,
      rejected: `Google Sheets từ chối yêu cầu đọc bảng tính của ${unit.name}`,
    });
    Object.assign(error.details, { unitId: unit.id, spreadsheetId: unit.sheetId });
    return error;
  }
}

function toCell(v: unknown): CellValue {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") return v === "" ? null : v;
  return null;
}

/**
 * Every data row's cells as CellValues, in place. A loop alone in its function: V8 optimizes a long loop
 * part-way through (on-stack replacement) and reuses that code at the function's next calls, and code after
 * the loop that had not yet run when it was compiled threw it away again at every call (31 times in the
 * province benchmark's 100 sheets), after running part of each sheet unoptimized. Measured alone, converting
 * the province's 100 sheets took 101–113 ms this way against 117–124 ms.
 */
function toCellsInPlace(values: unknown[][]): void {
  for (let r = 1; r < values.length; r++) {
    const line = values[r]!;
    const n = line.length;
    for (let i = 0; i < n; i++) {
      const v = line[i];
      // Most cells are already what they should be: leave them untouched.
      if (v === "" || (typeof v !== "string" && typeof v !== "boolean" && !Number.isFinite(v)))
        line[i] = toCell(v);
    }
  }
}

/**
 * Header row plus data rows, trailing empty rows dropped. The response's own arrays become the rows, converted in
 * place: a province's million rows are not copied, and the caller owns `values` (a freshly parsed response) and
 * does not use it afterwards. Rows stay as ragged as the API sends them (it leaves out a row's trailing empty
 * cells; RawSheet allows that): padding them would regrow nearly every row's array, for nothing.
 */
export function toRawRows(values: unknown[][]): {
  header: CellValue[];
  rows: CellValue[][];
} {
  const header = (values[0] ?? []).map(toCell);
  toCellsInPlace(values);
  let end = values.length;
  while (end > 1 && values[end - 1]!.every((c) => c === null)) end--;
  const rows = values.slice(1, end) as CellValue[][];
  return { header, rows };
}
