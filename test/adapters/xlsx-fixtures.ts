// Campaigns and units for the .xlsx adapter tests, shaped after seed 001 (Chợ Đồn, line-list) and seed 000
// (aggregate counts per ward).
import { Campaign, type CampaignInput, Unit } from "../../schemas/index.ts";

const base = {
  issuer: "UBND xã Chợ Đồn",
  reference: "Kế hoạch số 08/KH-UBND ngày 21/7/2025",
  start: "2025-07-28",
  end: "2025-08-18",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
  indicators: [
    { key: "vneid2", label: "VNeID mức 2", short: "VNeID" },
    { key: "health", label: "Sổ sức khỏe điện tử", short: "SKĐT" },
    { key: "signature", label: "Chữ ký số công cộng", short: "CKS" },
  ],
  ranking: { indicator: "signature", measure: "percent" },
  bands: { praise: 1, criticise: 1 },
  target: { rule: "per-staff", perStaff: 15 },
} satisfies Partial<CampaignInput>;

export const lineListCampaign: Campaign = Campaign.parse({
  ...base,
  id: "cho-don",
  title: "Chiến dịch 1 người hỗ trợ 15 người",
  mode: "line-list",
});

export const aggregateCampaign: Campaign = Campaign.parse({
  ...base,
  id: "cho-don-tong-hop",
  title: "Báo cáo số liệu chữ ký số",
  mode: "aggregate",
});

export const unit: Unit = Unit.parse({
  id: "thon-na-tum",
  name: "Thôn Nà Tùm",
  kind: "village",
  staff: 4,
  emails: ["natum@example.vn"],
});

export const otherUnit: Unit = Unit.parse({ id: "truong-thcs", name: "Trường THCS Chợ Đồn", kind: "school" });
