import * as z from "zod";
import { IndicatorKey, IsoDate, RankMeasure } from "./campaign.ts";
import { IsoInstant, RowIssue } from "./rows.ts";
import { UnitKind } from "./units.ts";

export const Counts = z.record(IndicatorKey, z.number().int().min(0));
export type Counts = z.infer<typeof Counts>;

export const Period = z.object({
  /** 0 for the period that ends at the campaign's first cutoff. */
  index: z.number().int().min(0),
  /**
   * Inclusive start: the previous cutoff (or the campaign's start at 00:00). A row stamped exactly at a cutoff
   * belongs to the period that cutoff opens, since reports are due "before 14:00".
   */
  start: IsoInstant,
  /** Exclusive end: the cutoff that closes the period (or the campaign's end, the day after its last day). */
  end: IsoInstant,
});
export type Period = z.infer<typeof Period>;

export const Band = z.enum(["praise", "on-track", "behind", "criticise"]);
export type Band = z.infer<typeof Band>;

export const Trend = z.enum(["up", "down", "same", "new"]);
export type Trend = z.infer<typeof Trend>;

export const UnitStanding = z.object({
  id: z.string(),
  name: z.string(),
  kind: UnitKind,
  parent: z.string().nullable(),
  /** Cumulative counts to the as-of time (own entries plus descendants' for parents). */
  counts: Counts,
  /** Counts added in the current period. */
  periodCounts: Counts,
  target: z.number().int().min(0).nullable(),
  /** counts[ranking indicator] / target × 100, one decimal; null without a target. */
  percent: z.number().nullable(),
  /** Expected percent by elapsed campaign time (same for all units at one instant). */
  pace: z.number(),
  /** Measure the ranking used, for display. */
  score: z.number(),
  /** 1-based rank within the unit's kind; ties share a rank. */
  rank: z.number().int().min(1),
  rankOf: z.number().int().min(1),
  band: Band,
  trend: Trend,
  previousRank: z.number().int().min(1).nullable(),
  /** Reported in the current period (a new valid entry or an explicit confirmation). */
  reported: z.boolean(),
  /** Entries first seen after their period's cutoff. */
  late: z.number().int().min(0),
  errors: z.number().int().min(0),
  warnings: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  /** The unit's last sync was held (e.g. most rows deleted at once) or failed; null when fine. */
  syncProblem: z.string().nullable(),
});
export type UnitStanding = z.infer<typeof UnitStanding>;

export const RollupRow = z.object({
  id: z.string(),
  name: z.string(),
  kind: UnitKind,
  depth: z.number().int().min(0),
  counts: Counts,
  target: z.number().int().min(0).nullable(),
  percent: z.number().nullable(),
});
export type RollupRow = z.infer<typeof RollupRow>;

export const Standings = z.object({
  campaignId: z.string(),
  title: z.string(),
  asOf: IsoInstant,
  asOfDate: IsoDate,
  period: Period,
  ranking: z.object({ indicator: IndicatorKey, measure: RankMeasure }),
  indicators: z.array(z.object({ key: IndicatorKey, label: z.string() })),
  totals: z.object({
    counts: Counts,
    periodCounts: Counts,
    target: z.number().int().min(0).nullable(),
    percent: z.number().nullable(),
    pace: z.number(),
    units: z.number().int().min(0),
    reported: z.number().int().min(0),
  }),
  /** Ranked units (leaves of the tree that report), best first within each kind. */
  units: z.array(UnitStanding),
  /** Unit tree with rolled-up counts, in tree order. */
  rollup: z.array(RollupRow),
  /** Every issue found in the units' sheets (messages only, personal data masked). */
  issues: z.array(RowIssue),
});
export type Standings = z.infer<typeof Standings>;
