import { DateTime, Settings } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  campaignEnd,
  campaignFinalInstant,
  campaignStart,
  closingInstant,
  currentPeriod,
  cutoffs,
  elapsedShare,
  firstCutoffAfter,
  lastClosedPeriod,
  nextCutoff,
  type PeriodCampaign,
  periodAt,
  periodByIndex,
  periods,
} from "../../functions/src/core/periods.ts";
import type { CutoffSchedule } from "../../schemas/index.ts";

const seed001: PeriodCampaign = {
  start: "2025-07-28",
  end: "2025-08-18",
  timezone: "Asia/Ho_Chi_Minh",
  schedule: { kind: "weekly", weekdays: [1, 4], time: "14:00" },
};
const seed003: PeriodCampaign = {
  start: "2023-06-12",
  end: "2023-08-15",
  timezone: "Asia/Ho_Chi_Minh",
  schedule: { kind: "monthly", days: [15, 28], time: "17:00" },
};
const seed004: PeriodCampaign = {
  start: "2024-01-01",
  end: "2024-12-31",
  schedule: { kind: "monthly", days: [20], time: "16:00" },
};

const iso = (list: DateTime[]) => list.map((d) => d.toISO());

const ZONES = [undefined, "UTC", "America/New_York", "Pacific/Kiritimati"];

describe.each(ZONES)("with the machine zone %s", (machineZone) => {
  const saved = { tz: process.env.TZ, zone: Settings.defaultZone };
  beforeEach(() => {
    if (machineZone) {
      process.env.TZ = machineZone;
      Settings.defaultZone = machineZone;
    }
  });
  afterEach(() => {
    if (saved.tz === undefined) delete process.env.TZ;
    else process.env.TZ = saved.tz;
    Settings.defaultZone = saved.zone;
  });

  it("seed 001: Monday and Thursday 14:00 from 28/07 to 18/08/2025", () => {
    expect(campaignStart(seed001).toISO()).toBe("2025-07-28T00:00:00.000+07:00");
    expect(campaignEnd(seed001).toISO()).toBe("2025-08-19T00:00:00.000+07:00");
    expect(iso(cutoffs(seed001))).toEqual([
      "2025-07-31T14:00:00.000+07:00",
      "2025-08-04T14:00:00.000+07:00",
      "2025-08-07T14:00:00.000+07:00",
      "2025-08-11T14:00:00.000+07:00",
      "2025-08-14T14:00:00.000+07:00",
      "2025-08-18T14:00:00.000+07:00",
      "2025-08-19T00:00:00.000+07:00",
    ]);
  });

  it.each([
    ["2025-08-04T13:59:59.999+07:00", 1],
    ["2025-08-04T14:00:00.000+07:00", 2],
    ["2025-08-04T06:59:59.000Z", 1],
    ["2025-08-04T07:00:00.000Z", 2],
    ["2025-08-04T02:59:59.000-04:00", 1],
    ["2025-08-04T03:00:00.000-04:00", 2],
    ["2025-07-28T00:00:00.000+07:00", 0],
    ["2025-07-28T14:00:00.000+07:00", 0],
    ["2025-07-31T13:59:59.000+07:00", 0],
    ["2025-07-31T14:00:00.000+07:00", 1],
    ["2025-08-18T13:59:59.000+07:00", 5],
    ["2025-08-18T14:00:00.000+07:00", 6],
    ["2025-08-18T23:59:59.999+07:00", 6],
  ])("%s is in period %d", (at, index) => {
    expect(periodAt(seed001, new Date(at))?.index).toBe(index);
    expect(periodAt(seed001, DateTime.fromISO(at, { setZone: true }))?.index).toBe(index);
  });

  it("13:59:59 and 14:00:00 on Monday ICT fall in different periods", () => {
    const before = periodAt(seed001, new Date("2025-08-04T13:59:59+07:00"));
    const after = periodAt(seed001, new Date("2025-08-04T14:00:00+07:00"));
    expect(before).toEqual({
      index: 1,
      start: "2025-07-31T14:00:00.000+07:00",
      end: "2025-08-04T14:00:00.000+07:00",
    });
    expect(after).toEqual({
      index: 2,
      start: "2025-08-04T14:00:00.000+07:00",
      end: "2025-08-07T14:00:00.000+07:00",
    });
  });

  it("has no period before the start or from the end on", () => {
    expect(periodAt(seed001, new Date("2025-07-27T23:59:59.999+07:00"))).toBeNull();
    expect(periodAt(seed001, new Date("2025-08-19T00:00:00+07:00"))).toBeNull();
  });

  it("seed 003: the 15th and 28th from 12/06 to 15/08/2023", () => {
    expect(iso(cutoffs(seed003))).toEqual([
      "2023-06-15T17:00:00.000+07:00",
      "2023-06-28T17:00:00.000+07:00",
      "2023-07-15T17:00:00.000+07:00",
      "2023-07-28T17:00:00.000+07:00",
      "2023-08-15T17:00:00.000+07:00",
      "2023-08-16T00:00:00.000+07:00",
    ]);
  });

  it("seed 004: the 20th of each month; the last period runs to the end of the year", () => {
    const list = iso(cutoffs(seed004));
    expect(list).toHaveLength(13);
    expect(list[0]).toBe("2024-01-20T16:00:00.000+07:00");
    expect(list[11]).toBe("2024-12-20T16:00:00.000+07:00");
    expect(list[12]).toBe("2025-01-01T00:00:00.000+07:00");
    expect(periodAt(seed004, new Date("2024-02-20T15:59:00+07:00"))?.index).toBe(1);
    expect(periodAt(seed004, new Date("2024-02-20T16:00:00+07:00"))?.index).toBe(2);
  });
});

