// The input sheet's columns, in sheet order. One definition feeds the .xlsx template writer, the examples
// generator, the Apps Script front end and the parser, so what units are given is exactly what is read back.
import type { Campaign, CellValue } from "../../../schemas/index.ts";
import { foldText } from "./vi-text.ts";

export type InputColumnType = "stamp" | "date" | "text" | "id" | "phone" | "bool" | "count" | "choice";

export interface InputColumn {
  /** Stable key: "enteredAt", "citizenId", … or `ind:<indicatorKey>` for indicator columns. */
  key: string;
  /** Vietnamese header as written into the template. */
  label: string;
  /** Other headers units are known to use for the same column; matched like the label. */
  aliases: string[];
  /**
   * The header must have this column. For text, date, id and choice columns a filled row must also fill the
   * cell; a bool cell left empty means "Không"; count cells must be filled.
   */
  required: boolean;
  type: InputColumnType;
  /** Dropdown choices (choice and bool columns). */
  options?: string[];
  /** Suggested column width in characters. */
  width: number;
  /** Written by the Apps Script or the server, locked for units. */
  protected?: boolean;
  /** One-line Vietnamese help shown as the header's note. */
  help: string;
}

/** What the template's dropdown writes for yes and no. */
export const BOOL_TRUE_CHOICE = "Có";
export const BOOL_FALSE_CHOICE = "Không";

/** Text accepted as yes in a bool cell, compared after foldText (so "có", "CÓ", "co" all count). */
export const BOOL_TRUE_SPELLINGS: readonly string[] = ["Có", "x", "✓", "✔", "yes", "đã", "rồi", "đã hỗ trợ"];
/** Text accepted as no; an empty cell is no as well. */
export const BOOL_FALSE_SPELLINGS: readonly string[] = ["Không", "no", "chưa"];

const TRUE_FOLDED = new Set(BOOL_TRUE_SPELLINGS.map(foldText));
const FALSE_FOLDED = new Set(BOOL_FALSE_SPELLINGS.map(foldText));

/**
 * Reads a yes/no cell: true/false, 1/0 and the spellings above. Returns null for anything else, which the
 * parser reports rather than guessing (a "2" or "?" is a question for the unit, not a no).
 */
export function readBoolCell(cell: CellValue): boolean | null {
  if (cell === null) return false;
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "number") return cell === 1 ? true : cell === 0 ? false : null;
  const folded = foldText(cell);
  if (folded === "") return false;
  if (TRUE_FOLDED.has(folded)) return true;
  if (FALSE_FOLDED.has(folded)) return false;
  return null;
}

/** Column key of a campaign indicator. */
export function indicatorColumnKey(indicatorKey: string): string {
  return `ind:${indicatorKey}`;
}

/** One column per campaign indicator: a yes/no in line-list mode, a cumulative count in aggregate mode. */
function indicatorColumn(
  ind: Campaign["indicators"][number],
  own: Pick<InputColumn, "type" | "help"> & Partial<Pick<InputColumn, "options">>,
): InputColumn {
  return {
    key: indicatorColumnKey(ind.key),
    label: ind.label,
    aliases: ind.short === undefined ? [] : [ind.short],
    required: true,
    width: 14,
    ...own,
  };
}

const ENTERED_AT: InputColumn = {
  key: "enteredAt",
  label: "Thời điểm nhập",
  aliases: ["Thời gian nhập", "Dấu thời gian"],
  required: false,
  type: "stamp",
  width: 18,
  protected: true,
  help: "Hệ thống tự ghi khi dòng được nhập; đơn vị không cần điền và không sửa cột này.",
};

const NOTE: InputColumn = {
  key: "note",
  label: "Ghi chú",
  aliases: [],
  required: false,
  type: "text",
  width: 30,
  help: "Không bắt buộc.",
};

function lineListColumns(c: Campaign): InputColumn[] {
  return [
    ENTERED_AT,
    {
      key: "date",
      label: "Ngày hỗ trợ",
      aliases: ["Ngày", "Ngày thực hiện"],
      required: true,
      type: "date",
      width: 12,
      help: "Ngày hỗ trợ người dân, dạng dd/mm/yyyy (ví dụ 04/08/2025).",
    },
    {
      key: "supporter",
      label: "Người hỗ trợ",
      aliases: ["Cán bộ hỗ trợ", "Người thực hiện", "Họ tên người hỗ trợ"],
      required: true,
      type: "text",
      width: 22,
      help: "Họ và tên cán bộ, đoàn viên đã hỗ trợ người dân.",
    },
    {
      key: "citizenName",
      label: "Họ và tên người dân",
      aliases: ["Họ và tên", "Họ tên", "Họ tên người dân", "Họ và tên công dân"],
      required: true,
      type: "text",
      width: 26,
      help: "Họ và tên người dân được hỗ trợ.",
    },
    {
      key: "citizenId",
      label: "Số định danh cá nhân",
      aliases: ["Số CCCD", "CCCD", "Căn cước", "Số căn cước", "Mã định danh", "Số định danh"],
      required: true,
      type: "id",
      width: 16,
      help: "12 chữ số trên thẻ căn cước; nên định dạng ô là văn bản để không mất số 0 ở đầu.",
    },
    {
      key: "phone",
      label: "Số điện thoại",
      aliases: ["SĐT", "Điện thoại", "Số ĐT"],
      required: false,
      type: "phone",
      width: 14,
      help: "Số di động 10 chữ số (ví dụ 0912345678); không bắt buộc.",
    },
    {
      key: "residence",
      label: "Thôn/Tổ dân phố",
      aliases: ["Thôn", "Tổ dân phố", "Thôn/TDP", "Thôn, tổ dân phố", "Thôn/Tổ"],
      required: false,
      type: "text",
      width: 18,
      help: "Thôn hoặc tổ dân phố nơi người dân cư trú; không bắt buộc.",
    },
    ...c.indicators.map((ind) =>
      indicatorColumn(ind, {
        type: "bool",
        options: [BOOL_TRUE_CHOICE, BOOL_FALSE_CHOICE],
        help: `Chọn "${BOOL_TRUE_CHOICE}" nếu đã hoàn thành; để trống nếu chưa.`,
      }),
    ),
    {
      key: "provider",
      label: "Nhà cung cấp chữ ký số",
      aliases: ["Nhà cung cấp", "Nhà cung cấp CKS", "Nhà mạng"],
      required: false,
      type: "choice",
      options: [...c.providers],
      width: 16,
      help: `Chọn một trong: ${c.providers.join(", ")}; không bắt buộc.`,
    },
    NOTE,
  ];
}

function aggregateColumns(c: Campaign): InputColumn[] {
  return [
    ENTERED_AT,
    {
      key: "reportDate",
      label: "Ngày báo cáo",
      aliases: ["Ngày", "Ngày số liệu"],
      required: true,
      type: "date",
      width: 12,
      help: "Ngày chốt số liệu, dạng dd/mm/yyyy; mỗi ngày một dòng.",
    },
    ...c.indicators.map((ind) => indicatorColumn(ind, { type: "count", help: "số lũy kế" })),
    {
      key: "reporter",
      label: "Người báo cáo",
      aliases: ["Người lập báo cáo", "Cán bộ báo cáo"],
      required: false,
      type: "text",
      width: 22,
      help: "Họ và tên người báo cáo.",
    },
    NOTE,
  ];
}

/** The campaign's input columns in sheet order. */
export function inputColumns(c: Campaign): InputColumn[] {
  return c.mode === "line-list" ? lineListColumns(c) : aggregateColumns(c);
}
