// A campaign folder (campaign.json, units.csv, sheets/) is what an office hands the CLI. Everything wrong with it
// is reported in Vietnamese with the exact place to fix, because the person running it edits these files by
// hand and cannot read a stack trace or a zod dump.
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DateTime, IANAZone } from "luxon";
import type * as z from "zod";
import { Campaign, type Unit, UnitKind } from "../../../schemas/index.ts";
import { DondocError } from "../core/errors.ts";
import { parseUnitsCsv } from "./units-csv.ts";

export const CAMPAIGN_FILE = "campaign.json";
export const UNITS_FILE = "units.csv";
export const SHEETS_DIR = "sheets";

export interface CampaignFolder {
  /** Absolute path of the folder. */
  dir: string;
  campaign: Campaign;
  units: Unit[];
  /** Where the units' input workbooks live (sheets/<unit id>.xlsx); it may not exist yet before `init`. */
  sheetsDir: string;
}

/** One problem in campaign.json: a JSON path such as "schedule.weekdays[0]" ("" for the whole file). */
export interface CampaignProblem {
  path: string;
  message: string;
}

// Keys an editor or a generator may add that are not campaign settings.
const IGNORED_KEYS = new Set(["$schema", "$comment"]);

// The schema's own regex messages are English developer text; these are what an office clerk should read.
const FORMAT_MESSAGES: Record<string, string> = {
  "expected YYYY-MM-DD": "ngày phải viết dạng YYYY-MM-DD (ví dụ 2025-07-28)",
  "expected HH:mm": "giờ phải viết dạng HH:mm, 24 giờ (ví dụ 14:00)",
  "indicator keys are camelCase ASCII":
    "mã chỉ số chỉ dùng chữ cái không dấu và chữ số, bắt đầu bằng chữ thường",
  "campaign ids are lowercase ASCII with dashes":
    "mã chiến dịch chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang",
};

const TYPE_NAMES: Record<string, string> = {
  string: "chuỗi",
  number: "số",
  int: "số nguyên",
  boolean: "true hoặc false",
  object: "đối tượng {…}",
  array: "mảng […]",
};

/** "schedule.weekdays[0]" from zod's path segments. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function shown(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function bound(n: number | bigint, inclusive: boolean | undefined, below: boolean): string {
  if (below) return inclusive === false ? `lớn hơn ${n}` : `từ ${n} trở lên`;
  return inclusive === false ? `nhỏ hơn ${n}` : `không quá ${n}`;
}

/** A zod issue in words a clerk can act on. */
function issueMessage(issue: z.core.$ZodIssue, raw: unknown): string {
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "thiếu trường bắt buộc.";
      return `sai kiểu: cần ${TYPE_NAMES[issue.expected] ?? issue.expected}, đang là ${shown(value)}.`;
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1 ? "không được để trống." : `cần ít nhất ${issue.minimum} ký tự.`;
      }
      if (issue.origin === "array" || issue.origin === "set") return `cần ít nhất ${issue.minimum} phần tử.`;
      return `phải ${bound(issue.minimum, issue.inclusive, true)}, đang là ${shown(value)}.`;
    case "too_big":
      if (issue.origin === "string") return `dài quá ${issue.maximum} ký tự.`;
      if (issue.origin === "array" || issue.origin === "set") return `nhiều quá ${issue.maximum} phần tử.`;
      return `phải ${bound(issue.maximum, issue.inclusive, false)}, đang là ${shown(value)}.`;
    case "invalid_format":
      if (issue.format === "email") return `địa chỉ e-mail không hợp lệ: ${shown(value)}.`;
      return `${FORMAT_MESSAGES[issue.message] ?? `không đúng định dạng (${issue.message})`}; đang là ${shown(value)}.`;
    case "invalid_value":
      return `giá trị ${shown(value)} không hợp lệ; dùng một trong: ${issue.values.map((v) => shown(v)).join(", ")}.`;
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) {
        return `giá trị ${shown(value)} không hợp lệ; dùng một trong: ${options.map((v) => shown(v)).join(", ")}.`;
      }
      return `giá trị ${shown(value)} không khớp dạng nào được hỗ trợ.`;
    }
    case "unrecognized_keys":
      return `khóa không được hỗ trợ: ${issue.keys.join(", ")}.`;
    case "not_multiple_of":
      return `phải là bội số của ${issue.divisor}.`;
    default:
      return issue.message;
  }
}

function validCalendarDate(iso: string, zone: string): boolean {
  return DateTime.fromISO(iso, { zone }).isValid;
}