describe("monthly days past a month's end", () => {
  it.each<[string, string, number[], string[]]>([
    [
      "2025-01-01",
      "2025-04-30",
      [31],
      [
        "2025-01-31T14:00:00.000+07:00",
        "2025-02-28T14:00:00.000+07:00",
        "2025-03-31T14:00:00.000+07:00",
        "2025-04-30T14:00:00.000+07:00",
        "2025-05-01T00:00:00.000+07:00",
      ],
    ],
    [
      "2024-02-01",
      "2024-02-29",
      [29, 30, 31],
      ["2024-02-29T14:00:00.000+07:00", "2024-03-01T00:00:00.000+07:00"],
    ],
    [
      "2025-04-01",
      "2025-04-30",
      [15, 30, 31],
      ["2025-04-15T14:00:00.000+07:00", "2025-04-30T14:00:00.000+07:00", "2025-05-01T00:00:00.000+07:00"],
    ],
  ])("%s → %s on days %j", (start, end, days, expected) => {
    const c: PeriodCampaign = { start, end, schedule: { kind: "monthly", days, time: "14:00" } };
    expect(iso(cutoffs(c))).toEqual(expected);
  });
});

describe("edge schedules", () => {
  it.each<[string, CutoffSchedule, string[]]>([
    [
      "a cutoff at 00:00 on the day after the end is the end itself, not doubled",
      { kind: "weekly", weekdays: [2], time: "00:00" },
      ["2025-08-12T00:00:00.000+07:00", "2025-08-19T00:00:00.000+07:00"],
    ],
    [
      "a schedule with no cutoff inside the campaign leaves one period",
      { kind: "monthly", days: [1], time: "08:00" },
      ["2025-08-19T00:00:00.000+07:00"],
    ],
  ])("%s", (_, schedule, expected) => {
    const c: PeriodCampaign = { start: "2025-08-05", end: "2025-08-18", schedule };
    expect(iso(cutoffs(c))).toEqual(expected);
  });

  it("rejects a campaign that ends before it starts", () => {
    expect(() =>
      cutoffs({
        start: "2025-08-05",
        end: "2025-08-01",
        schedule: { kind: "weekly", weekdays: [1], time: "14:00" },
      }),
    ).toThrow(/trước khi bắt đầu/);
  });
});

