// Issues become notes and fills on the very cells a unit has to fix, and disappear once fixed. The script keeps
// the list of cells it marked, so clearing touches exactly those and never a note or colour a unit made.

import { columnLetter } from "../../functions/src/core/header.ts";
import type { RowIssue } from "../../schemas/index.ts";
import { PROP, readChunked, writeChunked } from "./config.ts";
import { columnNumber } from "./layout.ts";
import type { Box, Props, SheetPort } from "./ports.ts";

export const FILL = { error: "#FFC7CE", warning: "#FFEB9C" } as const;

const SEVERITY_WORD = { error: "Lỗi", warning: "Cảnh báo" } as const;

export interface CellMark {
  row: number;
  col: number;
  note: string;
  fill: string;
}

/** What a cleared cell goes back to: nothing, except header cells, which carry the template's help. */
export type Baseline = (row: number, col: number) => { note: string; background: string | null };

const NO_BASELINE: Baseline = () => ({ note: "", background: null });

export interface AnnotateOptions {
  /** Column where issues about a whole row (column "") are shown. */
  rowIssueCol: number;
  /** Shown under the messages, e.g. "14:03 04/08/2025", so a unit knows the note is current. */
  checkedAt: string;
  baseline?: Baseline;
}

export interface AnnotateResult {
  marked: number;
  cleared: number;
  /** Issues about the sheet as a whole (row 0): shown in a message, not on a cell. */
  sheetLevel: RowIssue[];
}

function cellKey(row: number, col: number): string {
  return `${columnLetter(col - 1)}${row}`;
}

function parseKey(key: string): { row: number; col: number } | null {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(key);
  if (m === null) return null;
  const col = columnNumber(m[1]!);
  const row = Number(m[2]);
  return col > 0 && row > 0 ? { row, col } : null;
}

/** Groups issues by cell: one note per cell listing its messages, errors first; the fill follows the worst. */
export function marksFrom(issues: readonly RowIssue[], options: AnnotateOptions): Map<string, CellMark> {
  const byCell = new Map<string, { row: number; col: number; issues: RowIssue[] }>();
  for (const issue of issues) {
    if (issue.row < 1) continue;
    const col = issue.column === "" ? options.rowIssueCol : columnNumber(issue.column);
    if (col < 1) continue;
    const key = cellKey(issue.row, col);
    const entry = byCell.get(key) ?? { row: issue.row, col, issues: [] };
    entry.issues.push(issue);
    byCell.set(key, entry);
  }
  const marks = new Map<string, CellMark>();
  for (const [key, { row, col, issues: list }] of byCell) {
    const sorted = [...list].sort((a, b) =>
      a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
    );
    const lines = [...new Set(sorted.map((i) => `${SEVERITY_WORD[i.severity]}: ${i.message}`))];
    const worst = sorted[0]!.severity;
    marks.set(key, {
      row,
      col,
      note: `${lines.join("\n")}\n(dondoc kiểm tra lúc ${options.checkedAt})`,
      fill: FILL[worst],
    });
  }
  return marks;
}

function boundingBox(cells: Iterable<{ row: number; col: number }>): Box | null {
  let top = Number.POSITIVE_INFINITY;
  let left = Number.POSITIVE_INFINITY;
  let bottom = 0;
  let right = 0;
  for (const { row, col } of cells) {
    top = Math.min(top, row);
    left = Math.min(left, col);
    bottom = Math.max(bottom, row);
    right = Math.max(right, col);
  }
  if (bottom === 0) return null;
  return { row: top, col: left, numRows: bottom - top + 1, numCols: right - left + 1 };
}

export function annotatedCells(props: Props): string[] {
  const text = readChunked(props, PROP.annotated);
  return text === "" ? [] : text.split(",");
}

/**
 * Marks the cells named by `issues` and clears the cells marked last time that no longer have one. One read and
 * one write of notes and fills over the rectangle that holds them all, however many cells change.
 */
export function annotate(
  deps: { sheet: SheetPort; props: Props },
  issues: readonly RowIssue[],
  options: AnnotateOptions,
): AnnotateResult {
  const marks = marksFrom(issues, options);
  const previous = annotatedCells(deps.props)
    .map((key) => ({ key, at: parseKey(key) }))
    .filter((p): p is { key: string; at: { row: number; col: number } } => p.at !== null);
  const stale = previous.filter((p) => !marks.has(p.key));
  const sheetLevel = issues.filter((i) => i.row < 1);

  const box = boundingBox([...marks.values(), ...stale.map((s) => s.at)]);
  if (box !== null) {
    const { notes, backgrounds } = deps.sheet.readAnnotations(box);
    const baseline = options.baseline ?? NO_BASELINE;
    for (const { at } of stale) {
      const base = baseline(at.row, at.col);
      notes[at.row - box.row]![at.col - box.col] = base.note;
      backgrounds[at.row - box.row]![at.col - box.col] = base.background;
    }
    for (const mark of marks.values()) {
      notes[mark.row - box.row]![mark.col - box.col] = mark.note;
      backgrounds[mark.row - box.row]![mark.col - box.col] = mark.fill;
    }
    deps.sheet.writeAnnotations(box, notes, backgrounds);
  }
  writeChunked(deps.props, PROP.annotated, [...marks.keys()].join(","));
  return { marked: marks.size, cleared: stale.length, sheetLevel };
}
