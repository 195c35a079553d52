// units.csv: the campaign's unit tree as an office keeps it, typed in a spreadsheet and saved as CSV. Offices
// save from Excel or LibreOffice, so the reader accepts what those write (UTF-8 BOM, CRLF, quoted fields,
// "3.214" thousands) and reports every problem at once, each with its line and column, so a clerk can fix the
// whole file in one pass instead of one error per run.
import * as z from "zod";
import {
  type TargetRule,
  UNITS_CSV_COLUMNS,
  type Unit,
  UnitKind,
  Unit as UnitSchema,
} from "../../../schemas/index.ts";
import { DondocError } from "../core/errors.ts";

export type UnitsCsvColumn = (typeof UNITS_CSV_COLUMNS)[number];

/** One problem in units.csv. `line` is the physical line the record starts on (the header is line 1). */
export interface UnitsCsvProblem {
  line: number;
  /** Column name from the header, or "" for the record or file as a whole. */
  column: string;
  message: string;
}

export interface ParseUnitsCsvOptions {
  /** The campaign's target rule; with "explicit", every unit must carry a target. */
  target?: TargetRule;
}

const REQUIRED_COLUMNS: readonly UnitsCsvColumn[] = ["id", "name", "kind"];
const COUNT_COLUMNS = ["target", "households", "staff", "adults"] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
// Whole numbers as offices type them: "3214", or grouped with dots the Vietnamese way, "3.214" / "1.234.567".
const PLAIN_COUNT = /^\d+$/;
const GROUPED_COUNT = /^\d{1,3}(\.\d{3})+$/;
const emailSchema = z.email();

interface CsvRecord {
  /** Physical line the record starts on, 1-based. */
  line: number;
  fields: string[];
}

class ProblemList {
  readonly items: UnitsCsvProblem[] = [];
  add(line: number, column: string, message: string): void {
    this.items.push({ line, column, message });
  }
}

/**
 * Splits RFC 4180 CSV into records. Quoted fields may hold commas, doubled quotes and line breaks; lines end in
 * CRLF, LF or a lone CR (old Mac exports). Malformed quoting is reported rather than guessed at, because a
 * silently shifted column would put a target into the e-mail column.
 */
function splitCsv(text: string, problems: ProblemList): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = text.length;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && field === "") {
      // Quoted field: runs to the matching quote; "" inside is one quote.
      const openLine = line;
      i++;
      let closed = false;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (c === "\r" || c === "\n") {
          // Keep the break as written inside the value but count it once for line numbers.
          if (c === "\r" && text[i + 1] === "\n") {
            field += "\r\n";
            i += 2;
          } else {
            field += c;
            i++;
          }
          line++;
          continue;
        }
        field += c;
        i++;
      }
      if (!closed) {
        problems.add(openLine, "", "dấu ngoặc kép mở nhưng không được đóng đến hết tệp.");
        endRecord();
        return records;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
        problems.add(
          line,
          "",
          "có ký tự ngay sau dấu ngoặc kép đóng; ô có dấu ngoặc kép phải kết thúc tại đó.",
        );
        // Skip to the next separator so the rest of the record still lines up.
        while (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") i++;
      }
      continue;
    }
    if (ch === ",") {
      fields.push(field);
      field = "";
      i++;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (ch === '"') {
      problems.add(
        line,
        "",
        'dấu ngoặc kép nằm giữa ô không được bao trong ngoặc kép; hãy viết "" hoặc bao cả ô.',
      );
    }
    field += ch;
    i++;
  }
  // The last record has no line break after it, or the file ended with one (then nothing is pending).
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

function isBlankRecord(r: CsvRecord): boolean {
  return r.fields.every((f) => f.trim() === "");
}

function location(file: string, p: UnitsCsvProblem): string {
  const column = p.column === "" ? "" : `, cột "${p.column}"`;
  return `${file}, dòng ${p.line}${column}`;
}

function fail(file: string, problems: UnitsCsvProblem[]): never {
  const lines = problems.map((p) => `- ${location(file, p)}: ${p.message}`);
  const head =
    problems.length === 1
      ? `Tệp danh sách đơn vị ${file} có 1 lỗi:`
      : `Tệp danh sách đơn vị ${file} có ${problems.length} lỗi:`;
  throw new DondocError("units-csv-invalid", `${head}\n${lines.join("\n")}`, { file, problems });
}

