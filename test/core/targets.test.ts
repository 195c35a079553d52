import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { percentForYear, unitTarget } from "../../functions/src/core/targets.ts";
import { Campaign, type CampaignInput, Unit, type UnitInput } from "../../schemas/index.ts";

function campaign(target: CampaignInput["target"]): Campaign {
  return Campaign.parse({
    id: "t",
    title: "T",
    issuer: "UBND huyện Vĩnh Lộc",
    start: "2024-01-01",
    end: "2025-12-31",
    schedule: { kind: "monthly", days: [20], time: "16:00" },
    mode: "aggregate",
    indicators: [{ key: "signature", label: "Chữ ký số" }],
    ranking: { indicator: "signature", measure: "percent" },
    bands: { praise: 1, criticise: 1 },
    target,
  } satisfies CampaignInput);
}
const unit = (fields: Partial<UnitInput>) =>
  Unit.parse({ id: "u", name: "Xã Vĩnh Hưng", kind: "commune", ...fields });
const at = (iso: string) => DateTime.fromISO(iso, { zone: "Asia/Ho_Chi_Minh" });

describe("unitTarget", () => {
  it.each<[string, CampaignInput["target"], Partial<UnitInput>, string, number | null]>([
    ["explicit", { rule: "explicit" }, { target: 280 }, "2024-11-01", 280],
    ["explicit without a target", { rule: "explicit" }, {}, "2024-11-01", null],
    ["per staff (seed 001: 15 each)", { rule: "per-staff", perStaff: 15 }, { staff: 12 }, "2025-08-01", 180],
    ["per staff without staff", { rule: "per-staff", perStaff: 15 }, {}, "2025-08-01", null],
    ["per household (seed 003)", { rule: "per-household" }, { households: 4321 }, "2023-07-01", 4321],
    ["two per household", { rule: "per-household", perHousehold: 2 }, { households: 10 }, "2023-07-01", 20],
    ["per household without households", { rule: "per-household" }, { staff: 3 }, "2023-07-01", null],
    [
      "40% of adults in 2024 (seed 004)",
      { rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } },
      { adults: 10001 },
      "2024-06-20",
      4000,
    ],
    [
      "50% of adults in 2025",
      { rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } },
      { adults: 10001 },
      "2025-06-20",
      5001,
    ],
    [
      "a later year without its own figure keeps the nearest earlier one",
      { rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } },
      { adults: 1000 },
      "2027-01-01",
      500,
    ],
    [
      "before every listed year falls back to the flat percent",
      { rule: "percent-of-adults", percent: 30, percentByYear: { "2024": 40 } },
      { adults: 1000 },
      "2023-12-31",
      300,
    ],
    [
      "before every listed year without a flat percent has no target",
      { rule: "percent-of-adults", percentByYear: { "2024": 40 } },
      { adults: 1000 },
      "2023-12-31",
      null,
    ],
    ["percent of adults without adults", { rule: "percent-of-adults", percent: 40 }, {}, "2024-06-01", null],
  ])("%s", (_, rule, fields, when, expected) => {
    expect(unitTarget(campaign(rule), unit(fields), at(when))).toBe(expected);
  });

  it("takes the year in the campaign's zone (New Year's Eve 17:30 UTC is already 2025 in Hà Nội)", () => {
    const c = campaign({ rule: "percent-of-adults", percentByYear: { "2024": 40, "2025": 50 } });
    const instant = DateTime.fromISO("2024-12-31T17:30:00Z", { zone: "UTC" });
    expect(unitTarget(c, unit({ adults: 100 }), instant)).toBe(50);
  });
});

describe("percentForYear", () => {
  it.each([
    [{ "2024": 40, "2026": 60 }, undefined, 2025, 40],
    [{ "2024": 40, "2026": 60 }, undefined, 2026, 60],
    [undefined, 35, 2025, 35],
    [undefined, undefined, 2025, null],
  ] as const)("%j / %s in %d → %s", (byYear, flat, year, expected) => {
    expect(percentForYear(byYear, flat, year)).toBe(expected);
  });
});
