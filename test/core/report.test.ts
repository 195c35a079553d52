import { describe, expect, it } from "vitest";
import { draftReport, issuerLevel, nameMidSentence, reportWording } from "../../functions/src/core/report.ts";
import { Campaign, type CampaignInput, type Standings, type UnitStanding } from "../../schemas/index.ts";

function campaign(over: Partial<CampaignInput> = {}): Campaign {
  return Campaign.parse({
    id: "quang-chau",
    title: "Kích hoạt chữ ký số",
    issuer: "UBND phường Quảng Châu",
    start: "2024-11-01",
    end: "2024-11-25",
    schedule: { kind: "weekly", weekdays: [1], time: "14:00" },
    mode: "aggregate",
    indicators: [{ key: "signature", label: "Kích hoạt chữ ký số" }],
    ranking: { indicator: "signature", measure: "cumulative" },
    bands: { praise: 1, criticise: 1 },
    target: { rule: "explicit" },
    ...over,
  } satisfies CampaignInput);
}

function unit(id: string, name: string, over: Partial<UnitStanding> = {}): UnitStanding {
  return {
    id,
    name,
    kind: "association",
    parent: null,
    counts: { signature: 0 },
    periodCounts: { signature: 0 },
    target: 280,
    percent: 0,
    pace: 50,
    score: 0,
    rank: 1,
    rankOf: 3,
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

function standings(units: UnitStanding[], over: Partial<Standings> = {}): Standings {
  return {
    campaignId: "quang-chau",
    title: "Kích hoạt chữ ký số",
    asOf: "2024-11-18T14:00:00.000+07:00",
    asOfDate: "2024-11-18",
    period: { index: 2, start: "2024-11-18T14:00:00.000+07:00", end: "2024-11-25T14:00:00.000+07:00" },
    ranking: { indicator: "signature", measure: "cumulative" },
    indicators: [{ key: "signature", label: "Kích hoạt chữ ký số" }],
    totals: {
      counts: { signature: 367 },
      periodCounts: { signature: 0 },
      target: 1467,
      percent: 25,
      pace: 70,
      units: units.length,
      reported: units.filter((u) => u.reported).length,
    },
    units,
    rollup: [],
    issues: [],
    ...over,
  };
}

describe("wording derived from the issuer", () => {
  it.each([
    ["UBND thành phố Từ Sơn", "thành phố"],
    ["Ủy ban nhân dân xã Chợ Đồn", "xã"],
    ["UBND phường Quảng Châu", "phường"],
    ["UBND quận Hai Bà Trưng", "quận"],
    ["UBND huyện Vĩnh Lộc", "huyện"],
    ["UBND thị xã Sơn Tây", "thị xã"],
    ["UBND Thị trấn Bằng Lũng", "thị trấn"],
    ["Sở Thông tin và Truyền thông", null],
  ])("%s → %s", (issuer, level) => {
    expect(issuerLevel(issuer)).toBe(level);
  });

  it("builds the letters' phrases", () => {
    expect(reportWording(campaign({ issuer: "UBND quận Hai Bà Trưng" }))).toEqual({
      scope: "toàn quận",
      praiseBy: "UBND quận",
      criticiseBy: "Chủ tịch UBND quận",
      unitNoun: "trường hợp",
    });
    expect(reportWording(campaign({ issuer: "Sở Thông tin và Truyền thông" })).criticiseBy).toBe(
      "Chủ tịch Sở Thông tin và Truyền thông",
    );
    const explicit = {
      scope: "toàn phường",
      praiseBy: "Đảng ủy phường",
      criticiseBy: "Chủ tịch phường",
      unitNoun: "người",
    };
    expect(reportWording(campaign({ report: explicit }))).toEqual(explicit);
  });
});

describe("nameMidSentence", () => {
  it.each([
    ["Phường Đình Bảng", "phường Đình Bảng"],
    ["Xã Vĩnh Hưng", "xã Vĩnh Hưng"],
    ["Thị trấn Vĩnh Lộc", "thị trấn Vĩnh Lộc"],
    ["Thôn Nà Pậu", "thôn Nà Pậu"],
    ["Tổ dân phố số 3", "tổ dân phố số 3"],
    ["Trường Tiểu học Chợ Đồn", "trường Tiểu học Chợ Đồn"],
    ["Hội Liên hiệp Phụ nữ phường", "Hội Liên hiệp Phụ nữ phường"],
    ["Công an xã", "Công an xã"],
    ["Xã", "Xã"],
    ["Phường Đình Bảng".normalize("NFD"), "phường Đình Bảng"],
  ])("%s → %s", (name, out) => {
    expect(nameMidSentence(name)).toBe(out);
  });
});

describe("draftReport", () => {
  it("reports cumulative figures against the target, the bands and who is silent (seed 002's style)", () => {
    const s = standings([
      unit("hoi-pn", "Hội Liên hiệp Phụ nữ phường", { band: "praise", score: 190, percent: 67.9 }),
      unit("doan-tn", "Đoàn Thanh niên phường", { score: 120, percent: 42.9, reported: false }),
      unit("hoi-nd", "Hội Nông dân phường", { band: "criticise", score: 57, percent: 20.4, reported: false }),
    ]);
    expect(draftReport(campaign(), s)).toBe(
      "Tính đến 14h00 ngày 18/11/2024, toàn phường đã thực hiện kích hoạt chữ ký số cho 367 người dân. " +
        "Lũy kế, toàn phường đạt 25,0% chỉ tiêu (367/1.467 người), còn thiếu 1.100 người. " +
        "UBND phường biểu dương các đơn vị tiêu biểu như Hội Liên hiệp Phụ nữ phường (190 trường hợp). " +
        "Bên cạnh đó, Chủ tịch UBND phường phê bình một số đơn vị triển khai chưa hiệu quả như Hội Nông dân phường (57 trường hợp). " +
        "Còn 2 đơn vị chưa báo cáo kết quả trong kỳ: Đoàn Thanh niên phường, Hội Nông dân phường.",
    );
  });

  it("names percent figures for the percent measure and a reached target", () => {
    const s = standings(
      [
        unit("a", "Xã Vĩnh Hưng", { kind: "commune", band: "praise", score: 52.5, percent: 52.5 }),
        unit("b", "Xã Vĩnh Tân", {
          kind: "commune",
          band: "criticise",
          score: 0,
          percent: null,
          target: null,
        }),
      ],
      {
        ranking: { indicator: "signature", measure: "percent" },
        totals: {
          counts: { signature: 2100 },
          periodCounts: { signature: 0 },
          target: 2000,
          percent: 105,
          pace: 70,
          units: 2,
          reported: 2,
        },
      },
    );
    const text = draftReport(campaign({ issuer: "UBND huyện Vĩnh Lộc" }), s);
    expect(text).toContain("xã Vĩnh Hưng (đạt 52,5% chỉ tiêu)");
    expect(text).toContain("xã Vĩnh Tân (chưa có chỉ tiêu)");
    expect(text).toContain("Lũy kế, toàn huyện đã hoàn thành chỉ tiêu (2.100/2.000 người, đạt 105,0%).");
    expect(text).toContain("Bên cạnh đó, Chủ tịch UBND huyện phê bình");
  });

  it("describes a period in progress up to the as-of time and a later period from its cutoff", () => {
    const s = standings([unit("a", "Phường Đình Bảng", { kind: "ward" })], {
      asOf: "2025-02-27T09:30:00.000+07:00",
      period: { index: 1, start: "2025-02-23T16:00:00.000+07:00", end: "2025-03-02T16:00:00.000+07:00" },
      ranking: { indicator: "signature", measure: "period" },
      totals: {
        counts: { signature: 25000 },
        periodCounts: { signature: 1234 },
        target: null,
        percent: null,
        pace: 70,
        units: 1,
        reported: 1,
      },
    });
    expect(draftReport(campaign({ issuer: "UBND thành phố Từ Sơn" }), s)).toBe(
      "Từ 16h00 ngày 23/02/2025 đến 09h30 ngày 27/02/2025, toàn thành phố đã thực hiện kích hoạt chữ ký số cho 1.234 người dân.",
    );
  });

  it("names at most ten silent units", () => {
    const units = Array.from({ length: 13 }, (_, i) =>
      unit(`t${i}`, `Tổ dân phố số ${i + 1}`, { reported: false }),
    );
    const text = draftReport(
      campaign(),
      standings(units, { totals: { ...standings([]).totals, target: null } }),
    );
    expect(text).toContain("Còn 13 đơn vị chưa báo cáo kết quả trong kỳ: tổ dân phố số 1,");
    expect(text).toContain("tổ dân phố số 10 và 3 đơn vị khác.");
    expect(text).not.toContain("số 11");
  });

  it("keeps an acronym label as written", () => {
    const s = standings([], {
      indicators: [{ key: "signature", label: "VNeID mức độ 2" }],
      totals: { ...standings([]).totals, target: null },
    });
    expect(draftReport(campaign(), s)).toContain("đã thực hiện VNeID mức độ 2 cho 367 người dân.");
  });
});