/** What zod cannot see: cross-field rules of a campaign. */
function semanticProblems(c: Campaign): CampaignProblem[] {
  const out: CampaignProblem[] = [];
  if (!IANAZone.isValidZone(c.timezone)) {
    out.push({ path: "timezone", message: `múi giờ "${c.timezone}" không tồn tại (dùng Asia/Ho_Chi_Minh).` });
  }
  const zone = IANAZone.isValidZone(c.timezone) ? c.timezone : "Asia/Ho_Chi_Minh";
  const startOk = validCalendarDate(c.start, zone);
  const endOk = validCalendarDate(c.end, zone);
  if (!startOk) out.push({ path: "start", message: `ngày "${c.start}" không có trên lịch.` });
  if (!endOk) out.push({ path: "end", message: `ngày "${c.end}" không có trên lịch.` });
  if (startOk && endOk && c.end < c.start) {
    out.push({ path: "end", message: `ngày kết thúc ${c.end} trước ngày bắt đầu ${c.start}.` });
  }
  const keys = new Map<string, number>();
  c.indicators.forEach((ind, i) => {
    const first = keys.get(ind.key);
    if (first !== undefined) {
      out.push({
        path: `indicators[${i}].key`,
        message: `mã chỉ số "${ind.key}" trùng với indicators[${first}].`,
      });
    } else {
      keys.set(ind.key, i);
    }
  });
  if (!keys.has(c.ranking.indicator)) {
    out.push({
      path: "ranking.indicator",
      message: `chỉ số "${c.ranking.indicator}" không có trong indicators; dùng một trong: ${[...keys.keys()].join(", ")}.`,
    });
  }
  c.ranking.kinds?.forEach((kind, i) => {
    if (!UnitKind.safeParse(kind).success) {
      out.push({
        path: `ranking.kinds[${i}]`,
        message: `loại đơn vị "${kind}" không hợp lệ; dùng một trong: ${UnitKind.options.join(", ")}.`,
      });
    }
  });
  if (c.target.rule === "percent-of-adults" && c.target.percent === undefined && !c.target.percentByYear) {
    out.push({ path: "target", message: "quy tắc percent-of-adults cần percent hoặc percentByYear." });
  }
  return out;
}

function campaignInvalid(file: string, problems: CampaignProblem[]): never {
  const lines = problems.map((p) => `- ${p.path === "" ? "(toàn tệp)" : p.path}: ${p.message}`);
  throw new DondocError(
    "campaign-invalid",
    `Tệp cấu hình chiến dịch ${file} có ${problems.length} lỗi:\n${lines.join("\n")}`,
    { file, problems },
  );
}

/** Validates campaign.json's parsed content; `file` names it in messages. */
export function parseCampaignJson(raw: unknown, file: string): Campaign {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    campaignInvalid(file, [{ path: "", message: "nội dung phải là một đối tượng JSON {…}." }]);
  }
  const problems: CampaignProblem[] = [];
  const known = new Set(Object.keys(Campaign.shape));
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (IGNORED_KEYS.has(key)) continue;
    // A misspelt key ("shedule") would otherwise be dropped silently and its setting fall back to a default.
    if (!known.has(key)) problems.push({ path: key, message: "khóa không được hỗ trợ (gõ sai tên?)." });
    else input[key] = value;
  }
  const parsed = Campaign.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: jsonPath(issue.path), message: issueMessage(issue, input) });
    }
    campaignInvalid(file, problems);
  }
  problems.push(...semanticProblems(parsed.data));
  if (problems.length > 0) campaignInvalid(file, problems);
  return parsed.data;
}

/** Line and column of a character offset, for JSON syntax errors. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const where =
      position === null
        ? ""
        : (() => {
            const { line, column } = lineColumn(text.replace(/^\uFEFF/, ""), Number(position[1]));
            return ` tại dòng ${line}, cột ${column}`;
          })();
    campaignInvalid(file, [{ path: "", message: `không phải JSON hợp lệ${where} (${message}).` }]);
  }
}

async function readRequired(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new DondocError("campaign-file-not-found", `Không tìm thấy ${what}: ${path}.`, { path });
    }
    throw new DondocError(
      "campaign-file-unreadable",
      `Không đọc được ${what} ${path}: ${(e as Error).message}.`,
      {
        path,
        cause: code,
      },
    );
  }
}

/**
 * Reads and validates a campaign folder. Throws DondocError with a Vietnamese message: "campaign-folder-not-found",
 * "campaign-file-not-found", "campaign-invalid" (campaign.json) or "units-csv-invalid" (units.csv).
 */
export async function loadCampaignFolder(dir: string): Promise<CampaignFolder> {
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => null);
  if (info === null) {
    throw new DondocError("campaign-folder-not-found", `Không tìm thấy thư mục chiến dịch: ${abs}.`, {
      path: abs,
    });
  }
  if (!info.isDirectory()) {
    throw new DondocError(
      "campaign-folder-not-found",
      `${abs} không phải là thư mục; hãy chỉ đến thư mục chứa ${CAMPAIGN_FILE} và ${UNITS_FILE}.`,
      { path: abs },
    );
  }
  const campaignPath = join(abs, CAMPAIGN_FILE);
  const unitsPath = join(abs, UNITS_FILE);
  const campaignText = await readRequired(campaignPath, `tệp cấu hình chiến dịch ${CAMPAIGN_FILE}`);
  const campaign = parseCampaignJson(parseJsonText(campaignText, campaignPath), campaignPath);
  const unitsText = await readRequired(unitsPath, `tệp danh sách đơn vị ${UNITS_FILE}`);
  const units = parseUnitsCsv(unitsText, unitsPath, { target: campaign.target });
  return { dir: abs, campaign, units, sheetsDir: join(abs, SHEETS_DIR) };
}
