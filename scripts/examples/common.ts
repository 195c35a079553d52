// What every example module produces, and the few helpers they share for dates, stamps and figures.
import { DateTime } from "luxon";
import { serialFromWall } from "../../functions/src/core/cell-dates.ts";
import type { CampaignInput, CellValue, Unit } from "../../schemas/index.ts";
import type { Rng } from "./prng.ts";

/** One sheet row by input column key ("enteredAt", "citizenId", "ind:signature", …). */
export type RowRecord = Record<string, CellValue>;

export interface ExampleDefinition {
  /** Folder under examples/. */
  folder: string;
  /** The seed letter it is built from, e.g. "000_8c8c486404db3661.txt". */
  letter: string;
  campaign: CampaignInput;
  units: Unit[];
  /** Rows per unit id; units without rows get a blank workbook. */
  rows: Map<string, RowRecord[]>;
  readme: string;
}

export const ZONE = "Asia/Ho_Chi_Minh";

/** "2025-02-18" → "18/02/2025", as a unit types a date. */
export function viDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
}

/** A stamp as the sheet script writes it: the wall-clock time in Vietnam as a spreadsheet serial number. */
export function stampSerial(isoDate: string, hour: number, minute: number, second = 0): number {
  const [y, m, d] = isoDate.split("-").map(Number);
  return serialFromWall({ year: y!, month: m!, day: d!, hour, minute, second });
}

/** Every calendar day from `start` to `end`, both included, as YYYY-MM-DD. */
export function daysBetween(start: string, end: string): string[] {
  const out: string[] = [];
  const last = DateTime.fromISO(end, { zone: ZONE });
  for (let d = DateTime.fromISO(start, { zone: ZONE }); d <= last; d = d.plus({ days: 1 }))
    out.push(d.toISODate()!);
  return out;
}

export function addDays(isoDate: string, days: number): string {
  return DateTime.fromISO(isoDate, { zone: ZONE }).plus({ days }).toISODate()!;
}

/**
 * `n` strictly increasing whole numbers ending exactly at `final` (cumulative report figures), growing by random
 * steps. `start` is the figure before the first step (0 for a new campaign).
 */
export function cumulativeSeries(rng: Rng, final: number, n: number, start = 0): number[] {
  const gain = final - start;
  if (n < 1 || gain < n) throw new Error(`cannot split ${gain} into ${n} increasing steps`);
  const weights = Array.from({ length: n }, () => 0.5 + rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += weights[i]!;
    const value = i === n - 1 ? final : start + Math.floor((gain * acc) / total);
    const previous = out[i - 1] ?? start;
    // Each step adds at least one and leaves room for the steps still to come.
    out.push(Math.min(Math.max(value, previous + 1), final - (n - 1 - i)));
  }
  return out;
}

/** Thousands with dots, as the letters write them: 19662 → "19.662". */
export { formatViNumber as viNumber } from "../../functions/src/core/format.ts";

/** A Markdown table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** The run line every README ends with. */
export function runSection(folder: string): string {
  return [
    "## Chạy thử / How to run",
    "",
    "```sh",
    `npm start -- --campaign examples/${folder}`,
    "```",
    "",
    "Tạo lại các sổ nhập liệu / regenerate the workbooks: `npm run gen:examples` (deterministic: same seed, same files).",
  ].join("\n");
}
