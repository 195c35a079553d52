// The "Thời điểm nhập" stamp: when a row was first filled. Its period follows this time, so it is written once,
// by the script, into a protected column, and never moved by later corrections of the same row.
import type { Campaign } from "../../schemas/index.ts";
import { isBlankCell, type Layout, layoutOf, rowHasContent } from "./layout.ts";
import type { Clock, SheetPort, WallTime } from "./ports.ts";

/**
 * "04/08/2025 13:59:59": wall time in the campaign's zone, written as text (the column is formatted "@"), which
 * the server's instant parser reads back in that zone. Text rather than a date cell, because a date cell would be
 * re-interpreted through the spreadsheet's own zone and locale, which a unit can change.
 */
export function formatStamp(w: WallTime): string {
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(w.day)}/${p(w.month)}/${p(w.year, 4)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}

export interface StampResult {
  stamped: number[];
  /** Rows emptied entirely: their stamp is removed so the next entry typed there gets its own time. */
  cleared: number[];
  stamp: string | null;
}

export interface StampDeps {
  sheet: SheetPort;
  clock: Clock;
  campaign: Campaign;
}

/** Stamps the filled, unstamped rows among sheet rows firstRow..lastRow (the rows an edit touched). */
export function stampRows(deps: StampDeps, firstRow: number, lastRow: number, layout?: Layout): StampResult {
  const none: StampResult = { stamped: [], cleared: [], stamp: null };
  const first = Math.max(2, firstRow);
  if (lastRow < first) return none;
  const found = layout ?? layoutOf(deps.campaign, deps.sheet.readHeader());
  if (found.stampCol === null) return none;
  const stampIndex = found.stampCol - 1;
  const rows = deps.sheet.readRows(first, lastRow - first + 1);
  const stamped: number[] = [];
  const cleared: number[] = [];
  rows.forEach((row, i) => {
    const filled = rowHasContent(row, found);
    const hasStamp = !isBlankCell(row[stampIndex]);
    if (filled && !hasStamp) stamped.push(first + i);
    else if (!filled && hasStamp) cleared.push(first + i);
  });
  let stamp: string | null = null;
  if (stamped.length > 0) {
    stamp = formatStamp(deps.clock.wall(deps.clock.now(), deps.campaign.timezone));
    deps.sheet.writeText(found.stampCol, stamped, stamp);
  }
  if (cleared.length > 0) deps.sheet.clearCells(found.stampCol, cleared);
  return { stamped, cleared, stamp };
}

/** "14:03 04/08/2025", the Vietnamese style of the letters, for notes and messages. */
export function formatClockDate(w: WallTime): string {
  const p = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${p(w.hour)}:${p(w.minute)} ${p(w.day)}/${p(w.month)}/${p(w.year, 4)}`;
}
