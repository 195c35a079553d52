// Finding the input columns in a unit's header row. Units reorder columns, add their own ("STT", "Ghi chú
// thêm"), retype headers with other input methods or add hints ("Ngày hỗ trợ (dd/mm/yyyy)"); all of that
// must still read. What cannot be read is a required column that is not there.
import type { CellValue } from "../../../schemas/index.ts";
import type { InputColumn } from "./columns.ts";
import { foldLabel } from "./vi-text.ts";

export interface HeaderDuplicate {
  column: InputColumn;
  /** Index of the header cell that is read. */
  used: number;
  /** Indices of the other header cells that name the same column; they are not read. */
  ignored: number[];
}

export interface HeaderMatch {
  /** Column key → 0-based index in the row. */
  index: Map<string, number>;
  /** Column key → the header as the unit typed it (trimmed), for messages. */
  labels: Map<string, string>;
  /** Non-empty header cells that are none of the input columns; kept in the sheet, never an error. */
  extras: { index: number; label: string }[];
  /** Required columns with no header cell. */
  missing: InputColumn[];
  /** Input columns named by more than one header cell. */
  duplicates: HeaderDuplicate[];
}

/** 0 → "A", 25 → "Z", 26 → "AA", 701 → "ZZ", 702 → "AAA". */
export function columnLetter(i: number): string {
  if (!Number.isInteger(i) || i < 0)
    throw new RangeError(`column index must be a whole number ≥ 0, got ${i}`);
  let n = i + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

export function headerText(cell: CellValue): string {
  return cell === null ? "" : String(cell).normalize("NFC").replace(/\s+/g, " ").trim();
}

interface Candidate {
  column: InputColumn;
  /** 0 for the column's own label, 1 for an alias: an indicator labelled like another column's alias wins. */
  rank: number;
}

// Every sheet of a campaign folds the same labels, aliases and (mostly) the same header cells; folding is pure,
// so each distinct text is folded once per process. Bounded, since header cells are whatever units type.
const foldedLabels = new Map<string, string>();
const MAX_FOLDED_LABELS = 4096;

function foldLabelOnce(text: string): string {
  let folded = foldedLabels.get(text);
  if (folded === undefined) {
    folded = foldLabel(text);
    if (foldedLabels.size >= MAX_FOLDED_LABELS) foldedLabels.clear();
    foldedLabels.set(text, folded);
  }
  return folded;
}

function lookupTable(columns: InputColumn[]): Map<string, Candidate> {
  const table = new Map<string, Candidate>();
  for (const column of columns) {
    const folded = foldLabelOnce(column.label);
    const existing = table.get(folded);
    if (existing === undefined || existing.rank > 0) table.set(folded, { column, rank: 0 });
  }
  for (const column of columns) {
    for (const alias of column.aliases) {
      const folded = foldLabelOnce(alias);
      if (!table.has(folded)) table.set(folded, { column, rank: 1 });
    }
  }
  return table;
}

/**
 * Matches the header row to the input columns by folded label or alias. When two header cells name the same
 * column, the one spelled as the label is read (else the leftmost) and the others are reported as duplicates.
 */
export function readHeader(header: CellValue[], columns: InputColumn[]): HeaderMatch {
  const table = lookupTable(columns);
  const found = new Map<string, { index: number; rank: number }[]>();
  const extras: { index: number; label: string }[] = [];
  header.forEach((cell, index) => {
    const label = headerText(cell);
    if (label === "") return;
    const hit = table.get(foldLabelOnce(label));
    if (hit === undefined) {
      extras.push({ index, label });
      return;
    }
    const list = found.get(hit.column.key) ?? [];
    list.push({ index, rank: hit.rank });
    found.set(hit.column.key, list);
  });

  const index = new Map<string, number>();
  const labels = new Map<string, string>();
  const missing: InputColumn[] = [];
  const duplicates: HeaderDuplicate[] = [];
  for (const column of columns) {
    const hits = found.get(column.key);
    if (hits === undefined) {
      if (column.required) missing.push(column);
      continue;
    }
    const best = hits.reduce((a, b) => (b.rank < a.rank ? b : a));
    index.set(column.key, best.index);
    labels.set(column.key, headerText(header[best.index] ?? null));
    if (hits.length > 1) {
      duplicates.push({
        column,
        used: best.index,
        ignored: hits.filter((h) => h !== best).map((h) => h.index),
      });
    }
  }
  return { index, labels, extras, missing, duplicates };
}
