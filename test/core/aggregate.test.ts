import { describe, expect, it } from "vitest";
import {
  buildLedgers,
  countsAddedBetween,
  countsAt,
  deadlineFor,
  enteredBetween,
  isLate,
  lateCount,
  latestReport,
  subtractCounts,
} from "../../functions/src/core/aggregate.ts";
import type { AggregateEntry, LineListEntry } from "../../functions/src/core/model.ts";
import { choDonCampaign } from "../support/campaigns.ts";

const c = choDonCampaign({
  mode: "aggregate",
  ranking: { indicator: "signature", measure: "cumulative" },
  target: { rule: "explicit" },
});

const ms = (iso: string) => Date.parse(iso);

function report(
  reportDate: string,
  enteredAt: string | null,
  vneid: number,
  signature: number,
): AggregateEntry {
  return {
    mode: "aggregate",
    key: `u~${reportDate}`,
    unitId: "u",
    row: 2,
    enteredAt,
    firstSeenAt: enteredAt ?? "2025-08-10T00:00:00+07:00",
    reportDate,
    counts: { vneid, signature },
    reporter: "",
    note: "",
  };
}
function citizen(
  id: string,
  date: string,
  enteredAt: string,
  indicators: Record<string, boolean>,
): LineListEntry {
  return {
    mode: "line-list",
    key: `u~${id}`,
    unitId: "u",
    row: 2,
    enteredAt,
    firstSeenAt: enteredAt,
    idHash: id,
    idMasked: "001*******89",
    date,
    supporter: "",
    residence: "",
    indicators,
    provider: null,
  };
}

describe("lateness: work of day D is due by the first cutoff once D is over", () => {
  it.each([
    ["2025-07-30", "2025-07-31T14:00:00.000+07:00"],
    ["2025-07-31", "2025-08-04T14:00:00.000+07:00"],
    ["2025-07-27", "2025-07-31T14:00:00.000+07:00"],
    ["2025-08-18", "2025-08-19T00:00:00.000+07:00"],
    ["2025-08-19", null],
  ])("work on %s is due %s", (day, due) => {
    expect(deadlineFor(c, day)?.toISO() ?? null).toBe(due);
  });

  it.each([
    ["2025-07-30", "2025-07-31T13:59:59.999+07:00", false],
    ["2025-07-30", "2025-07-31T14:00:00.000+07:00", true],
    ["2025-07-30", "2025-07-31T07:00:00.000Z", true],
    ["2025-07-31", "2025-07-31T20:00:00+07:00", false],
    ["2025-08-18", "2025-08-18T23:59:00+07:00", false],
    ["2025-08-18", "2025-08-19T08:00:00+07:00", true],
  ])("work on %s entered %s late: %s", (day, entered, late) => {
    expect(isLate(c, citizen("x", day, entered, {}))).toBe(late);
    expect(isLate(c, report(day, entered, 0, 0))).toBe(late);
  });
});

describe("cumulative reports", () => {
  const ledger = buildLedgers(c, [
    report("2025-08-04", "2025-08-04T09:00:00+07:00", 50, 20),
    report("2025-07-31", "2025-07-31T09:00:00+07:00", 30, 10),
    // A report for an earlier day typed in later does not replace the newer figure.
    report("2025-07-29", "2025-08-05T09:00:00+07:00", 5, 1),
    // The figure went down: period additions never go negative.
    report("2025-08-07", "2025-08-07T09:00:00+07:00", 45, 25),
  ]).get("u")!;

  it.each([
    ["2025-07-31T08:59:59+07:00", { vneid: 0, signature: 0 }],
    ["2025-07-31T09:00:00+07:00", { vneid: 30, signature: 10 }],
    ["2025-08-05T12:00:00+07:00", { vneid: 50, signature: 20 }],
    ["2025-08-07T12:00:00+07:00", { vneid: 45, signature: 25 }],
  ])("at %s the latest report says %j", (at, counts) => {
    expect(countsAt(c, ledger, ms(at))).toEqual(counts);
  });

  it("period additions are differences of cumulative figures, floored at zero", () => {
    expect(
      countsAddedBetween(c, ledger, ms("2025-08-04T14:00:00+07:00"), ms("2025-08-07T13:00:00+07:00")),
    ).toEqual({ vneid: 0, signature: 5 });
    expect(latestReport(ledger, ms("2025-08-06T00:00:00+07:00"))?.reportDate).toBe("2025-08-04");
    expect(subtractCounts({ a: 3, b: 1 }, { a: 1, b: 4 })).toEqual({ a: 2, b: 0 });
  });
});

describe("line-list counts", () => {
  const ledgers = buildLedgers(c, [
    citizen("a", "2025-07-29", "2025-07-29T10:00:00+07:00", { vneid: true, signature: true }),
    citizen("b", "2025-07-30", "2025-07-31T14:00:00+07:00", { vneid: true, signature: false }),
    citizen("c", "2025-08-01", "2025-08-01T10:00:00+07:00", { vneid: false, signature: true }),
  ]);
  const l = ledgers.get("u");

  it.each([
    ["2025-07-29T09:59:59+07:00", { vneid: 0, signature: 0 }],
    ["2025-07-29T10:00:00+07:00", { vneid: 1, signature: 1 }],
    ["2025-07-31T14:00:00+07:00", { vneid: 2, signature: 1 }],
    ["2025-08-02T00:00:00+07:00", { vneid: 2, signature: 2 }],
  ])("at %s: %j", (at, counts) => {
    expect(countsAt(c, l, ms(at))).toEqual(counts);
  });

  it("knows who entered what in a period and what was late", () => {
    const p1 = [ms("2025-07-31T14:00:00+07:00"), ms("2025-08-04T13:59:59.999+07:00")] as const;
    expect(countsAddedBetween(c, l, ...p1)).toEqual({ vneid: 1, signature: 1 });
    expect(enteredBetween(l, ...p1)).toBe(true);
    expect(enteredBetween(l, ms("2025-08-04T14:00:00+07:00"), ms("2025-08-05T00:00:00+07:00"))).toBe(false);
    expect(lateCount(l, ms("2025-08-10T00:00:00+07:00"))).toBe(1);
    expect(lateCount(l, ms("2025-07-31T13:00:00+07:00"))).toBe(0);
    expect(countsAt(c, ledgers.get("nobody"), ms("2025-08-10T00:00:00+07:00"))).toEqual({
      vneid: 0,
      signature: 0,
    });
  });

  it("refuses an entry whose time cannot be read", () => {
    expect(() => buildLedgers(c, [citizen("z", "2025-07-29", "not a time", {})])).toThrow(/không hợp lệ/);
  });
});
