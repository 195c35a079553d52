// The fixed-offset fast path of parseInstantCell and the hand-written calendar check must give exactly what
// luxon gives. Asia/Saigon is the same IANA zone under another name, so it takes the luxon path and serves as
// the reference for Asia/Ho_Chi_Minh's fast path; luxon itself is the reference for every wall time.
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { parseDateCell, parseInstantCell, serialFromWall } from "../../functions/src/core/cell-dates.ts";

const VN = "Asia/Ho_Chi_Minh";
const SAME_ZONE_SLOW_PATH = "Asia/Saigon";
const savedTz = process.env.TZ;

afterEach(() => {
  process.env.TZ = savedTz;
});

function wallOfSerial(serial: number) {
  const d = new Date(Date.UTC(1899, 11, 30) + Math.round(serial * 86_400_000));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

// Serials from 1970 to 2100, with times of day that have float noise (1/3, 7/12 of a day) and milliseconds.
const SERIALS: number[] = [];
for (let s = 25_569; s < 73_415; s += 211)
  SERIALS.push(s, s + 1 / 3, s + 7 / 12, s + 0.999_988_4, s + 0.000_011_6);
SERIALS.push(
  serialFromWall({ year: 1975, month: 6, day: 12, hour: 23, minute: 59 }),
  serialFromWall({ year: 1975, month: 6, day: 13 }),
  serialFromWall({ year: 1975, month: 12, day: 31, hour: 23, minute: 59, second: 59 }),
  serialFromWall({ year: 1976, month: 1, day: 1 }),
  serialFromWall({ year: 2024, month: 2, day: 29, hour: 14 }),
  serialFromWall({ year: 2100, month: 12, day: 31, hour: 23, minute: 59, second: 59 }),
);

const TEXTS = [
  "04/08/2025 13:59:59",
  "4/8/2025 9h05",
  "29/02/2024 14:00",
  "31/12/2099 23:59",
  "01/01/1976",
  "12/06/1975 23:00",
  "13/06/1975 00:00",
  "01/01/1960 08:00",
  "28.02.2100 12:00",
];

describe.each(["UTC", "America/New_York", "Asia/Ho_Chi_Minh", "Pacific/Kiritimati"])(
  "machine zone %s",
  (tz) => {
    it("serial stamps: the fast path and luxon agree", () => {
      process.env.TZ = tz;
      for (const serial of SERIALS) {
        const wall = wallOfSerial(serial);
        const expected = DateTime.fromObject(wall, { zone: VN }).toISO();
        const fast = parseInstantCell(serial, VN);
        expect(fast, String(serial)).toEqual({ ok: true, value: expected });
        expect(parseInstantCell(serial, SAME_ZONE_SLOW_PATH).ok).toBe(true);
        if (wall.year >= 1976) {
          const slow = parseInstantCell(serial, SAME_ZONE_SLOW_PATH);
          expect(slow.ok && DateTime.fromISO(slow.value).toMillis()).toBe(
            DateTime.fromISO(expected!).toMillis(),
          );
          expect(slow).toEqual(fast);
        }
      }
    });

    it("typed stamps: the fast path and luxon agree", () => {
      process.env.TZ = tz;
      for (const text of TEXTS)
        expect(parseInstantCell(text, VN), text).toEqual(parseInstantCell(text, SAME_ZONE_SLOW_PATH));
    });
  },
);

describe("calendar check", () => {
  it("agrees with luxon on valid and impossible wall times", () => {
    for (const year of [1900, 1976, 2000, 2023, 2024, 2100]) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const [hour, minute, second] of [
            [0, 0, 0],
            [23, 59, 59],
            [24, 0, 0],
            [12, 60, 0],
            [12, 0, 60],
          ] as const) {
            const text = `${day}/${month}/${year} ${hour}:${String(minute).padStart(2, "0")}:${String(second).padStart(2, "0")}`;
            const luxonValid =
              hour <= 23 &&
              DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: "UTC" }).isValid;
            const date = parseDateCell(text, VN);
            const instant = parseInstantCell(text, VN);
            expect(instant.ok, text).toBe(luxonValid);
            expect(date.ok || (!date.ok && date.code === "date-impossible"), text).toBe(true);
            if (luxonValid) {
              expect(date, text).toEqual({
                ok: true,
                value: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
              });
              expect(instant, text).toEqual({
                ok: true,
                value: DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: VN }).toISO(),
              });
            } else {
              expect(instant, text).toEqual({ ok: false, code: "date-impossible" });
            }
          }
        }
      }
    }
  });
});

describe("serial arithmetic", () => {
  it("reads every serial from 1900 to 2100 as Date's UTC getters do", () => {
    const epoch = Date.UTC(1899, 11, 30);
    for (let serial = 61; serial < 73_416; serial += 0.731) {
      const d = new Date(epoch + Math.round(serial * 86_400_000));
      const expected = d.toISOString().slice(0, 10);
      expect(parseDateCell(serial, VN), String(serial)).toEqual({ ok: true, value: expected });
      expect(parseInstantCell(serial, "UTC"), String(serial)).toEqual({ ok: true, value: d.toISOString() });
    }
  });

  it("refuses serials outside 1900–2100 as before", () => {
    for (const serial of [0.5, 1, 1.5, 73_416, 100_000, 2_958_465, 2_958_466, 1e12]) {
      const read = parseDateCell(serial, VN);
      expect(read.ok, String(serial)).toBe(false);
    }
    expect(parseDateCell(1e20, VN)).toEqual({ ok: false, code: "date-impossible" });
  });
});
