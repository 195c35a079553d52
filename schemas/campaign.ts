import * as z from "zod";

/** A calendar date as written in config files: YYYY-MM-DD (interpreted in the campaign's time zone). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD")
  .describe("Calendar date YYYY-MM-DD in the campaign's time zone");

/** A wall-clock time HH:mm (24 h). */
export const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:mm")
  .describe("Wall-clock time HH:mm, 24-hour");

export const IndicatorKey = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]*$/, "indicator keys are camelCase ASCII")
  .describe("Stable indicator key used in code and storage");

export const Indicator = z.object({
  key: IndicatorKey,
  /** Vietnamese label, also the sheet column header. */
  label: z.string().min(1),
  /** Short label for narrow columns and charts. */
  short: z.string().min(1).optional(),
});
export type Indicator = z.infer<typeof Indicator>;

/** ISO weekday: 1 = Monday (thứ Hai) … 7 = Sunday (Chủ nhật). */
export const IsoWeekday = z.number().int().min(1).max(7);

export const WeeklySchedule = z.object({
  kind: z.literal("weekly"),
  weekdays: z.array(IsoWeekday).min(1),
  time: ClockTime,
});

export const MonthlySchedule = z.object({
  kind: z.literal("monthly"),
  /** Days of the month; a day past the month's end (e.g. 31 in April) falls on the month's last day. */
  days: z.array(z.number().int().min(1).max(31)).min(1),
  time: ClockTime,
});

export const CutoffSchedule = z.discriminatedUnion("kind", [WeeklySchedule, MonthlySchedule]);
export type CutoffSchedule = z.infer<typeof CutoffSchedule>;

export const EntryMode = z.enum(["line-list", "aggregate"]);
export type EntryMode = z.infer<typeof EntryMode>;

/**
 * What the ranking orders by:
 * - percent: cumulative count as a percent of the unit's target;
 * - cumulative: cumulative count;
 * - period: count added in the current period (seed 000 ranks the week's new installs).
 */
export const RankMeasure = z.enum(["percent", "cumulative", "period"]);
export type RankMeasure = z.infer<typeof RankMeasure>;

export const Ranking = z.object({
  indicator: IndicatorKey,
  measure: RankMeasure,
  /**
   * Unit kinds that are ranked, banded and named in the report (seed 000 names wards only, while agencies
   * also count toward the city's total). Empty or absent: every kind, each ranked within itself.
   */
  kinds: z.array(z.string()).optional(),
});
export type Ranking = z.infer<typeof Ranking>;

export const Bands = z.object({
  /** How many units at the top of each kind are praised (biểu dương). */
  praise: z.number().int().min(0),
  /** How many units at the bottom of each kind are criticised (phê bình). */
  criticise: z.number().int().min(0),
  /** A unit below this share of its expected pace is "behind" (chậm tiến độ). 1 = exactly on pace. */
  behindBelowPace: z.number().min(0).max(2).default(0.8),
});
export type Bands = z.infer<typeof Bands>;

export const PercentByYear = z.record(z.string().regex(/^\d{4}$/), z.number().min(0).max(100));

export const TargetRule = z.discriminatedUnion("rule", [
  /** The target column of units.csv. */
  z.object({ rule: z.literal("explicit") }),
  /** staff × perStaff (seed 001: every official supports 15 people). */
  z.object({ rule: z.literal("per-staff"), perStaff: z.number().int().min(1) }),
  /** households × perHousehold (seed 003: at least one person per household). */
  z.object({ rule: z.literal("per-household"), perHousehold: z.number().int().min(1).default(1) }),
  /** A percent of adults, possibly rising by year (seed 004: 40% in 2024, 50% in 2025). */
  z.object({
    rule: z.literal("percent-of-adults"),
    percent: z.number().min(0).max(100).optional(),
    percentByYear: PercentByYear.optional(),
  }),
]);
export type TargetRule = z.infer<typeof TargetRule>;

export const Person = z.object({
  name: z.string().min(1),
  email: z.email(),
});

export const Reminders = z.object({
  /** Hours before each cutoff at which units that have not reported are reminded. */
  offsetsHours: z.array(z.number().positive()).default([24, 2]),
  /** No mail inside quiet hours: a reminder due then moves to the quiet hours' end. */
  quietHours: z.object({ start: ClockTime, end: ClockTime }).default({ start: "21:00", end: "07:00" }),
  /** Hours after a cutoff at which the leaders' digest goes out. */
  digestDelayHours: z.number().min(0).default(0),
});
export type Reminders = z.infer<typeof Reminders>;

export const Campaign = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, "campaign ids are lowercase ASCII with dashes")
    .describe("Stable campaign id, used in storage keys"),
  /** Vietnamese title, e.g. "Chiến dịch 1 người hỗ trợ 15 người". */
  title: z.string().min(1),
  /** Issuing body as written in the letters, e.g. "UBND xã Chợ Đồn". */
  issuer: z.string().min(1),
  /** Reference of the directive the campaign executes, e.g. "Kế hoạch số 08/KH-UBND ngày 21/7/2025". */
  reference: z.string().optional(),
  timezone: z.string().default("Asia/Ho_Chi_Minh"),
  start: IsoDate,
  /** Last day of the campaign, inclusive (until 23:59:59 unless the schedule's last cutoff is that day). */
  end: IsoDate,
  schedule: CutoffSchedule,
  reminders: Reminders.default({
    offsetsHours: [24, 2],
    quietHours: { start: "21:00", end: "07:00" },
    digestDelayHours: 0,
  }),
  mode: EntryMode,
  /** At most 30: a row's ticks are held as the bits of one integer (core/line-list-columns.ts). */
  indicators: z.array(Indicator).min(1).max(30, "Chiến dịch có tối đa 30 chỉ tiêu."),
  ranking: Ranking,
  bands: Bands,
  /** Cross-unit dedupe of citizens in line-list mode (first recorded wins). */
  dedupeAcrossUnits: z.boolean().default(true),
  /** Signature providers offered in the line-list dropdown. */
  providers: z.array(z.string().min(1)).default(["VNPT", "Viettel", "MobiFone", "FPT", "BKAV"]),
  leaders: z.array(Person).default([]),
  /** Wording of the drafted report paragraph, in the letters' style. */
  report: z
    .object({
      /** "toàn thành phố", "toàn xã", "toàn quận". */
      scope: z.string().min(1),
      /** Who praises: "UBND thành phố". */
      praiseBy: z.string().min(1),
      /** Who criticises: "Chủ tịch UBND thành phố". */
      criticiseBy: z.string().min(1),
      /** What one counted thing is called: "trường hợp", "người". */
      unitNoun: z.string().min(1).default("trường hợp"),
    })
    .optional(),
  target: TargetRule,
  /** A sync that would remove more than this share of a unit's stored entries is held for confirmation. */
  holdDeletionsAbove: z.number().min(0).max(1).default(0.5),
});
export type Campaign = z.infer<typeof Campaign>;
export type CampaignInput = z.input<typeof Campaign>;
