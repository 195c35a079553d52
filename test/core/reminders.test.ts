import { DateTime, Settings } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LedgerRecord } from "../../functions/src/core/model.ts";
import { cutoffs } from "../../functions/src/core/periods.ts";
import {
  digestTime,
  dueMessages,
  isScheduledCutoff,
  messageIdFor,
  normaliseRecipients,
  planReminders,
  quietWindowAt,
  reminderInstants,
  reminderLedgerId,
  reminderSlots,
} from "../../functions/src/core/reminders.ts";
import type { Standings } from "../../schemas/index.ts";
import {
  at,
  campaignWith,
  choDon,
  choDonUnits,
  emptyState,
  helped,
  issue,
  standingsAt,
  ZONE,
} from "../support/cho-don-mail.ts";

const wall = (dt: DateTime) => dt.setZone(ZONE).toFormat("ccc dd/MM HH:mm");

function sent(id: string, periodIndex: number, unitId: string | null): LedgerRecord {
  return {
    id,
    campaignId: choDon.id,
    kind: id.startsWith("digest") ? "digest" : "reminder",
    periodIndex,
    unitId,
    state: "sent",
    messageId: messageIdFor(id, choDon.id),
    createdAt: "2025-07-30T14:00:00.000+07:00",
    sentAt: "2025-07-30T14:00:00.000+07:00",
  };
}

/** Nobody has reported anything: every unit with an address is due a reminder whenever a slot is. */
function quietStandings(now: Date): Standings {
  return standingsAt(now, []);
}

function plan(now: Date, ledger: LedgerRecord[] = [], standings = quietStandings(now)) {
  return planReminders({ campaign: choDon, units: choDonUnits, standings, unitStates: [], now, ledger });
}

const ZONES = [undefined, "UTC", "America/New_York"];

describe.each(ZONES)("Chợ Đồn calendar with the machine zone %s", (machineZone) => {
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

  it("reminds 24 h and 2 h before every Monday and Thursday 14:00, never before the closing midnight", () => {
    const slots = cutoffs(choDon).map((_, k) =>
      reminderSlots(choDon, k).map((s) => [s.offsetHours, wall(s.at)]),
    );
    expect(slots).toEqual([
      [
        [24, "Wed 30/07 14:00"],
        [2, "Thu 31/07 12:00"],
      ],
      [
        [24, "Sun 03/08 14:00"],
        [2, "Mon 04/08 12:00"],
      ],
      [
        [24, "Wed 06/08 14:00"],
        [2, "Thu 07/08 12:00"],
      ],
      [
        [24, "Sun 10/08 14:00"],
        [2, "Mon 11/08 12:00"],
      ],
      [
        [24, "Wed 13/08 14:00"],
        [2, "Thu 14/08 12:00"],
      ],
      [
        [24, "Sun 17/08 14:00"],
        [2, "Mon 18/08 12:00"],
      ],
      [],
    ]);
  });

  it("lists every instant something becomes due, digests at each cutoff included", () => {
    const instants = reminderInstants(choDon).map(wall);
    expect(instants.slice(0, 5)).toEqual([
      "Wed 30/07 14:00",
      "Thu 31/07 12:00",
      "Thu 31/07 14:00",
      "Sun 03/08 14:00",
      "Mon 04/08 12:00",
    ]);
    // The final digest after the campaign's closing midnight is moved out of quiet hours.
    expect(instants.at(-1)).toBe("Tue 19/08 07:00");
    expect(instants).toHaveLength(6 * 2 + 7);
  });

  it.each([
    ["2025-07-30T13:59", []],
    ["2025-07-30T14:00", ["reminder~p0~cong-an-xa~24h", "reminder~p0~thon-ban-tam~24h"]],
    ["2025-07-31T11:59", ["reminder~p0~cong-an-xa~24h", "reminder~p0~thon-ban-tam~24h"]],
    ["2025-07-31T12:00", ["reminder~p0~cong-an-xa~2h", "reminder~p0~thon-ban-tam~2h"]],
    ["2025-07-31T13:59:59.999", ["reminder~p0~cong-an-xa~2h", "reminder~p0~thon-ban-tam~2h"]],
    ["2025-07-31T14:00", ["digest~p0"]],
    ["2025-08-03T13:59", ["digest~p0"]],
    ["2025-08-03T14:00", ["digest~p0", "reminder~p1~cong-an-xa~24h", "reminder~p1~thon-ban-tam~24h"]],
    ["2025-08-04T14:00", ["digest~p1"]],
    ["2025-08-18T14:00", ["digest~p5"]],
    ["2025-08-19T06:59", []],
    ["2025-08-19T07:00", ["digest~p6"]],
    ["2025-09-30T10:00", ["digest~p6"]],
  ])("due at %s: %j (ledger empty, units filtered to two for brevity)", (instant, expected) => {
    const now = at(instant);
    const ids = plan(now)
      .due.map((p) => p.ledgerId)
      .filter((id) => id.startsWith("digest") || /~(cong-an-xa|thon-ban-tam)~/.test(id))
      .sort();
    expect(ids).toEqual(expected);
  });
});

