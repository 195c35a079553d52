// Notes and fills on a unit's own input tab: each bad cell gets its messages as a note and a red (error) or
// yellow (warning) fill; a fixed cell gets both cleared. One batchUpdate per unit, and only for cells whose
// annotation actually changed — the same issues again cost no request at all.
import type { sheets_v4 } from "@googleapis/sheets";
import type { RowIssue, Unit } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";
import type { RawSheet } from "../../core/model.ts";
import type { UnitAnnotator } from "../../core/ports.ts";
import { BAND_FILL, ERROR_FILL } from "../../core/summary.ts";
import { columnIndex } from "./a1.ts";
import { CALL_OPTIONS } from "./auth.ts";
import { hexToColor } from "./colors.ts";
import { type GoogleDrive, type SheetModificationLog, sameInstant } from "./drive.ts";
import { type CallPolicy, guardedCall } from "./quota.ts";
import { googleFailure } from "./retry.ts";

/**
 * sheetId of the input tab. The first tab of a new spreadsheet has sheetId 0 and a Drive copy keeps sheetIds,
 * so provisioning builds the template with the input tab first and every unit's copy has it at 0. A sync
 * therefore needs no extra read to address cells; a campaign with another layout passes `inputSheetId`.
 */
export const INPUT_SHEET_ID = 0;

const WARNING_FILL = BAND_FILL.behind ?? "FFEB9C";

export interface CellAnnotation {
  row: number;
  column: number;
  note: string;
  severity: "error" | "warning";
}

/**
 * Issues per cell. Sheet-level (row 0) and header (row 1) issues are left to the summary's "Lỗi dữ liệu" tab:
 * the header cells carry the template's help notes, which a note of ours would overwrite and later erase.
 * A row-level issue (no column) is shown on the row's first cell.
 */
export function cellAnnotations(issues: readonly RowIssue[]): Map<string, CellAnnotation> {
  const byCell = new Map<string, { row: number; column: number; messages: RowIssue[] }>();
  for (const issue of issues) {
    if (issue.row < 2) continue;
    const column = issue.column === "" ? 0 : columnIndex(issue.column);
    if (column === null) continue;
    const key = `${issue.row}:${column}`;
    const entry = byCell.get(key) ?? { row: issue.row, column, messages: [] };
    entry.messages.push(issue);
    byCell.set(key, entry);
  }
  const out = new Map<string, CellAnnotation>();
  for (const [key, { row, column, messages }] of byCell) {
    const sorted = [...messages].sort((a, b) =>
      a.severity === b.severity ? a.message.localeCompare(b.message, "vi") : a.severity === "error" ? -1 : 1,
    );
    const note = [...new Set(sorted.map((i) => i.message))].join("\n");
    out.set(key, {
      row,
      column,
      note,
      severity: sorted.some((i) => i.severity === "error") ? "error" : "warning",
    });
  }
  return out;
}

/** The updateCells requests turning `previous` annotations into `current` ones; empty when nothing differs. */
export function annotationRequests(
  sheetId: number,
  current: readonly RowIssue[],
  previous: readonly RowIssue[],
): sheets_v4.Schema$Request[] {
  const now = cellAnnotations(current);
  const before = cellAnnotations(previous);
  const requests: sheets_v4.Schema$Request[] = [];
  const keys = [...new Set([...now.keys(), ...before.keys()])].sort((a, b) => {
    const [ra, ca] = a.split(":").map(Number);
    const [rb, cb] = b.split(":").map(Number);
    return ra! - rb! || ca! - cb!;
  });
  for (const key of keys) {
    const next = now.get(key);
    const old = before.get(key);
    if (next && old && next.note === old.note && next.severity === old.severity) continue;
    const at = (next ?? old)!;
    // A masked field missing from the cell is cleared: that is how a fixed cell loses its note and fill.
    const cell: sheets_v4.Schema$CellData = next
      ? {
          note: next.note,
          userEnteredFormat: {
            backgroundColor: hexToColor(next.severity === "error" ? ERROR_FILL : WARNING_FILL),
          },
        }
      : {};
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: at.row - 1, columnIndex: at.column },
        rows: [{ values: [cell] }],
        fields: "note,userEnteredFormat.backgroundColor",
      },
    });
  }
  return requests;
}

