// Setting up or repairing the input tab from the campaign's columns. Repair never moves a unit's data: columns are
// found by header wherever the unit put them, only missing ones are appended, and formats, validations and
// protections are (re)applied where the columns actually are.

import { type InputColumn, inputColumns, readBoolCell } from "../../functions/src/core/columns.ts";
import { readHeader } from "../../functions/src/core/header.ts";
import type { Campaign, CellValue } from "../../schemas/index.ts";
import type { Baseline } from "./annotate.ts";
import { INPUT_TAB } from "./layout.ts";
import type { ColumnValidation, TemplateColumn, TemplatePlan } from "./ports.ts";

/** Validations reach at least this row, so a unit typing past the prepared rows still gets dropdowns. */
export const MIN_VALIDATED_ROWS = 1000;
/** Validated rows beyond the last filled row. */
export const SPARE_ROWS = 500;
export const HEADER_FILL = "#DDEBF7";
export const LOCKED_HEADER_FILL = "#D9D9D9";
export const PROTECTION_PREFIX = "dondoc:";

/**
 * Text format on ids and phones keeps a typed 001203004567 from becoming the number 1203004567; on the stamp it
 * keeps the script's "dd/mm/yyyy HH:mm:ss" text from being re-read as a date in the sheet's locale.
 */
const NUMBER_FORMAT: Record<InputColumn["type"], string | null> = {
  stamp: "@",
  id: "@",
  phone: "@",
  text: "@",
  date: "dd/mm/yyyy",
  count: "#,##0",
  bool: null,
  choice: null,
};

function validationFor(campaign: Campaign, column: InputColumn): ColumnValidation | null {
  const helpText = column.help;
  switch (column.type) {
    case "bool":
      return { rule: { kind: "checkbox" }, reject: true, helpText };
    case "choice":
      return column.options && column.options.length > 0
        ? { rule: { kind: "list", options: [...column.options] }, reject: true, helpText }
        : null;
    case "date":
      return {
        rule: { kind: "date-between", from: campaign.start, to: campaign.end },
        reject: true,
        helpText,
      };
    case "count":
      return { rule: { kind: "number-min", min: 0 }, reject: true, helpText };
    // Warnings, not refusals: an 11-digit id (a lost leading zero) is repaired by the server and said so.
    case "id":
      return { rule: { kind: "text-length", min: 12, max: 12 }, reject: false, helpText };
    case "phone":
      return { rule: { kind: "text-length", min: 10, max: 12 }, reject: false, helpText };
    case "stamp":
    case "text":
      return null;
  }
}

function widthPx(chars: number): number {
  return Math.round(chars * 7.5 + 12);
}

function lastFilledIndex(cells: readonly CellValue[]): number {
  for (let i = cells.length - 1; i >= 0; i--) {
    const c = cells[i];
    if (c !== null && c !== undefined && String(c).trim() !== "") return i;
  }
  return -1;
}

/** Where each template column goes: its current header cell, or appended after the last used header cell. */
function placeColumns(columns: InputColumn[], header: readonly CellValue[]): Map<string, number> {
  const match = readHeader([...header], columns);
  const placed = new Map<string, number>();
  let next = lastFilledIndex(header) + 2;
  for (const column of columns) {
    const index = match.index.get(column.key);
    if (index !== undefined) placed.set(column.key, index + 1);
    else placed.set(column.key, next++);
  }
  return placed;
}

export interface PlanInput {
  header: readonly CellValue[];
  rows: readonly (readonly CellValue[])[];
}

export function planTemplate(campaign: Campaign, current: PlanInput): TemplatePlan {
  const columns = inputColumns(campaign);
  const placed = placeColumns(columns, current.header);
  const templateColumns: TemplateColumn[] = columns.map((column) => ({
    col: placed.get(column.key)!,
    key: column.key,
    label: column.label,
    note: column.help,
    widthPx: widthPx(column.width),
    numberFormat: NUMBER_FORMAT[column.type],
    validation: validationFor(campaign, column),
    locked: column.protected === true,
  }));

  // A checkbox shows TRUE/FALSE; yes/no already typed as text would sit under it as an invalid value.
  const rewrites: TemplatePlan["rewrites"] = [];
  for (const column of templateColumns) {
    if (column.validation?.rule.kind !== "checkbox") continue;
    current.rows.forEach((row, i) => {
      const cell = row[column.col - 1] ?? null;
      if (cell === null || typeof cell === "boolean") return;
      const value = readBoolCell(cell);
      if (value !== null) rewrites.push({ row: i + 2, col: column.col, value });
    });
  }

  return {
    tabName: INPUT_TAB,
    locale: "vi_VN",
    timeZone: campaign.timezone,
    columns: templateColumns,
    lastRow: Math.max(MIN_VALIDATED_ROWS, current.rows.length + 1 + SPARE_ROWS),
    frozenRows: 1,
    headerBackground: HEADER_FILL,
    lockedHeaderBackground: LOCKED_HEADER_FILL,
    rewrites,
    protectionPrefix: PROTECTION_PREFIX,
    headerProtection: `${PROTECTION_PREFIX} tiêu đề cột do hệ thống quản lý, không sửa hoặc xóa.`,
    stampProtection: `${PROTECTION_PREFIX} cột thời điểm nhập do hệ thống tự ghi.`,
  };
}

/** What annotate restores on a header cell it clears: the column's help note and the header fill. */
export function headerBaseline(plan: TemplatePlan): Baseline {
  const byCol = new Map(plan.columns.map((c) => [c.col, c]));
  return (row, col) => {
    const column = row === 1 ? byCol.get(col) : undefined;
    if (column === undefined) return { note: "", background: null };
    return {
      note: column.note,
      background: column.locked ? plan.lockedHeaderBackground : plan.headerBackground,
    };
  };
}