describe("only the latest due reminder goes", () => {
  it("a step running late (after the 2 h slot) sends the 2 h reminder only, and the 24 h one never afterwards", () => {
    const late = plan(at("2025-08-04T12:30"));
    const ids = late.due.filter((p) => p.kind === "reminder").map((p) => p.ledgerId);
    expect(ids).not.toContain(reminderLedgerId(1, "thon-na-pan", 24));
    expect(ids).toContain(reminderLedgerId(1, "thon-na-pan", 2));
    expect(late.covered).toEqual([{ periodIndex: 1, offsetHours: 24, at: "2025-08-03T14:00:00.000+07:00" }]);

    const ledger = ids.map((id) => sent(id, 1, id.split("~")[2]!));
    const after = plan(at("2025-08-04T13:30"), ledger);
    expect(after.due.filter((p) => p.kind === "reminder")).toEqual([]);
    expect(after.notPlanned.filter((n) => n.kind === "reminder")).toHaveLength(ids.length);
  });

  it("the 24 h reminder sent in time does not stop the 2 h one", () => {
    const ledger = [sent(reminderLedgerId(1, "thon-na-pan", 24), 1, "thon-na-pan")];
    const ids = plan(at("2025-08-04T12:00"), ledger).due.map((p) => p.ledgerId);
    expect(ids).toContain(reminderLedgerId(1, "thon-na-pan", 2));
  });

  it("a pending claim is planned again, flagged, with the same Message-ID", () => {
    const id = reminderLedgerId(1, "thon-na-pan", 2);
    const pending: LedgerRecord = { ...sent(id, 1, "thon-na-pan"), state: "pending", sentAt: null };
    const p = plan(at("2025-08-04T12:10"), [pending]).due.find((x) => x.ledgerId === id);
    expect(p).toMatchObject({
      pending: true,
      messageId: "<reminder~p1~thon-na-pan~2h.cho-don-2025@dondoc.local>",
    });
  });
});

