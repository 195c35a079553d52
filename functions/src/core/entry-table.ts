// The entries the standings count, as they come: objects (what a store loads) and sheets' line-list columns (what
// parseSheetColumns reads), side by side under one index: the objects first, then each sheet's entries in turn.
// The hot loops of the dedupe and the ledgers walk the two kinds apart; everything else asks for `entry(i)`.
import type { LineListColumns } from "./line-list-columns.ts";
import type { Entry } from "./model.ts";
import { keepShapes } from "./shapes.ts";

export class EntryTable {
  readonly objects: readonly Entry[];
  readonly sheets: readonly LineListColumns[];
  /** Index of each sheet's first entry; starts[sheets.length] is the table's length. */
  readonly starts: Int32Array;
  readonly length: number;

  constructor(objects: readonly Entry[], sheets: readonly LineListColumns[] = []) {
    this.objects = objects;
    this.sheets = sheets;
    this.starts = new Int32Array(sheets.length + 1);
    let at = objects.length;
    sheets.forEach((sheet, s) => {
      this.starts[s] = at;
      at += sheet.length;
    });
    this.starts[sheets.length] = at;
    this.length = at;
  }

  /** The sheet holding entry i (i ≥ objects.length). */
  private sheetOf(i: number): number {
    let lo = 0;
    let hi = this.sheets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Entry i as an object (made afresh for a sheet's entry). */
  entry(i: number): Entry {
    if (i < this.objects.length) return this.objects[i]!;
    const s = this.sheetOf(i);
    return this.sheets[s]!.entry(i - this.starts[s]!);
  }

  /** The id hash of entry i, a line-list entry. */
  idHash(i: number): string {
    if (i < this.objects.length) {
      const e = this.objects[i]!;
      return e.mode === "line-list" ? e.idHash : "";
    }
    const s = this.sheetOf(i);
    return this.sheets[s]!.idHash(i - this.starts[s]!);
  }
}

keepShapes(new EntryTable([]));

export function entryTable(entries: readonly Entry[] | EntryTable): EntryTable {
  return entries instanceof EntryTable ? entries : new EntryTable(entries);
}