describe("first and last period, current period, pace and next cutoff", () => {
  it("lists periods edge to edge", () => {
    const list = periods(seed001);
    expect(list).toHaveLength(7);
    expect(list[0]).toEqual({
      index: 0,
      start: "2025-07-28T00:00:00.000+07:00",
      end: "2025-07-31T14:00:00.000+07:00",
    });
    expect(list.at(-1)).toEqual({
      index: 6,
      start: "2025-08-18T14:00:00.000+07:00",
      end: "2025-08-19T00:00:00.000+07:00",
    });
    for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBe(list[i - 1]!.end);
    expect(periodByIndex(seed001, 3)).toEqual(list[3]);
    expect(periodByIndex(seed001, 7)).toBeNull();
    expect(periodByIndex(seed001, -1)).toBeNull();
  });

  it.each([
    ["2025-07-27T12:00:00+07:00", null],
    ["2025-07-28T00:00:00+07:00", 0],
    ["2025-08-10T09:00:00+07:00", 3],
    ["2025-08-19T00:00:00+07:00", 6],
    ["2025-09-30T00:00:00+07:00", 6],
  ])("current period at %s is %s", (at, index) => {
    expect(currentPeriod(seed001, new Date(at))?.index ?? null).toBe(index);
  });

  it.each([
    ["2025-07-20T00:00:00+07:00", 0],
    ["2025-07-28T00:00:00+07:00", 0],
    ["2025-08-08T00:00:00+07:00", 0.5],
    ["2025-08-19T00:00:00+07:00", 1],
    ["2025-12-01T00:00:00+07:00", 1],
  ])("elapsed share at %s is %d", (at, share) => {
    expect(elapsedShare(seed001, new Date(at))).toBeCloseTo(share, 10);
  });

  it.each([
    ["2025-07-01T00:00:00+07:00", "2025-07-31T14:00:00.000+07:00", "2025-07-31T14:00:00.000+07:00"],
    ["2025-08-04T13:59:59+07:00", "2025-08-04T14:00:00.000+07:00", "2025-08-04T14:00:00.000+07:00"],
    ["2025-08-04T14:00:00+07:00", "2025-08-07T14:00:00.000+07:00", "2025-08-04T14:00:00.000+07:00"],
    ["2025-08-19T00:00:00+07:00", null, "2025-08-19T00:00:00.000+07:00"],
    ["2025-08-19T00:00:01+07:00", null, null],
  ])("at %s the next cutoff is %s and the first at or after is %s", (at, next, firstAfter) => {
    expect(nextCutoff(seed001, new Date(at))?.toISO() ?? null).toBe(next);
    expect(firstCutoffAfter(seed001, new Date(at))?.toISO() ?? null).toBe(firstAfter);
  });
});

describe("closed periods", () => {
  it.each([
    ["2025-07-31T13:59:59+07:00", null],
    ["2025-07-31T14:00:00+07:00", 0],
    ["2025-08-06T09:00:00+07:00", 1],
    ["2025-09-01T00:00:00+07:00", 6],
  ])("at %s the last closed period is %s", (at, index) => {
    expect(lastClosedPeriod(seed001, new Date(at))?.index ?? null).toBe(index);
  });

  it("the closing instant is the last millisecond inside the period", () => {
    const p = periodByIndex(seed001, 1)!;
    const closing = closingInstant(p);
    expect(closing.toISOString()).toBe("2025-08-04T06:59:59.999Z");
    expect(periodAt(seed001, closing)?.index).toBe(1);
  });
});

describe("campaignFinalInstant", () => {
  it.each([
    ["seed 001 ends on a Monday with a 14:00 cutoff", seed001, "2025-08-18T06:59:59.999Z"],
    ["seed 003 ends on the 15th with a 17:00 cutoff", seed003, "2023-08-15T09:59:59.999Z"],
    [
      "a campaign whose last day has no cutoff runs to its end",
      { ...seed001, end: "2025-08-20" },
      "2025-08-20T16:59:59.999Z",
    ],
  ])("%s", (_name, campaign, expected) => {
    expect(campaignFinalInstant(campaign).toISOString()).toBe(expected);
  });
});
