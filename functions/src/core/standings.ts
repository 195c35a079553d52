// Standings: every figure the leaders' tabs, standings.json, reminders and the drafted report show, computed
// from entries alone at one instant. Nothing depends on when a sync ran, so the same data gives the same
// standings on any machine, in any order.
import { DateTime } from "luxon";
import {
  type Band,
  type Campaign,
  type Counts,
  type Period,
  type RollupRow,
  type RowIssue,
  type Standings,
  type Unit,
  UnitKind,
  type UnitStanding,
} from "../../../schemas/index.ts";
import {
  addCounts,
  buildLedgers,
  countsAddedBetween,
  countsAt,
  enteredBetween,
  lateCount,
  type UnitLedger,
  zeroCounts,
} from "./aggregate.ts";
import { dedupeVerdicts } from "./dedupe.ts";
import { EntryTable } from "./entry-table.ts";
import { DondocError } from "./errors.ts";
import { compareVi, maskDigitRuns, roundTo } from "./format.ts";
import type { LineListColumns } from "./line-list-columns.ts";
import type { Entry, UnitSyncState } from "./model.ts";
import { campaignZone, currentPeriod, elapsedShare, periodByIndex } from "./periods.ts";
import { assignBands, type Rankable, type Ranked, rankWithin, trendOf } from "./rank.ts";
import { unitTarget } from "./targets.ts";

export interface StandingsInput {
  campaign: Campaign;
  units: Unit[];
  entries: Entry[];
  /**
   * More line-list entries, as sheets' columns (parseSheetColumns): counted with `entries` as if they were in it,
   * without an object each.
   */
  lineList?: readonly LineListColumns[];
  unitStates: UnitSyncState[];
  /** Every unit's sheet issues (the caller merges fresh reads and unchanged sheets' stored issues). */
  issues: RowIssue[];
  asOf: Date;
}

export interface StandingsResult {
  standings: Standings;
  /** One warning per citizen counted by an earlier unit, to annotate on the later unit's row. */
  duplicateIssues: RowIssue[];
}

/** counts[indicator] / target × 100 with one decimal; null without a positive target. */
export function percentOf(count: number, target: number | null): number | null {
  if (target === null || target <= 0) return null;
  return roundTo((count / target) * 100, 1);
}

/** Parents and children in tree order: roots and siblings by Vietnamese collation of their names. */
export interface UnitTree {
  roots: Unit[];
  children: Map<string, Unit[]>;
  /** Every unit in depth-first tree order with its depth. */
  order: { unit: Unit; depth: number }[];
}

