// Ranking within a kind of unit, colour bands and trend. Ties share a rank and share a band: two wards with the
// same figure are indistinguishable to a reader of the letter, so one must not be praised and the other not.
import type { Band, Bands, Trend } from "../../../schemas/index.ts";
import { compareVi } from "./format.ts";

export interface Rankable {
  id: string;
  name: string;
  score: number;
}

export interface Ranked<T> {
  item: T;
  /** 1-based competition rank (1, 2, 2, 4): the number of strictly better items plus one. */
  rank: number;
  rankOf: number;
}

/** Best first: higher score, then Vietnamese collation of the name, then id (so the order is total). */
export function compareForRank(a: Rankable, b: Rankable): number {
  return b.score - a.score || compareVi(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Ranks one group (one kind of unit), best first. */
export function rankWithin<T extends Rankable>(items: readonly T[]): Ranked<T>[] {
  const sorted = [...items].sort(compareForRank);
  const out: Ranked<T>[] = [];
  let rank = 0;
  sorted.forEach((item, i) => {
    if (i === 0 || item.score !== sorted[i - 1]!.score) rank = i + 1;
    out.push({ item, rank, rankOf: sorted.length });
  });
  return out;
}

export function trendOf(rank: number, previousRank: number | null): Trend {
  if (previousRank === null) return "new";
  if (rank < previousRank) return "up";
  if (rank > previousRank) return "down";
  return "same";
}

export interface BandCandidate {
  id: string;
  score: number;
  target: number | null;
  /** Cumulative percent of target of the ranking indicator. */
  percent: number | null;
}

/** "behind" when a unit with a target is under `behindBelowPace` of the expected pace (both in percent). */
export function paceBand(
  percent: number | null,
  target: number | null,
  pace: number,
  behindBelowPace: number,
): Band {
  if (target === null || target <= 0 || percent === null) return "on-track";
  return percent < pace * behindBelowPace ? "behind" : "on-track";
}

/** Index of the first element ≥ x in an ascending array. */
function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > x in an ascending array. */
function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Bands for one group. When `ranked` (the kind is named in letters):
 * - praise: rank ≤ bands.praise (ties at the edge included) and a positive score — nobody is praised for nothing;
 * - criticise: among the rest, those with at most bands.criticise − 1 units strictly below them (ties at the
 *   edge included), except units level with the group's best: with everyone at 0 nobody is singled out;
 * - others: behind / on-track by pace.
 * Praise is decided first, so in a group smaller than praise + criticise fewer units are criticised.
 */
export function assignBands(
  group: readonly BandCandidate[],
  bands: Pick<Bands, "praise" | "criticise" | "behindBelowPace">,
  pace: number,
  ranked: boolean,
): Map<string, Band> {
  const out = new Map<string, Band>();
  const scores = group.map((g) => g.score);
  const best = scores.length > 0 ? Math.max(...scores) : 0;
  // Counting strictly better and worse scores by binary search over the sorted scores keeps a kind of 3,000
  // villages from costing 3,000² comparisons; NaN (which no comparison orders) keeps the plain count.
  const sorted = scores.some(Number.isNaN) ? null : Float64Array.from(scores).sort();
  for (const g of group) {
    const better = sorted
      ? sorted.length - upperBound(sorted, g.score)
      : scores.filter((s) => s > g.score).length;
    const worse = sorted ? lowerBound(sorted, g.score) : scores.filter((s) => s < g.score).length;
    let band: Band;
    if (ranked && better + 1 <= bands.praise && g.score > 0) band = "praise";
    else if (ranked && worse + 1 <= bands.criticise && g.score < best) band = "criticise";
    else band = paceBand(g.percent, g.target, pace, bands.behindBelowPace);
    out.set(g.id, band);
  }
  return out;
}