describe("who is reminded", () => {
  const now = at("2025-08-04T12:00");
  const entries = [
    helped("thon-ban-tam", "2025-07-29T09:00"),
    helped("thon-ban-tam", "2025-08-01T09:00"),
    helped("truong-thcs", "2025-08-02T10:00"),
  ];

  it("units without a new entry in the period, with errors, or without a confirmation; the others are left alone", () => {
    const states = [
      emptyState("truong-thcs", {
        issues: [issue("truong-thcs", 5, "E", "Số định danh", "Số định danh sai.")],
      }),
      emptyState("cong-an-xa", { confirmedPeriods: [1] }),
    ];
    const standings = standingsAt(now, entries, { states });
    const p = planReminders({
      campaign: choDon,
      units: choDonUnits,
      standings,
      unitStates: states,
      now,
      ledger: [],
    });
    const reminders = p.due.filter((x) => x.kind === "reminder");
    expect(reminders.map((r) => [r.unitId, r.notReported, r.errors])).toEqual([
      ["thon-na-pan", true, 0],
      ["truong-thcs", false, 1],
    ]);
    expect(reminders.find((r) => r.unitId === "truong-thcs")?.to).toEqual([
      "hieutruong.thcs@example.vn",
      "thcs@example.vn",
    ]);
    // Cốc Pái needs a reminder and has no address: reported for the digest, never silently dropped.
    expect(p.unreachable).toEqual([
      { unitId: "thon-coc-pai", name: "Thôn Cốc Pái", periodIndex: 1, notReported: true, errors: 0 },
    ]);
  });

  it("a confirmation stored after the standings were computed still counts", () => {
    const standings = standingsAt(now, entries);
    const states = [emptyState("thon-na-pan", { confirmedPeriods: [1] })];
    const p = planReminders({
      campaign: choDon,
      units: choDonUnits,
      standings,
      unitStates: states,
      now,
      ledger: [],
    });
    expect(p.due.map((x) => x.ledgerId)).not.toContain(reminderLedgerId(1, "thon-na-pan", 2));
  });

  it("refuses standings from another period rather than remind from stale figures", () => {
    const stale = standingsAt(at("2025-07-31T13:00"), entries);
    expect(() =>
      planReminders({
        campaign: choDon,
        units: choDonUnits,
        standings: stale,
        unitStates: [],
        now,
        ledger: [],
      }),
    ).toThrow(expect.objectContaining({ code: "reminder-standings-stale" }));
  });

  it("the digest goes to the leaders, once", () => {
    const after = at("2025-08-04T14:05");
    const standings = standingsAt(after, entries);
    const first = planReminders({
      campaign: choDon,
      units: choDonUnits,
      standings,
      unitStates: [],
      now: after,
      ledger: [],
    });
    expect(first.due).toEqual([
      {
        kind: "digest",
        ledgerId: "digest~p1",
        messageId: "<digest~p1.cho-don-2025@dondoc.local>",
        periodIndex: 1,
        cutoff: "2025-08-04T14:00:00.000+07:00",
        scheduledAt: "2025-08-04T14:00:00.000+07:00",
        to: ["chutich@chodon.example.vn", "vanphong@chodon.example.vn"],
        pending: false,
        final: false,
      },
    ]);
    const again = planReminders({
      campaign: choDon,
      units: choDonUnits,
      standings,
      unitStates: [],
      now: after,
      ledger: [sent("digest~p1", 1, null)],
    });
    expect(again.due).toEqual([]);
    expect(again.notPlanned).toEqual([{ ledgerId: "digest~p1", kind: "digest", reason: "already-sent" }]);
  });

  it("without leaders the digest is reported as not planned", () => {
    const c = campaignWith({ leaders: [] });
    const now2 = at("2025-08-04T15:00");
    const p = planReminders({
      campaign: c,
      units: choDonUnits,
      standings: standingsAt(now2, [], { campaign: c }),
      unitStates: [],
      now: now2,
      ledger: [],
    });
    expect(p.notPlanned).toEqual([{ ledgerId: "digest~p1", kind: "digest", reason: "no-leaders" }]);
  });

  it("dueMessages is the plan's due list", () => {
    const standings = standingsAt(now, entries);
    const input = { campaign: choDon, units: choDonUnits, standings, unitStates: [], now, ledger: [] };
    expect(dueMessages(input)).toEqual(planReminders(input).due);
  });
});

