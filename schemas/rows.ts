import * as z from "zod";
import { IsoDate } from "./campaign.ts";

/**
 * A cell as both adapters deliver it: Sheets' UNFORMATTED_VALUE with SERIAL_NUMBER dates, and exceljs
 * values normalised the same way (dates → spreadsheet serial numbers, rich text → plain text, formulas →
 * their text with the leading "=", never their result).
 */
export const CellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type CellValue = z.infer<typeof CellValue>;

/** An instant with its offset, e.g. 2025-08-04T13:59:59.000+07:00. */
export const IsoInstant = z.iso.datetime({ offset: true }).describe("ISO 8601 instant with offset");

/** One citizen helped (line-list mode), after validation. Personal fields never leave the core unhashed. */
export const LineListRow = z.object({
  /** When the row was first filled (the protected stamp column written by Apps Script); null if absent. */
  enteredAt: IsoInstant.nullable(),
  /** The day the citizen was helped. */
  date: IsoDate,
  /** The official who helped (người hỗ trợ). */
  supporter: z.string().min(1),
  citizenName: z.string().min(1),
  /** 12 digits, after repairing a dropped leading zero. */
  citizenId: z.string().regex(/^\d{12}$/),
  /** Normalised to 10 digits starting with 0, or null when not given. */
  phone: z
    .string()
    .regex(/^0\d{9}$/)
    .nullable(),
  /** Village / residential group (thôn, tổ dân phố). */
  residence: z.string(),
  /** One yes/no per campaign indicator, by indicator key. */
  indicators: z.record(z.string(), z.boolean()),
  provider: z.string().nullable(),
  note: z.string(),
});
export type LineListRow = z.infer<typeof LineListRow>;

/** One report with cumulative counts (aggregate mode), after validation. */
export const AggregateRow = z.object({
  enteredAt: IsoInstant.nullable(),
  reportDate: IsoDate,
  /** Cumulative count per indicator key, whole and ≥ 0. */
  counts: z.record(z.string(), z.number().int().min(0)),
  reporter: z.string(),
  note: z.string(),
});
export type AggregateRow = z.infer<typeof AggregateRow>;

export const Severity = z.enum(["error", "warning"]);
export type Severity = z.infer<typeof Severity>;

/** A problem found in a unit's sheet, located to the cell. Messages are Vietnamese and never quote personal data. */
export const RowIssue = z.object({
  code: z.string(),
  severity: Severity,
  unitId: z.string(),
  /** 1-based sheet row number (the header is row 1), or 0 for the sheet as a whole. */
  row: z.number().int().min(0),
  /** Column letter (A, B, … AA) or "" for the row or sheet as a whole. */
  column: z.string(),
  /** Column header as the unit sees it. */
  header: z.string(),
  message: z.string(),
});
export type RowIssue = z.infer<typeof RowIssue>;
