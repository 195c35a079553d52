import { describe, expect, it } from "vitest";
import { MOBILE_PREFIXES, parsePhone } from "../../functions/src/core/phone.ts";
import type { CellValue } from "../../schemas/index.ts";

describe("parsePhone", () => {
  it.each<[CellValue, string, boolean]>([
    ["0912345678", "0912345678", false],
    ["+84 912 345 678", "0912345678", false],
    ["+84912345678", "0912345678", false],
    ["(+84) 912 345 678", "0912345678", false],
    ["84912345678", "0912345678", false],
    [84912345678, "0912345678", false],
    ["0084 912 345 678", "0912345678", false],
    ["0912.345.678", "0912345678", false],
    ["0912-345-678", "0912345678", false],
    ["0912 345 678", "0912345678", false],
    ["'0912345678", "0912345678", false],
    ["0386123456", "0386123456", false],
    ["0523456789", "0523456789", false],
    ["0701234567", "0701234567", false],
    ["0812345678", "0812345678", false],
    [912345678, "0912345678", true],
    ["912345678", "0912345678", true],
  ])("%j → %s (zero added %s)", (cell, phone, zeroAdded) => {
    expect(parsePhone(cell)).toEqual({ ok: true, phone, zeroAdded });
  });

  it.each<CellValue>([null, "", "  "])("empty %j is allowed", (cell) => {
    expect(parsePhone(cell)).toEqual({ ok: true, phone: null, zeroAdded: false });
  });

  it.each<[CellValue, string, number]>([
    ["01682345678", "phone-old-11-digit", 11],
    ["+84 168 234 5678", "phone-old-11-digit", 11],
    ["02438251234", "phone-landline", 11],
    ["0312345678", "phone-prefix", 10],
    ["0512345678", "phone-prefix", 10],
    ["0712345678", "phone-prefix", 10],
    ["0801234567", "phone-prefix", 10],
    ["0112345678", "phone-prefix", 10],
    ["091234567", "phone-length", 9],
    ["09123456789", "phone-length", 11],
    ["12345", "phone-length", 5],
    ["0912abc678", "phone-not-digits", 0],
    ["0912345678 / 0987654321", "phone-not-digits", 0],
    [9.5, "phone-not-digits", 0],
    [true, "phone-not-digits", 0],
    ["=A1", "phone-formula", 0],
    ["+1 555 0100", "phone-formula", 0],
    ["-912345678", "phone-formula", 0],
  ])("%j is refused as %s", (cell, code, digits) => {
    expect(parsePhone(cell)).toEqual({ ok: false, code, digits });
  });

  it("accepts every listed prefix and only those", () => {
    for (let p = 10; p < 100; p++) {
      const prefix = `0${p}`;
      const r = parsePhone(`${prefix}1234567`);
      expect(r.ok, prefix).toBe(MOBILE_PREFIXES.includes(prefix));
    }
    expect(MOBILE_PREFIXES).toHaveLength(37);
  });
});