describe("quiet hours", () => {
  it.each([
    ["20:59", null],
    ["21:00", ["21:00", "07:00"]],
    ["23:00", ["21:00", "07:00"]],
    ["03:00", ["21:00", "07:00"]],
    ["06:59", ["21:00", "07:00"]],
    ["07:00", null],
  ])("21:00–07:00 at %s → %j", (time, expected) => {
    const t = DateTime.fromISO(`2025-08-03T${time}`, { zone: ZONE });
    const w = quietWindowAt(t, { start: "21:00", end: "07:00" });
    expect(w && [w.start.toFormat("HH:mm"), w.end.toFormat("HH:mm")]).toEqual(expected);
    if (w) expect(w.end > t && w.start <= t).toBe(true);
  });

  it("a window within one day (12:00–13:30) and an empty one (equal ends)", () => {
    const t = (x: string) => DateTime.fromISO(`2025-08-03T${x}`, { zone: ZONE });
    expect(quietWindowAt(t("12:30"), { start: "12:00", end: "13:30" })?.end.toFormat("HH:mm")).toBe("13:30");
    expect(quietWindowAt(t("13:30"), { start: "12:00", end: "13:30" })).toBeNull();
    expect(quietWindowAt(t("03:00"), { start: "00:00", end: "00:00" })).toBeNull();
  });

  it("an offset landing at 23:00 moves to 07:00 the next morning", () => {
    const c = campaignWith({
      reminders: { offsetsHours: [15, 2], quietHours: { start: "21:00", end: "07:00" } },
    });
    const [early, late] = reminderSlots(c, 1);
    expect(early).toMatchObject({ offsetHours: 15, moved: "quiet-end" });
    expect(wall(early!.nominal)).toBe("Sun 03/08 23:00");
    expect(wall(early!.at)).toBe("Mon 04/08 07:00");
    expect(wall(late!.at)).toBe("Mon 04/08 12:00");
    // Due at 07:00, the 15 h reminder goes; at 12:00 it is covered.
    const ids = (iso: string) =>
      planReminders({
        campaign: c,
        units: choDonUnits,
        standings: standingsAt(at(iso), [], { campaign: c }),
        unitStates: [],
        now: at(iso),
        ledger: [],
      })
        .due.filter((p) => p.kind === "reminder")
        .map((p) => p.ledgerId);
    expect(ids("2025-08-04T06:59")).toEqual([]);
    expect(ids("2025-08-04T07:00")).toContain("reminder~p1~thon-na-pan~15h");
    expect(ids("2025-08-04T12:00")).toContain("reminder~p1~thon-na-pan~2h");
    expect(ids("2025-08-04T12:00")).not.toContain("reminder~p1~thon-na-pan~15h");
  });

  it("when the quiet hours' end is past the cutoff, the last minute before they began; offsets that collapse are one", () => {
    // Cutoffs at 22:00: 30 min before is 21:30 (quiet, ends 07:00 after the cutoff) → 20:59 the same evening;
    // 70 min before is 20:50, outside quiet hours.
    const c = campaignWith({
      schedule: { kind: "weekly", weekdays: [1, 4], time: "22:00" },
      reminders: { offsetsHours: [0.5, 70 / 60, 1.5], quietHours: { start: "21:00", end: "07:00" } },
    });
    const slots = reminderSlots(c, 1);
    expect(slots.map((s) => [s.offsetHours, wall(s.at), s.moved])).toEqual([
      [1.5, "Mon 04/08 20:30", "none"],
      [70 / 60, "Mon 04/08 20:50", "none"],
      [0.5, "Mon 04/08 20:59", "before-quiet"],
    ]);
    const d = campaignWith({
      schedule: { kind: "weekly", weekdays: [1, 4], time: "22:00" },
      reminders: { offsetsHours: [0.5, 0.75], quietHours: { start: "21:00", end: "07:00" } },
    });
    // 21:30 and 21:15 both become 20:59: one slot, named by the smaller offset.
    expect(reminderSlots(d, 1).map((s) => [s.offsetHours, wall(s.at)])).toEqual([[0.5, "Mon 04/08 20:59"]]);
    expect(reminderLedgerId(1, "x", 0.5)).toBe("reminder~p1~x~0.5h");
  });

  it("a slot before its period began is dropped: units are still reporting on the previous deadline then", () => {
    const c = campaignWith({
      reminders: { offsetsHours: [100, 2], quietHours: { start: "21:00", end: "07:00" } },
    });
    // Mon 04/08 14:00 − 100 h = Thu 31/07 10:00, before period 1 opened at Thu 31/07 14:00.
    expect(reminderSlots(c, 1).map((s) => s.offsetHours)).toEqual([2]);
    // Period 0 opened on Mon 28/07 00:00; Thu 31/07 14:00 − 100 h = Sun 27/07 10:00.
    expect(reminderSlots(c, 0).map((s) => s.offsetHours)).toEqual([2]);
  });

  it("the digest waits for the quiet hours' end unless that passes the next cutoff", () => {
    const c = campaignWith({
      reminders: { offsetsHours: [2], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 8 },
    });
    expect(wall(digestTime(c, 1)!)).toBe("Tue 05/08 07:00");
    const daily = campaignWith({
      schedule: { kind: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7], time: "06:00" },
      reminders: { offsetsHours: [2], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 0 },
    });
    // 06:00 is quiet; 07:00 is before the next 06:00 cutoff, so the digest moves.
    expect(wall(digestTime(daily, 1)!)).toBe("Wed 30/07 07:00");
    const longDelay = campaignWith({
      schedule: { kind: "weekly", weekdays: [1, 2, 3, 4, 5, 6, 7], time: "06:00" },
      reminders: { offsetsHours: [2], quietHours: { start: "21:00", end: "07:00" }, digestDelayHours: 23.5 },
    });
    // 05:30 the next day is quiet, but 07:00 would be after the next cutoff (06:00): it goes at 05:30.
    expect(wall(digestTime(longDelay, 1)!)).toBe("Thu 31/07 05:30");
  });
});

describe("helpers", () => {
  it("tells scheduled cutoffs from the campaign's closing instant", () => {
    const list = cutoffs(choDon);
    expect(list.map((t) => isScheduledCutoff(choDon, t.setZone(ZONE)))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
  });

  it("normalises recipients: trimmed, deduplicated case-insensitively, sorted", () => {
    expect(normaliseRecipients([" B@x.vn", "a@x.vn", "b@X.vn", ""])).toEqual(["a@x.vn", "B@x.vn"]);
  });
});