export function buildUnitTree(units: readonly Unit[]): UnitTree {
  const byId = new Map(units.map((u) => [u.id, u]));
  const byName = (a: Unit, b: Unit) => compareVi(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const children = new Map<string, Unit[]>();
  const roots: Unit[] = [];
  for (const u of units) {
    const parent = u.parent ? byId.get(u.parent) : undefined;
    if (parent && parent.id !== u.id) {
      const list = children.get(parent.id) ?? [];
      list.push(u);
      children.set(parent.id, list);
    } else roots.push(u);
  }
  roots.sort(byName);
  for (const list of children.values()) list.sort(byName);
  const order: { unit: Unit; depth: number }[] = [];
  const visit = (u: Unit, depth: number) => {
    order.push({ unit: u, depth });
    for (const child of children.get(u.id) ?? []) visit(child, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  if (order.length !== units.length) {
    const seen = new Set(order.map((o) => o.unit.id));
    const stuck = units.filter((u) => !seen.has(u.id)).map((u) => u.id);
    throw new DondocError(
      "unit-tree-cycle",
      `Danh sách đơn vị có vòng lặp đơn vị cấp trên: ${stuck.join(", ")}.`,
      { units: stuck },
    );
  }
  return { roots, children, order };
}

interface UnitFigures {
  counts: Counts;
  periodCounts: Counts;
  target: number | null;
}

interface Snapshot {
  /** Cumulative counts at the instant (entered ≤ it). */
  atMs: number;
  /** Start of the period whose additions the "period" measure ranks. */
  periodStartMs: number;
  at: DateTime;
}

/** Figures per unit (own entries plus descendants') at one instant. */
function figuresAt(
  c: Campaign,
  tree: UnitTree,
  ledgers: Map<string, UnitLedger>,
  snap: Snapshot,
): Map<string, UnitFigures> {
  const out = new Map<string, UnitFigures>();
  const visit = (u: Unit): UnitFigures => {
    const ledger = ledgers.get(u.id);
    let counts = countsAt(c, ledger, snap.atMs);
    let periodCounts = countsAddedBetween(c, ledger, snap.periodStartMs, snap.atMs);
    const own = unitTarget(c, u, snap.at);
    let childTargets: number | null = null;
    for (const child of tree.children.get(u.id) ?? []) {
      const f = visit(child);
      counts = addCounts(counts, f.counts);
      periodCounts = addCounts(periodCounts, f.periodCounts);
      if (f.target !== null) childTargets = (childTargets ?? 0) + f.target;
    }
    const figures = { counts, periodCounts, target: own ?? childTargets };
    out.set(u.id, figures);
    return figures;
  };
  for (const r of tree.roots) visit(r);
  return out;
}

function scoreOf(c: Campaign, f: UnitFigures): number {
  const key = c.ranking.indicator;
  switch (c.ranking.measure) {
    case "period":
      return f.periodCounts[key] ?? 0;
    case "cumulative":
      return f.counts[key] ?? 0;
    case "percent":
      return percentOf(f.counts[key] ?? 0, f.target) ?? 0;
  }
}

interface RankedUnit extends Rankable {
  unit: Unit;
}

/** Rank of every ranked unit within its kind, by the campaign's measure. */
function ranksAt(c: Campaign, rankedUnits: readonly Unit[], figures: Map<string, UnitFigures>) {
  const byKind = new Map<string, RankedUnit[]>();
  for (const u of rankedUnits) {
    const list = byKind.get(u.kind) ?? [];
    list.push({ id: u.id, name: u.name, score: scoreOf(c, figures.get(u.id)!), unit: u });
    byKind.set(u.kind, list);
  }
  const ranks = new Map<string, { rank: number; rankOf: number; score: number }>();
  const groups = new Map<string, Ranked<RankedUnit>[]>();
  for (const [kind, list] of byKind) {
    const ranked = rankWithin(list);
    groups.set(kind, ranked);
    for (const r of ranked) ranks.set(r.item.id, { rank: r.rank, rankOf: r.rankOf, score: r.item.score });
  }
  return { ranks, groups };
}

/** Units that stand in the ranking: leaves, and any unit with entries of its own (a ledger). */
export function reportingUnits(
  units: readonly Unit[],
  tree: UnitTree,
  ledgers: ReadonlyMap<string, UnitLedger>,
): Unit[] {
  return units.filter((u) => !tree.children.get(u.id)?.length || ledgers.has(u.id));
}

function kindOrder(c: Campaign): string[] {
  const ranked = c.ranking.kinds ?? [];
  return [...ranked, ...UnitKind.options.filter((k) => !ranked.includes(k))];
}

function isRankedKind(c: Campaign, kind: string): boolean {
  const kinds = c.ranking.kinds;
  return !kinds || kinds.length === 0 || kinds.includes(kind);
}

/**
 * Issues by unit name (Vietnamese collation), unit id, row, column, code. A province has tens of thousands of
 * issues but only its units' names, so names are collated once into ranks (equal names, equal rank) instead of
 * once per comparison.
 */
function compareIssues(name: (id: string) => string, issues: readonly RowIssue[]) {
  const ids = [...new Set(issues.map((i) => i.unitId))].sort((a, b) => compareVi(name(a), name(b)));
  const nameRank = new Map<string, number>();
  ids.forEach((id, i) => {
    const previous = ids[i - 1];
    const rank =
      previous !== undefined && compareVi(name(previous), name(id)) === 0 ? nameRank.get(previous)! : i;
    nameRank.set(id, rank);
  });
  return (a: RowIssue, b: RowIssue) =>
    nameRank.get(a.unitId)! - nameRank.get(b.unitId)! ||
    (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0) ||
    a.row - b.row ||
    a.column.length - b.column.length ||
    (a.column < b.column ? -1 : a.column > b.column ? 1 : 0) ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

export function computeStandings(input: StandingsInput): StandingsResult {
  const { campaign: c, units, asOf } = input;
  const zone = campaignZone(c);
  const asOfDt = DateTime.fromJSDate(asOf, { zone });
  const asOfMs = asOfDt.toMillis();
  const unitsById = new Map(units.map((u) => [u.id, u]));
  const name = (id: string) => unitsById.get(id)?.name ?? id;
  const tree = buildUnitTree(units);
  const table = new EntryTable(input.entries, input.lineList ?? []);

  // Campaigns that count a citizen once per unit (dedupeAcrossUnits: false) skip the cross-unit dedupe entirely.
  const {
    counted,
    duplicates,
    issues: duplicateIssues,
  } = c.dedupeAcrossUnits ? dedupeVerdicts(table, name) : { counted: undefined, duplicates: [], issues: [] };
  // One ledger per unit counts what the dedupe kept and still sees every entry, for "reported" and "late".
  const ledgers = buildLedgers(c, table, counted);

  // Before the campaign opens there is no current period; the first one is what everybody is working toward.
  const period: Period = currentPeriod(c, asOfDt) ?? periodByIndex(c, 0)!;
  const periodStartMs = Date.parse(period.start);
  const figures = figuresAt(c, tree, ledgers, { atMs: asOfMs, periodStartMs, at: asOfDt });

  const reporting = reportingUnits(units, tree, ledgers);
  const { ranks, groups } = ranksAt(c, reporting, figures);

  // Trend compares with the ranking as it stood when the previous period closed.
  const previous = period.index > 0 ? periodByIndex(c, period.index - 1)! : null;
  const previousRanks = previous
    ? ranksAt(
        c,
        reporting,
        figuresAt(c, tree, ledgers, {
          atMs: periodStartMs - 1,
          periodStartMs: Date.parse(previous.start),
          at: DateTime.fromMillis(periodStartMs - 1, { zone }),
        }),
      ).ranks
    : null;

  const pace = roundTo(elapsedShare(c, asOfDt) * 100, 1);
  const key = c.ranking.indicator;
  const percentFor = (f: UnitFigures) => percentOf(f.counts[key] ?? 0, f.target);

  const bands = new Map<string, Band>();
  for (const [kind, ranked] of groups) {
    const candidates = ranked.map((r) => {
      const f = figures.get(r.item.id)!;
      return { id: r.item.id, score: r.item.score, target: f.target, percent: percentFor(f) };
    });
    // Ranked by percent, a unit without a target has no percent to judge: a missing household or staff figure
    // is a gap in units.csv, not a reason to criticise the unit, so it stays out of praise and criticism.
    const judged =
      c.ranking.measure === "percent"
        ? candidates.filter((x) => x.target !== null && x.target > 0)
        : candidates;
    for (const [id, band] of assignBands(judged, c.bands, pace, isRankedKind(c, kind))) bands.set(id, band);
  }

  const allIssues = [...input.issues, ...duplicateIssues];
  const issueCounts = new Map<string, { errors: number; warnings: number }>();
  for (const i of allIssues) {
    const n = issueCounts.get(i.unitId) ?? { errors: 0, warnings: 0 };
    if (i.severity === "error") n.errors += 1;
    else n.warnings += 1;
    issueCounts.set(i.unitId, n);
  }
  const duplicateCounts = new Map<string, number>();
  for (const d of duplicates)
    duplicateCounts.set(d.entry.unitId, (duplicateCounts.get(d.entry.unitId) ?? 0) + 1);
  const states = new Map(input.unitStates.map((s) => [s.unitId, s]));

  const reportedIn = (u: Unit) =>
    enteredBetween(ledgers.get(u.id), periodStartMs, asOfMs) ||
    (states.get(u.id)?.confirmedPeriods.includes(period.index) ?? false);

  const standingOf = (u: Unit): UnitStanding => {
    const f = figures.get(u.id)!;
    const r = ranks.get(u.id)!;
    const previousRank = previousRanks?.get(u.id)?.rank ?? null;
    const issueCount = issueCounts.get(u.id) ?? { errors: 0, warnings: 0 };
    return {
      id: u.id,
      name: u.name,
      kind: u.kind,
      parent: u.parent && unitsById.has(u.parent) ? u.parent : null,
      counts: f.counts,
      periodCounts: f.periodCounts,
      target: f.target,
      percent: percentFor(f),
      pace,
      score: r.score,
      rank: r.rank,
      rankOf: r.rankOf,
      band: bands.get(u.id) ?? "on-track",
      trend: trendOf(r.rank, previousRank),
      previousRank,
      reported: reportedIn(u),
      late: lateCount(ledgers.get(u.id), asOfMs),
      errors: issueCount.errors,
      warnings: issueCount.warnings,
      duplicates: duplicateCounts.get(u.id) ?? 0,
      syncProblem: states.get(u.id)?.problem?.message ?? null,
    };
  };

  const kinds = kindOrder(c);
  const standingUnits: UnitStanding[] = [];
  for (const kind of kinds) {
    for (const r of groups.get(kind) ?? []) standingUnits.push(standingOf(r.item.unit));
  }

  const rollup: RollupRow[] = tree.order.map(({ unit, depth }) => {
    const f = figures.get(unit.id)!;
    return {
      id: unit.id,
      name: unit.name,
      kind: unit.kind,
      depth,
      counts: f.counts,
      target: f.target,
      percent: percentFor(f),
    };
  });

  // Roots' figures already include their descendants, so summing roots counts every entry once.
  let totalCounts = zeroCounts(c);
  let totalPeriod = zeroCounts(c);
  let totalTarget: number | null = null;
  for (const r of tree.roots) {
    const f = figures.get(r.id)!;
    totalCounts = addCounts(totalCounts, f.counts);
    totalPeriod = addCounts(totalPeriod, f.periodCounts);
    if (f.target !== null) totalTarget = (totalTarget ?? 0) + f.target;
  }

  const standings: Standings = {
    campaignId: c.id,
    title: c.title,
    asOf: asOfDt.toISO()!,
    asOfDate: asOfDt.toISODate()!,
    period,
    ranking: { indicator: c.ranking.indicator, measure: c.ranking.measure },
    indicators: c.indicators.map((i) => ({ key: i.key, label: i.label })),
    totals: {
      counts: totalCounts,
      periodCounts: totalPeriod,
      target: totalTarget,
      percent: percentOf(totalCounts[key] ?? 0, totalTarget),
      pace,
      units: standingUnits.length,
      reported: standingUnits.filter((u) => u.reported).length,
    },
    units: standingUnits,
    rollup,
    issues: allIssues
      .map((i) => ({ ...i, message: maskDigitRuns(i.message) }))
      .sort(compareIssues(name, allIssues)),
  };
  return { standings, duplicateIssues };
}
