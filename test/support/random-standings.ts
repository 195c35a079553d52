// Seeded random campaigns, units and entries for the standings' equivalence tests: both modes, duplicates across
// and within units, partly overlapping indicators, stamps before and after cutoffs, missing stamps, odd but valid
// ISO forms, ties.
import { DateTime } from "luxon";
import type { AggregateEntry, Entry, LineListEntry, UnitSyncState } from "../../functions/src/core/model.ts";
import type { StandingsInput } from "../../functions/src/core/standings.ts";
import { Campaign, type CampaignInput, type RowIssue, Unit } from "../../schemas/index.ts";
import { prng } from "./seeded-text.ts";

export const ZONE = "Asia/Ho_Chi_Minh";
export const DAY = 86_400_000;

export function rng(seed: number) {
  const next = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof rng>;

const INDICATORS = ["vneid", "signature", "healthBook"];

function randomCampaign(r: Rng, mode: "line-list" | "aggregate"): Campaign {
  const start = DateTime.fromISO("2025-07-28", { zone: ZONE }).plus({ days: r.int(-3, 3) });
  const end = start.plus({ days: r.int(1, 40) });
  const keys = INDICATORS.slice(0, r.int(1, 3));
  const time = `${String(r.int(0, 23)).padStart(2, "0")}:${r.pick(["00", "30", "59"])}`;
  const input: CampaignInput = {
    id: "eq",
    title: "Chiến dịch thử",
    issuer: "UBND xã Thử",
    start: start.toISODate()!,
    end: end.toISODate()!,
    schedule: r.chance(0.7)
      ? { kind: "weekly", weekdays: [...new Set([r.int(1, 7), r.int(1, 7)])], time }
      : { kind: "monthly", days: [...new Set([r.int(1, 31), r.int(1, 31)])], time },
    mode,
    indicators: keys.map((key) => ({ key, label: `Chỉ tiêu ${key}` })),
    ranking: {
      indicator: r.pick(keys),
      measure: r.pick(["percent", "cumulative", "period"] as const),
      ...(r.chance(0.3) ? { kinds: r.chance(0.5) ? ["village"] : [] } : {}),
    },
    bands: { praise: r.int(0, 2), criticise: r.int(0, 2) },
    target: r.chance(0.5) ? { rule: "explicit" } : { rule: "per-staff", perStaff: r.int(1, 20) },
    dedupeAcrossUnits: r.chance(0.75),
  };
  return Campaign.parse(input);
}

function randomUnits(r: Rng): Unit[] {
  const units: Unit[] = [Unit.parse({ id: "root", name: "Xã Thử", kind: "commune" })];
  const n = r.int(1, 12);
  const names = ["Thôn Nà Pậu", "Thôn Bản Cuôn", "Trường Tiểu học", "Công an xã", "Thôn Khuổi Cuồng"];
  for (let i = 0; i < n; i++) {
    const parent = i > 2 && r.chance(0.3) ? `u${r.int(0, i - 1)}` : "root";
    units.push(
      Unit.parse({
        id: `u${i}`,
        // Same names on purpose now and then: ties in collation.
        name: r.chance(0.2) ? r.pick(names) : `${r.pick(names)} ${i}`,
        kind: r.pick(["village", "village", "school", "police"] as const),
        parent,
        ...(r.chance(0.8) ? { staff: r.int(0, 5) } : {}),
        ...(r.chance(0.8) ? { target: r.int(0, 60) } : {}),
      }),
    );
  }
  return units;
}

/** An instant written the ways stamps arrive: zoned with millis, UTC, without millis, minutes only, date only. */
function isoOf(r: Rng, ms: number): string {
  const dt = DateTime.fromMillis(ms, { zone: ZONE });
  switch (r.int(0, 9)) {
    case 0:
      return new Date(ms).toISOString();
    case 1:
      return dt.toISO({ suppressMilliseconds: true })!;
    case 2:
      return dt.toFormat("yyyy-MM-dd'T'HH:mmZZ");
    case 3:
      return dt.toISODate()!;
    case 4:
      return dt.setZone(r.pick(["UTC+5", "UTC-3", "UTC-9:30"])).toISO()!;
    default:
      return dt.toISO()!;
  }
}

function randomEntries(r: Rng, c: Campaign, units: Unit[]): Entry[] {
  const startMs = DateTime.fromISO(c.start, { zone: ZONE }).toMillis();
  const endMs = DateTime.fromISO(c.end, { zone: ZONE }).toMillis() + DAY;
  const unitIds = [...units.filter(() => r.chance(0.85)).map((u) => u.id), "stranger"];
  const total = r.int(0, 250);
  const pool = Math.max(2, Math.round(total * r.pick([0.2, 0.6, 1.5])));
  const tiePool = Array.from({ length: 8 }, () => r.int(startMs - 3 * DAY, endMs + 3 * DAY));
  const instant = () => (r.chance(0.25) ? r.pick(tiePool) : r.int(startMs - 3 * DAY, endMs + 3 * DAY));
  const keys = c.indicators.map((i) => i.key);
  const entries: Entry[] = [];
  const reportDates = new Set<string>();
  for (let i = 0; i < total; i++) {
    const unitId = r.pick(unitIds);
    const at = instant();
    const enteredAt = r.chance(0.15) ? null : isoOf(r, at);
    const firstSeenAt =
      enteredAt === null || r.chance(0.3) ? isoOf(r, r.chance(0.5) ? at : instant()) : enteredAt;
    const day = r.chance(0.05)
      ? r.pick(["2025-02-30", "2030-01-01", "2024-01-01"])
      : DateTime.fromMillis(at - r.int(0, 4) * DAY, { zone: ZONE }).toISODate()!;
    const row = r.int(2, 400);
    const aggregate = c.mode === "aggregate" ? !r.chance(0.05) : r.chance(0.03);
    if (aggregate) {
      const key = `${unitId}~${day}`;
      if (reportDates.has(key) && r.chance(0.5)) continue;
      reportDates.add(key);
      const counts: Record<string, number> = {};
      for (const k of keys) if (r.chance(0.9)) counts[k] = r.int(0, 500);
      if (r.chance(0.1)) counts.extra = 7;
      entries.push({
        mode: "aggregate",
        key,
        unitId,
        row,
        enteredAt,
        firstSeenAt,
        reportDate: day,
        counts,
        reporter: "Cán bộ",
        note: "",
      } satisfies AggregateEntry);
    } else {
      const idHash = `h${r.int(0, pool)}`;
      const indicators: Record<string, boolean> = {};
      for (const k of keys) if (r.chance(0.95)) indicators[k] = r.chance(0.6);
      if (r.chance(0.05)) indicators.retired = true;
      entries.push({
        mode: "line-list",
        key: `${unitId}~${idHash}`,
        unitId,
        row,
        enteredAt,
        firstSeenAt,
        idHash,
        idMasked: "001*******89",
        date: day,
        supporter: "Cán bộ",
        residence: "",
        indicators,
        provider: null,
      } satisfies LineListEntry);
    }
  }
  // The same entry object listed twice (a caller's bug, but the old code had an answer for it).
  for (let i = 0; i < entries.length; i += 1) if (r.chance(0.01)) entries.push(entries[i]!);
  return entries;
}

export function randomInput(seed: number): StandingsInput {
  const r = rng(seed);
  const campaign = randomCampaign(r, r.chance(0.65) ? "line-list" : "aggregate");
  const units = randomUnits(r);
  const entries = randomEntries(r, campaign, units);
  const startMs = DateTime.fromISO(campaign.start, { zone: ZONE }).toMillis();
  const endMs = DateTime.fromISO(campaign.end, { zone: ZONE }).toMillis() + DAY;
  const issues: RowIssue[] = Array.from({ length: r.int(0, 6) }, () => ({
    code: r.pick(["bad-id", "bad-date", "duplicate-row"]),
    severity: r.pick(["error", "warning"] as const),
    unitId: r.pick([...units.map((u) => u.id), "stranger"]),
    row: r.int(2, 50),
    column: r.pick(["", "A", "B", "AA"]),
    header: "",
    message: `Dòng có số 001234567890 và ${r.int(0, 9)}`,
  }));
  const unitStates: UnitSyncState[] = units
    .filter(() => r.chance(0.3))
    .map((u) => ({
      unitId: u.id,
      lastModified: null,
      lastSyncAt: null,
      issues: [],
      problem: r.chance(0.3) ? { code: "held", message: "Tạm giữ", at: "2025-08-01T00:00:00Z" } : null,
      confirmedPeriods: [r.int(0, 3)],
    }));
  // An unreadable instant now and then: what the old code made of it is kept too.
  const asOf = new Date(r.chance(0.02) ? Number.NaN : r.int(startMs - 5 * DAY, endMs + 5 * DAY));
  return { campaign, units, entries, unitStates, issues, asOf };
}

/** The result, or the error it throws, as comparable JSON. */
export function outcome(run: () => unknown): string {
  try {
    return JSON.stringify(run());
  } catch (e) {
    const err = e as Error & { code?: string; details?: unknown };
    return JSON.stringify({ threw: err.name, code: err.code, message: err.message, details: err.details });
  }
}
