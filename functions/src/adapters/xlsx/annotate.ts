// Annotated copies of units' workbooks: `<outDir>/<unit id>.xlsx` is the unit's own file with every cell an
// issue names filled and a note holding the message. The unit's file is never written: units pass their
// files around and may have it open; a copy they can compare against is safer than edits behind their back.
// The copy is rebuilt from the unit's current file each time, so fixed cells lose their marks without any
// bookkeeping of what was marked before.
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { RowIssue, Unit } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";
import type { RawSheet } from "../../core/model.ts";
import type { UnitAnnotator } from "../../core/ports.ts";
import { ERROR_FILL } from "../../core/summary.ts";
import { columnIndex } from "./cells.ts";
import { INPUT_TAB } from "./input-workbook.ts";
import { saveWorkbook, zipComment } from "./save.ts";
import { pickInputWorksheet } from "./sheet-source.ts";

/** Excel's "neutral" yellow, the same as the ranking's behind band, for issues that do not block a row. */
export const WARNING_FILL = "FFEB9C";

const SEVERITY_LABEL: Record<RowIssue["severity"], string> = { error: "Lỗi", warning: "Cảnh báo" };

export interface XlsxAnnotatorOptions {
  /** Folder of the units' workbooks, `<unit id>.xlsx` (the sheet source's folder). */
  sourceDir: string;
  /** Folder the annotated copies are written to. */
  outDir: string;
}

interface Mark {
  row: number;
  col: number;
  /** Fill these columns of the row too (a row-level issue marks the row across the table). */
  spanTo: number;
  issues: RowIssue[];
}

function noteText(note: ExcelJS.Cell["note"] | undefined): string {
  if (note === undefined || note === null) return "";
  if (typeof note === "string") return note;
  return (note.texts ?? []).map((t) => t.text).join("");
}

/**
 * Where an issue is shown. Sheet-level issues (row 0, or row 1 without a column: a missing column) go on A1,
 * the first cell anyone looks at; a row without a column on that row's first cell, filled across the table.
 */
function placeOf(issue: RowIssue, width: number): { row: number; col: number; spanTo: number } {
  const col = columnIndex(issue.column);
  if (issue.row <= 1 && col === null) return { row: 1, col: 1, spanTo: 1 };
  if (col === null) return { row: issue.row, col: 1, spanTo: Math.max(1, width) };
  return { row: Math.max(1, issue.row), col, spanTo: col };
}

function solid(rgb: string): ExcelJS.Fill {
  return { type: "pattern", pattern: "solid", fgColor: { argb: `FF${rgb}` } };
}

function fillCell(cell: ExcelJS.Cell, rgb: string): void {
  // A new style object: exceljs may share one style object between cells read with the same style id, and
  // assigning cell.fill would recolour all of them.
  cell.style = { ...cell.style, fill: solid(rgb) };
}

/** Marks `issues` on `ws` in place: fills and notes; the rest of every cell is left as the unit made it. */
export function annotateWorksheet(ws: ExcelJS.Worksheet, issues: RowIssue[]): void {
  const width = Math.max(ws.getRow(1).cellCount, ws.actualColumnCount, 1);
  const marks = new Map<string, Mark>();
  for (const issue of issues) {
    const place = placeOf(issue, width);
    const key = `${place.row}:${place.col}`;
    const mark = marks.get(key);
    if (mark) {
      mark.issues.push(issue);
      mark.spanTo = Math.max(mark.spanTo, place.spanTo);
    } else {
      marks.set(key, { ...place, issues: [issue] });
    }
  }

  for (const mark of marks.values()) {
    const rgb = mark.issues.some((i) => i.severity === "error") ? ERROR_FILL : WARNING_FILL;
    const row = ws.getRow(mark.row);
    for (let c = mark.col; c <= mark.spanTo; c++) fillCell(row.getCell(c), rgb);

    const cell = row.getCell(mark.col);
    const ours = mark.issues.map((i) => `${SEVERITY_LABEL[i.severity]}: ${i.message}`).join("\n");
    // A note the unit wrote is kept below ours rather than replaced: it is their content.
    const theirs = noteText(cell.note);
    cell.note = theirs === "" ? ours : `${ours}\n———\n${theirs}`;
  }
}

/** Bump when the marking changes, so copies made by an older version are redone. */
const ANNOTATION_VERSION = 1;

/** Identifies a copy's inputs: the unit's file (size and mtime, as the sheet source tracks it) and the issues. */
export function annotationFingerprint(size: number, mtimeMs: number, issues: RowIssue[]): string {
  const keys = issues.map((i) => JSON.stringify([i.row, i.column, i.severity, i.code, i.message])).sort();
  const hash = createHash("sha256").update(JSON.stringify([ANNOTATION_VERSION, size, mtimeMs, keys]));
  return `dondoc-annotations:${hash.digest("hex")}`;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}

export class XlsxAnnotator implements UnitAnnotator {
  readonly sourceDir: string;
  readonly outDir: string;

  constructor(opts: XlsxAnnotatorOptions) {
    this.sourceDir = opts.sourceDir;
    this.outDir = opts.outDir;
  }

  copyPathOf(unit: Unit): string {
    return join(this.outDir, `${unit.id}.xlsx`);
  }

  /**
   * `previous` is not needed: the copy starts from the unit's unmarked file every time. The copy is written
   * even when there are no issues, so a fixed workbook's old marks disappear. It is skipped when it already
   * holds these issues on this very file (the sync annotates every unit on every run, and re-reading a large
   * workbook costs seconds).
   */
  async annotate(unit: Unit, _sheet: RawSheet, issues: RowIssue[], _previous: RowIssue[]): Promise<void> {
    const source = join(this.sourceDir, `${unit.id}.xlsx`);
    const copy = this.copyPathOf(unit);
    const wb = new ExcelJS.Workbook();
    let fingerprint: string;
    let mtime: Date;
    try {
      const st = await stat(source);
      mtime = st.mtime;
      fingerprint = annotationFingerprint(st.size, st.mtimeMs, issues);
      if ((await zipComment(copy)) === fingerprint) return;
      await wb.xlsx.readFile(source);
    } catch (err) {
      if (errorCode(err) === "ENOENT") {
        throw new DondocError(
          "sheet-missing",
          `Không tìm thấy sổ nhập liệu của ${unit.name}: cần có tệp ${source}.`,
          { unitId: unit.id, path: source },
        );
      }
      throw new DondocError(
        "sheet-unreadable",
        `Không đọc được sổ nhập liệu của ${unit.name} (${source}) để ghi chú lỗi.`,
        { unitId: unit.id, path: source, cause: err instanceof Error ? err.message : String(err) },
      );
    }
    const ws = pickInputWorksheet(wb) ?? wb.addWorksheet(INPUT_TAB);
    annotateWorksheet(ws, issues);
    // Dated like the unit's file: the same file and issues give the same bytes on every run.
    await saveWorkbook(wb, copy, { modified: mtime, comment: fingerprint });
  }
}
