import { describe, expect, it } from "vitest";
import { looksLikeFormula, parseCount, parseViNumber } from "../../functions/src/core/vi-number.ts";
import type { CellValue } from "../../schemas/index.ts";

describe("parseViNumber", () => {
  it.each<[CellValue, number]>([
    ["1.012", 1012],
    ["19.662", 19662],
    ["84.337", 84337],
    ["1.234.567", 1234567],
    ["1.234,5", 1234.5],
    ["2,5", 2.5],
    ["1,012", 1.012],
    ["1012", 1012],
    ["007", 7],
    [" 19 662 ", 19662],
    ["1\u00A0012", 1012],
    ["-3", -3],
    ["+5", 5],
    ["-0", 0],
    [42, 42],
    [2.5, 2.5],
    [0, 0],
  ])("%j → %d", (cell, expected) => {
    expect(parseViNumber(cell)).toEqual({ ok: true, value: expected });
  });

  it.each<[CellValue, string]>([
    [null, "empty"],
    ["", "empty"],
    ["  ", "empty"],
    ["=1+1", "formula"],
    ["@SUM(A1)", "formula"],
    ["-3+1", "formula"],
    ["+A1", "formula"],
    ["1.5", "ambiguous"],
    ["0.25", "ambiguous"],
    ["0.500", "ambiguous"],
    ["1,234,567", "not-a-number"],
    ["1e3", "not-a-number"],
    ["1e308", "not-a-number"],
    ["12 người", "not-a-number"],
    ["1.01", "ambiguous"],
    ["1.0123", "ambiguous"],
    ["1.012.5", "not-a-number"],
    [".5", "not-a-number"],
    ["5.", "not-a-number"],
    ["abc", "not-a-number"],
    [true, "not-a-number"],
    [Number.NaN, "not-a-number"],
    [Number.POSITIVE_INFINITY, "not-a-number"],
    [Number.NEGATIVE_INFINITY, "not-a-number"],
  ])("%j is refused as %s", (cell, code) => {
    expect(parseViNumber(cell)).toEqual({ ok: false, code });
  });

  it("never returns -0", () => {
    const r = parseViNumber("-0");
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });
});

describe("parseCount", () => {
  it.each<[CellValue, number]>([
    ["1.012", 1012],
    ["0", 0],
    [708, 708],
    ["19.662", 19662],
    ["1.234,0", 1234],
  ])("%j → %d", (cell, expected) => {
    expect(parseCount(cell)).toEqual({ ok: true, value: expected });
  });

  it.each<[CellValue, string]>([
    ["-3", "count-negative"],
    [-3, "count-negative"],
    ["2,5", "count-not-whole"],
    [2.5, "count-not-whole"],
    ["1.5", "count-ambiguous"],
    ["=A1*2", "count-formula"],
    ["mười", "count-not-a-number"],
    [null, "count-empty"],
    [1e20, "count-too-large"],
  ])("%j is refused as %s", (cell, code) => {
    expect(parseCount(cell)).toEqual({ ok: false, code });
  });
});

describe("looksLikeFormula", () => {
  it.each([
    ["=1+1", true],
    ["+84", true],
    ["-x", true],
    ["@a", true],
    [" =A1", true],
    ["Nguyễn Văn A", false],
    ["a=b", false],
  ])("%j → %s", (text, expected) => {
    expect(looksLikeFormula(text)).toBe(expected);
  });
});
