// The campaign most tests use: seed 001's Chợ Đồn (line-list, Monday/Thursday 14:00, 28/07–18/08/2025,
// 15 people per official), with whatever a test needs to differ given as overrides.
import { Campaign, type CampaignInput, type Standings, type UnitStanding } from "../../schemas/index.ts";

export const CHO_DON_INPUT = {
  id: "cho-don",
  title: "Chiến dịch 1 người hỗ trợ 15 người",
  issuer: "UBND xã Chợ Đồn",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  mode: "line-list",
  indicators: [
    { key: "vneid", label: "VNeID mức độ 2" },
    { key: "signature", label: "Chữ ký số công cộng" },
  ],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 1, criticise: 1 },
  target: { rule: "per-staff", perStaff: 15 },
} satisfies CampaignInput;

export function choDonCampaign(over: Partial<CampaignInput> = {}): Campaign {
  return Campaign.parse({ ...CHO_DON_INPUT, ...over });
}

/** A village's standing in that campaign, all zeros and on track unless a test says otherwise. */
export function villageStanding(id: string, name: string, over: Partial<UnitStanding> = {}): UnitStanding {
  return {
    id,
    name,
    kind: "village",
    parent: "cho-don",
    counts: { vneid: 0, signature: 0 },
    periodCounts: { vneid: 0, signature: 0 },
    target: 30,
    percent: 0,
    pace: 38.3,
    score: 0,
    rank: 1,
    rankOf: 2,
    band: "on-track",
    trend: "same",
    previousRank: 1,
    reported: true,
    late: 0,
    errors: 0,
    warnings: 0,
    duplicates: 0,
    syncProblem: null,
    ...over,
  };
}

/** Standings of that campaign just before Monday 04/08/2025 14:00 (period 1), with the parts a test sets. */
export function choDonStandings(own: Pick<Standings, "totals" | "units" | "rollup" | "issues">): Standings {
  const campaign = choDonCampaign();
  return {
    campaignId: "cho-don",
    title: campaign.title,
    asOf: "2025-08-04T13:59:59.999+07:00",
    asOfDate: "2025-08-04",
    period: { index: 1, start: "2025-07-31T14:00:00.000+07:00", end: "2025-08-04T14:00:00.000+07:00" },
    ranking: { indicator: "signature", measure: "percent" },
    indicators: campaign.indicators.map((i) => ({ key: i.key, label: i.label })),
    ...own,
  };
}
