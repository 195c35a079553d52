// Units' input sheets as .xlsx files: one workbook per unit, `<dir>/<unit id>.xlsx`.
//
// Reader choice, measured on a 10,000-row line-list workbook (12 columns, the template's validations):
// the whole-workbook reader took 1.8–2.1 s and ~190 MB RSS cold, exceljs' streaming reader 1.0–1.6 s and
// ~145 MB (50,000 rows: 6.2 s vs 5.2 s). Streaming is not much faster, and it gives up things the parser
// relies on: it emits rows before it has seen the sheet's merges (so a merged block repeats nothing, but
// it cannot tell a follower from a typed cell), it cannot translate shared formulas, and it finds
// worksheets by a fixed part name. Unchanged files are skipped by mtime before any read, so the whole-
// workbook reader it is.
import { stat } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import ExcelJS from "exceljs";
import type { CellValue, Unit } from "../../../../schemas/index.ts";
import { DondocError } from "../../core/errors.ts";
import type { RawSheet } from "../../core/model.ts";
import type { SheetSource } from "../../core/ports.ts";
import { readCell } from "./cells.ts";
import { INPUT_TAB } from "./input-workbook.ts";

export interface XlsxSheetSourceOptions {
  /** Folder holding `<unit id>.xlsx` for every unit. */
  dir: string;
  /** `RawSheet.source` is relative to this folder; defaults to the parent of `dir` ("sheets/<id>.xlsx"). */
  sourceRoot?: string;
}

function fold(name: string): string {
  return name.normalize("NFC").trim().toLocaleLowerCase("vi");
}

/**
 * The tab units type into: "Nhập liệu" (matched regardless of case, spacing and Unicode normalisation, since
 * a workbook saved on a Mac may carry decomposed Vietnamese), else the first visible tab, as a unit who
 * renamed it still types there.
 */
export function pickInputWorksheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet | undefined {
  const wanted = fold(INPUT_TAB);
  const sheets = wb.worksheets;
  return (
    sheets.find((ws) => fold(ws.name) === wanted) ?? sheets.find((ws) => ws.state === "visible") ?? sheets[0]
  );
}

function trimTrailingNulls(values: CellValue[]): CellValue[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === null) end--;
  return end === values.length ? values : values.slice(0, end);
}

function rowValues(row: ExcelJS.Row): CellValue[] {
  const values: CellValue[] = [];
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const v = readCell(cell);
    if (v === null) return;
    while (values.length < col - 1) values.push(null);
    values[col - 1] = v;
  });
  return values;
}

/** Header (row 1) and data rows (row i + 2 at index i), trailing empty cells and rows dropped. */
export function sheetContent(ws: ExcelJS.Worksheet): { header: CellValue[]; rows: CellValue[][] } {
  let header: CellValue[] = [];
  const rows: CellValue[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const values = trimTrailingNulls(rowValues(row));
    if (n === 1) {
      header = values;
      return;
    }
    while (rows.length < n - 2) rows.push([]);
    rows[n - 2] = values;
  });
  let end = rows.length;
  while (end > 0 && rows[end - 1]?.length === 0) end--;
  rows.length = end;
  return { header, rows };
}

function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String(err.code) : undefined;
}

export class XlsxSheetSource implements SheetSource {
  readonly dir: string;
  readonly sourceRoot: string;

  constructor(opts: XlsxSheetSourceOptions) {
    this.dir = opts.dir;
    this.sourceRoot = opts.sourceRoot ?? dirname(opts.dir);
  }

  pathOf(unit: Unit): string {
    return join(this.dir, `${unit.id}.xlsx`);
  }

  sourceOf(unit: Unit): string {
    return relative(this.sourceRoot, this.pathOf(unit)).split(sep).join("/");
  }

  /** Units whose file's mtime is not the one last seen; a missing file is returned so read() reports it. */
  async changedUnits(units: Unit[], lastModified: ReadonlyMap<string, string | null>): Promise<Unit[]> {
    const checked = await Promise.all(
      units.map(async (unit) => {
        const seen = lastModified.get(unit.id) ?? null;
        if (seen === null) return unit;
        try {
          const st = await stat(this.pathOf(unit));
          return st.mtime.toISOString() === seen ? null : unit;
        } catch {
          // Whatever stops the stat (gone, no permission) is read() 's to report with the unit's name.
          return unit;
        }
      }),
    );
    return checked.filter((u): u is Unit => u !== null);
  }

  async read(unit: Unit): Promise<RawSheet> {
    const path = this.pathOf(unit);
    let mtime: Date;
    try {
      // Stat before reading: if the file changes while it is read, the older mtime is recorded and the
      // next run reads it again, rather than the newer mtime marking stale content as current.
      const st = await stat(path);
      if (!st.isFile()) throw Object.assign(new Error("not a file"), { code: "EISDIR" });
      mtime = st.mtime;
    } catch (err) {
      if (errorCode(err) === "ENOENT") {
        throw new DondocError(
          "sheet-missing",
          `Không tìm thấy sổ nhập liệu của ${unit.name}: cần có tệp ${path}.`,
          { unitId: unit.id, path },
        );
      }
      throw this.unreadable(unit, path, err);
    }

    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.readFile(path);
    } catch (err) {
      throw this.unreadable(unit, path, err);
    }
    const ws = pickInputWorksheet(wb);
    if (ws === undefined) {
      throw new DondocError(
        "sheet-unreadable",
        `Sổ nhập liệu của ${unit.name} (${path}) không có trang tính nào.`,
        { unitId: unit.id, path },
      );
    }
    const { header, rows } = sheetContent(ws);
    return { unitId: unit.id, source: this.sourceOf(unit), header, rows, modifiedTime: mtime.toISOString() };
  }

  private unreadable(unit: Unit, path: string, err: unknown): DondocError {
    return new DondocError(
      "sheet-unreadable",
      `Không đọc được sổ nhập liệu của ${unit.name} (${path}): tệp bị hỏng, đang bị khóa hoặc không phải định dạng .xlsx. Hãy mở và lưu lại tệp bằng Excel dưới dạng .xlsx.`,
      { unitId: unit.id, path, cause: err instanceof Error ? err.message : String(err) },
    );
  }
}