export interface GoogleUnitAnnotatorOptions extends CallPolicy {
  sheets: sheets_v4.Sheets;
  /** With both, dondoc's own writes are recorded so they do not make the next cycle re-read the sheet. */
  drive?: GoogleDrive;
  log?: SheetModificationLog;
  inputSheetId?: number | ((unit: Unit) => number);
}

export class GoogleUnitAnnotator implements UnitAnnotator {
  private readonly sheets: sheets_v4.Sheets;
  private readonly drive: GoogleDrive | undefined;
  private readonly log: SheetModificationLog | undefined;
  private readonly policy: CallPolicy;
  private readonly inputSheetId: (unit: Unit) => number;

  constructor(opts: GoogleUnitAnnotatorOptions) {
    this.sheets = opts.sheets;
    this.drive = opts.drive;
    this.log = opts.log;
    this.policy = { quota: opts.quota, retry: opts.retry };
    const id = opts.inputSheetId ?? INPUT_SHEET_ID;
    this.inputSheetId = typeof id === "function" ? id : () => id;
  }

  async annotate(unit: Unit, sheet: RawSheet, issues: RowIssue[], previous: RowIssue[]): Promise<void> {
    const requests = annotationRequests(this.inputSheetId(unit), issues, previous);
    if (requests.length === 0) return;
    const spreadsheetId = unit.sheetId;
    if (!spreadsheetId) {
      throw new DondocError("sheet-not-provisioned", `${unit.name} chưa được cấp bảng tính nhập liệu.`, {
        unitId: unit.id,
      });
    }
    const wording = {
      unreachable: {
        code: "sheet-unreachable",
        message: `Không ghi được chú thích lỗi vào bảng tính của ${unit.name}: bảng tính đã bị xóa hoặc không còn được chia sẻ cho tài khoản hệ thống.`,
      },
      unavailable: `Google Sheets tạm thời không phản hồi khi ghi chú thích lỗi cho ${unit.name}; sẽ thử lại ở lần đồng bộ sau.`,
      rejected: `Google Sheets từ chối ghi chú thích lỗi vào bảng tính của ${unit.name}`,
    };
    try {
      const tracking = this.drive && this.log ? await this.beforeWrite(spreadsheetId, sheet) : null;
      await guardedCall(
        "write",
        () =>
          this.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }, CALL_OPTIONS),
        this.policy,
      );
      if (tracking) await this.afterWrite(spreadsheetId, tracking);
    } catch (e) {
      const error = googleFailure(e, wording);
      Object.assign(error.details, { unitId: unit.id, spreadsheetId });
      throw error;
    }
  }

  /**
   * The modifiedTime that stands for the content the sync last read, if the file still has it. When the unit
   * edited since, nothing is recorded and the next cycle reads the sheet, as it must.
   */
  private async beforeWrite(spreadsheetId: string, sheet: RawSheet): Promise<{ base: string } | null> {
    const log = this.log!;
    const known = sheet.modifiedTime ?? log.listedTime(spreadsheetId);
    if (!known) return null;
    const current = await this.drive!.modifiedTime(spreadsheetId);
    if (!sameInstant(current, known)) return null;
    const own = await log.ownWrite(spreadsheetId);
    // Chained own writes keep pointing at the content the sync actually read.
    return { base: own && sameInstant(own.after, known) ? own.base : known };
  }

  private async afterWrite(spreadsheetId: string, tracking: { base: string }): Promise<void> {
    const after = await this.drive!.modifiedTime(spreadsheetId);
    await this.log!.recordOwnWrite(spreadsheetId, { base: tracking.base, after });
  }
}