/** Reads a whole, non-negative count; null when the cell is empty. Throws a message for anything else. */
export function parseCount(raw: string): number | null {
  const s = raw.replace(/[\s\u00A0]/g, "");
  if (s === "") return null;
  if (PLAIN_COUNT.test(s)) return Number(s);
  if (GROUPED_COUNT.test(s)) return Number(s.replace(/\./g, ""));
  if (/^-/.test(s)) throw new Error(`"${raw}" là số âm; số lượng phải từ 0 trở lên.`);
  if (/^\d+,\d+$/.test(s) || /^\d{1,3}(\.\d{3})*,\d+$/.test(s)) {
    throw new Error(`"${raw}" không phải số nguyên; số lượng phải là số nguyên (ví dụ 3.214).`);
  }
  throw new Error(`"${raw}" không phải số nguyên hợp lệ (viết 3214 hoặc 3.214).`);
}

function splitEmails(raw: string): string[] {
  return raw
    .split(/[;,]/)
    .map((e) => e.trim())
    .filter((e) => e !== "");
}

function headerIndex(header: CsvRecord, file: string): Map<UnitsCsvColumn, number> {
  const problems: UnitsCsvProblem[] = [];
  const known = new Map<string, UnitsCsvColumn>(UNITS_CSV_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const index = new Map<UnitsCsvColumn, number>();
  header.fields.forEach((rawName, i) => {
    const name = rawName.trim();
    const column = known.get(name.toLowerCase());
    if (name === "") {
      problems.push({ line: header.line, column: "", message: `cột thứ ${i + 1} không có tên.` });
    } else if (column === undefined) {
      problems.push({
        line: header.line,
        column: name,
        message: `cột không được hỗ trợ; các cột hợp lệ: ${UNITS_CSV_COLUMNS.join(", ")}.`,
      });
    } else if (index.has(column)) {
      problems.push({ line: header.line, column: name, message: "cột bị lặp lại trong dòng tiêu đề." });
    } else {
      index.set(column, i);
    }
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!index.has(required)) {
      problems.push({
        line: header.line,
        column: required,
        message: "thiếu cột bắt buộc trong dòng tiêu đề.",
      });
    }
  }
  if (problems.length > 0) fail(file, problems);
  return index;
}

interface RowDraft {
  line: number;
  unit: Unit;
}

function readRecord(
  record: CsvRecord,
  index: Map<UnitsCsvColumn, number>,
  width: number,
  problems: ProblemList,
): RowDraft | null {
  const before = problems.items.length;
  if (record.fields.length !== width) {
    problems.add(
      record.line,
      "",
      `dòng có ${record.fields.length} ô nhưng dòng tiêu đề có ${width} cột (có thể thiếu dấu ngoặc kép quanh ô chứa dấu phẩy).`,
    );
    return null;
  }
  const cell = (c: UnitsCsvColumn): string => {
    const i = index.get(c);
    return i === undefined ? "" : record.fields[i]!.normalize("NFC").trim();
  };

  const id = cell("id");
  if (id === "") problems.add(record.line, "id", "thiếu mã đơn vị.");
  else if (!ID_PATTERN.test(id)) {
    problems.add(
      record.line,
      "id",
      `mã đơn vị "${id}" không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ dinh-bang).`,
    );
  }
  const name = cell("name");
  if (name === "") problems.add(record.line, "name", "thiếu tên đơn vị.");
  const kindText = cell("kind");
  const kind = UnitKind.safeParse(kindText);
  if (!kind.success) {
    problems.add(
      record.line,
      "kind",
      kindText === ""
        ? "thiếu loại đơn vị."
        : `loại đơn vị "${kindText}" không hợp lệ; dùng một trong: ${UnitKind.options.join(", ")}.`,
    );
  }

  const counts: Partial<Record<CountColumn, number>> = {};
  for (const c of COUNT_COLUMNS) {
    try {
      const v = parseCount(cell(c));
      if (v !== null) counts[c] = v;
    } catch (e) {
      problems.add(record.line, c, (e as Error).message);
    }
  }

  const emails = splitEmails(cell("emails"));
  for (const e of emails) {
    if (!emailSchema.safeParse(e).success)
      problems.add(record.line, "emails", `địa chỉ e-mail "${e}" không hợp lệ.`);
  }

  if (problems.items.length > before || !kind.success) return null;
  const parent = cell("parent");
  const sheetId = cell("sheetId");
  const candidate = {
    id,
    name,
    kind: kind.data,
    emails,
    ...(parent === "" ? {} : { parent }),
    ...counts,
    ...(sheetId === "" ? {} : { sheetId }),
  };
  const parsed = UnitSchema.safeParse(candidate);
  if (!parsed.success) {
    // The checks above mirror the schema; this only fires if the schema gains a rule they do not know.
    for (const issue of parsed.error.issues) {
      problems.add(record.line, issue.path.join("."), issue.message);
    }
    return null;
  }
  return { line: record.line, unit: parsed.data };
}

function checkTree(drafts: RowDraft[], problems: ProblemList): void {
  const byId = new Map<string, RowDraft>();
  for (const d of drafts) {
    const first = byId.get(d.unit.id);
    if (first !== undefined) {
      problems.add(
        d.line,
        "id",
        `mã đơn vị "${d.unit.id}" đã dùng ở dòng ${first.line}; mỗi đơn vị một mã riêng.`,
      );
    } else {
      byId.set(d.unit.id, d);
    }
  }
  for (const d of drafts) {
    const parent = d.unit.parent;
    if (parent === undefined) continue;
    if (parent === d.unit.id)
      problems.add(d.line, "parent", "đơn vị không thể là đơn vị cấp trên của chính nó.");
    else if (!byId.has(parent)) problems.add(d.line, "parent", `không có đơn vị nào mang mã "${parent}".`);
  }
  // A cycle (a → b → a) would make roll-up loop forever; report it once, at the first unit on it in file order.
  const reported = new Set<string>();
  for (const d of drafts) {
    const seen: string[] = [];
    let current: string | undefined = d.unit.id;
    while (current !== undefined && !seen.includes(current)) {
      seen.push(current);
      const next: string | undefined = byId.get(current)?.unit.parent;
      current = next === current ? undefined : next;
    }
    if (current === undefined) continue;
    const cycle = seen.slice(seen.indexOf(current));
    if (cycle.some((id) => reported.has(id)) || !cycle.includes(d.unit.id)) continue;
    for (const id of cycle) reported.add(id);
    problems.add(
      d.line,
      "parent",
      `các đơn vị tạo thành vòng lặp cấp trên: ${[...cycle, current].join(" → ")}; cây đơn vị phải có gốc.`,
    );
  }
}

function checkTargets(drafts: RowDraft[], target: TargetRule | undefined, problems: ProblemList): void {
  if (target?.rule !== "explicit") return;
  // A parent without its own target is measured against the sum of its children's, so only leaves need one.
  const parents = new Set(drafts.map((d) => d.unit.parent).filter((p) => p !== undefined));
  for (const d of drafts) {
    if (d.unit.target === undefined && !parents.has(d.unit.id)) {
      problems.add(d.line, "target", "thiếu chỉ tiêu: chiến dịch giao chỉ tiêu theo từng đơn vị (target).");
    }
  }
}

/**
 * Parses units.csv. Throws one DondocError ("units-csv-invalid") listing every problem with its file, line and
 * column; returns the units in file order otherwise.
 */
export function parseUnitsCsv(text: string, file: string, options: ParseUnitsCsvOptions = {}): Unit[] {
  const problems = new ProblemList();
  const records = splitCsv(text.replace(/^\uFEFF/, ""), problems);
  if (problems.items.length > 0) fail(file, problems.items);
  const header = records.find((r) => !isBlankRecord(r));
  if (header === undefined) {
    fail(file, [
      {
        line: 1,
        column: "",
        message: `tệp trống; dòng đầu phải là tiêu đề: ${UNITS_CSV_COLUMNS.join(",")}.`,
      },
    ]);
  }
  const index = headerIndex(header, file);
  const drafts: RowDraft[] = [];
  for (const record of records) {
    if (record === header || record.line < header.line || isBlankRecord(record)) continue;
    const draft = readRecord(record, index, header.fields.length, problems);
    if (draft !== null) drafts.push(draft);
  }
  if (drafts.length === 0 && problems.items.length === 0) {
    problems.add(header.line, "", "tệp không có đơn vị nào dưới dòng tiêu đề.");
  }
  checkTree(drafts, problems);
  checkTargets(drafts, options.target, problems);
  if (problems.items.length > 0) {
    fail(
      file,
      [...problems.items].sort((a, b) => a.line - b.line),
    );
  }
  return drafts.map((d) => d.unit);
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes units.csv with the standard header, one unit per line. Counts are plain digits and e-mails are joined
 * with ";" so that the file needs no quoting in the usual case and reads back to the same units.
 */
export function formatUnitsCsv(units: readonly Unit[]): string {
  const lines = [UNITS_CSV_COLUMNS.join(",")];
  for (const u of units) {
    const cells: Record<UnitsCsvColumn, string> = {
      id: u.id,
      name: u.name,
      kind: u.kind,
      parent: u.parent ?? "",
      target: u.target === undefined ? "" : String(u.target),
      emails: u.emails.join(";"),
      households: u.households === undefined ? "" : String(u.households),
      staff: u.staff === undefined ? "" : String(u.staff),
      adults: u.adults === undefined ? "" : String(u.adults),
      sheetId: u.sheetId ?? "",
    };
    lines.push(UNITS_CSV_COLUMNS.map((c) => csvField(cells[c])).join(","));
  }
  return `${lines.join("\n")}\n`;
}
