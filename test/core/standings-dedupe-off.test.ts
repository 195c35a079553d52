// A campaign that counts a citizen once per unit (dedupeAcrossUnits: false) leaves every unit's rows whole.
import { describe, expect, it } from "vitest";
import type { LineListEntry } from "../../functions/src/core/model.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import type { Unit } from "../../schemas/index.ts";
import { choDonCampaign } from "../support/campaigns.ts";

const units: Unit[] = [
  { id: "cho-don", name: "Xã Chợ Đồn", kind: "commune", emails: [] },
  { id: "na-pau", name: "Thôn Nà Pậu", kind: "village", parent: "cho-don", staff: 2, emails: [] },
  { id: "ban-cuon", name: "Thôn Bản Cuôn", kind: "village", parent: "cho-don", staff: 2, emails: [] },
];

function entry(unitId: string, row: number, enteredAt: string): LineListEntry {
  return {
    mode: "line-list",
    key: `${unitId}~same-citizen`,
    unitId,
    row,
    enteredAt,
    firstSeenAt: enteredAt,
    idHash: "same-citizen",
    idMasked: "006*******12",
    date: enteredAt.slice(0, 10),
    supporter: "Cán bộ",
    residence: "",
    indicators: { vneid: true, signature: true },
    provider: null,
  };
}

describe("computeStandings and cross-unit dedupe", () => {
  const entries = [
    entry("na-pau", 2, "2025-07-29T09:00:00+07:00"),
    entry("ban-cuon", 3, "2025-07-30T09:00:00+07:00"),
  ];
  const asOf = new Date("2025-08-01T03:00:00Z");

  it.each([
    [true, 1, 1],
    [false, 2, 0],
  ])("dedupeAcrossUnits %s: total %i, duplicates %i", (dedupeAcrossUnits, total, dupes) => {
    const campaign = choDonCampaign({ dedupeAcrossUnits });
    const { standings, duplicateIssues } = computeStandings({
      campaign,
      units,
      entries,
      unitStates: [],
      issues: [],
      asOf,
    });
    expect(standings.totals.counts.signature).toBe(total);
    expect(duplicateIssues).toHaveLength(dupes);
  });
});
