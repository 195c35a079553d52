// A unit's target (chỉ tiêu) by the campaign's rule. Missing inputs mean "no target", never zero: a unit
// without a household count must not show as 0% of 0 or be banded as behind.
import type { DateTime } from "luxon";
import type { Campaign, Unit } from "../../../schemas/index.ts";
import { campaignZone } from "./periods.ts";

/** The percent of adults that applies in `year`: that year's, else the nearest earlier year's, else the flat one. */
export function percentForYear(
  byYear: Record<string, number> | undefined,
  flat: number | undefined,
  year: number,
): number | null {
  if (byYear) {
    let best: number | null = null;
    let bestYear = Number.NEGATIVE_INFINITY;
    for (const [y, pct] of Object.entries(byYear)) {
      const n = Number(y);
      if (n <= year && n > bestYear) {
        bestYear = n;
        best = pct;
      }
    }
    if (best !== null) return best;
  }
  return flat ?? null;
}

/** The target in people at `at` (which matters when the percent rises by year, as in seed 004). */
export function unitTarget(c: Campaign, unit: Unit, at: DateTime): number | null {
  const rule = c.target;
  switch (rule.rule) {
    case "explicit":
      return unit.target ?? null;
    case "per-staff":
      return unit.staff === undefined ? null : unit.staff * rule.perStaff;
    case "per-household":
      return unit.households === undefined ? null : unit.households * (rule.perHousehold ?? 1);
    case "percent-of-adults": {
      if (unit.adults === undefined) return null;
      const pct = percentForYear(rule.percentByYear, rule.percent, at.setZone(campaignZone(c)).year);
      return pct === null ? null : Math.round((unit.adults * pct) / 100);
    }
  }
}
