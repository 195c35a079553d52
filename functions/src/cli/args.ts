// Command-line options shared by the dondoc commands.
import { parseArgs } from "node:util";
import { DateTime } from "luxon";
import { DondocError } from "../core/errors.ts";

export const DEFAULTS = {
  campaign: "examples/cho-don",
  out: "out",
  data: ".data",
} as const;

export interface CommonOptions {
  campaign: string;
  out: string;
  data: string;
  /** Set when --now was given: replaying a campaign's timeline. */
  now: Date | null;
  help: boolean;
}

export const COMMON_HELP = `Tùy chọn chung / common options:
  --campaign DIR   thư mục chiến dịch (campaign.json, units.csv, sheets/)   [${DEFAULTS.campaign}]
  --now TIME       thời điểm chạy, ISO 8601 (phát lại dòng thời gian); không có múi giờ = giờ Việt Nam
  --out DIR        thư mục kết quả                                            [${DEFAULTS.out}]
  --data DIR       dữ liệu của Firestore nhúng (giữ giữa các lần chạy)         [${DEFAULTS.data}]
  -h, --help       trợ giúp`;

const COMMON_SPEC = {
  campaign: { type: "string" },
  now: { type: "string" },
  out: { type: "string" },
  data: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Spec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

export function parseNow(text: string): Date {
  const dt = DateTime.fromISO(text, { zone: "Asia/Ho_Chi_Minh", setZone: true });
  if (!dt.isValid) {
    throw new DondocError(
      "bad-option",
      `--now "${text}" không phải thời điểm ISO 8601 hợp lệ (ví dụ 2025-08-04T13:00).`,
    );
  }
  return dt.toJSDate();
}

export function parseCommand<S extends Spec>(argv: string[], extra: S) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...COMMON_SPEC, ...extra },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new DondocError("bad-option", `Tùy chọn không hợp lệ: ${(error as Error).message}`);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const common: CommonOptions = {
    campaign: (v.campaign as string | undefined) ?? DEFAULTS.campaign,
    out: (v.out as string | undefined) ?? DEFAULTS.out,
    data: (v.data as string | undefined) ?? DEFAULTS.data,
    now: typeof v.now === "string" ? parseNow(v.now) : null,
    help: v.help === true,
  };
  return { common, values: v, positionals: parsed.positionals };
}
