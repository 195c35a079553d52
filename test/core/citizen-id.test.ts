import { describe, expect, it } from "vitest";
import {
  ageInYear,
  isOldEnough,
  maskCitizenId,
  maskCodeOf,
  maskedCitizenId,
  parseCitizenId,
} from "../../functions/src/core/citizen-id.ts";
import { PROVINCE_CODES, provinceName } from "../../functions/src/core/province-codes.ts";
import type { CellValue } from "../../schemas/index.ts";

describe("parseCitizenId", () => {
  it.each<[CellValue, string, number, "male" | "female", number]>([
    ["001095012389", "001095012389", 1995, "male", 0],
    ["079185000001", "079185000001", 1985, "female", 0],
    ["027201000123", "027201000123", 2001, "male", 0],
    ["096311234567", "096311234567", 2011, "female", 0],
    ["001401000000", "001401000000", 2101, "male", 0],
    ["001 095 012389", "001095012389", 1995, "male", 0],
    ["001.095.012.389", "001095012389", 1995, "male", 0],
    ["'001095012389", "001095012389", 1995, "male", 0],
    // A spreadsheet dropped the leading zero(s): text or number, repaired with zerosAdded for the warning.
    ["27201000123", "027201000123", 2001, "male", 1],
    [27201000123, "027201000123", 2001, "male", 1],
    [1095012389, "001095012389", 1995, "male", 2],
    [7.9185000001e10, "079185000001", 1985, "female", 1],
  ])("%j → %s (born %d, %s, zeros added %d)", (cell, id, birthYear, gender, zerosAdded) => {
    const r = parseCitizenId(cell);
    expect(r).toMatchObject({ ok: true, id, birthYear, gender, zerosAdded });
  });

  it("reads 1234567890 exactly: two zeros back, province 001", () => {
    expect(parseCitizenId(1234567890)).toMatchObject({ ok: true, id: "001234567890", provinceCode: "001" });
  });

  it.each<[CellValue, string, number]>([
    [null, "id-empty", 0],
    ["   ", "id-empty", 0],
    ["12345", "id-length", 5],
    ["0010950123890", "id-length", 13],
    // 11 digits whose repair would give an unknown province: a digit is missing, not a zero.
    ["97201000123", "id-length", 11],
    ["097201000123", "id-province", 12],
    ["000095012389", "id-province", 12],
    ["003095012389", "id-province", 12],
    ["100095012389", "id-province", 12],
    [1.2345678901e11, "id-province", 12],
    ["00109501238A", "id-not-digits", 0],
    ["CCCD 001095012389", "id-not-digits", 0],
    [1095012389.5, "id-not-digits", 0],
    [-1095012389, "id-not-digits", 0],
    [true, "id-not-digits", 0],
    ["=A1", "id-formula", 0],
    ["+001095012389", "id-formula", 0],
    ["-001095012389", "id-formula", 0],
  ])("%j is refused as %s", (cell, code, digits) => {
    expect(parseCitizenId(cell)).toEqual({ ok: false, code, digits });
  });
});

describe("age by birth year", () => {
  it.each([
    [2011, "2025-01-01", true],
    [2011, "2025-12-31", true],
    [2012, "2025-12-31", false],
    [1995, "2025-08-04", true],
    [2101, "2025-08-04", false],
  ])("born %d, helped %s → old enough %s", (birthYear, date, expected) => {
    expect(isOldEnough(birthYear, date)).toBe(expected);
  });

  it("counts whole years between birth year and the year of help", () => {
    expect(ageInYear(2011, 2025)).toBe(14);
  });
});

describe("maskCitizenId", () => {
  it("keeps the province and the last two digits", () => {
    expect(maskCitizenId("001095012389")).toBe("001*******89");
  });

  it("gives every id with the same visible digits the same mask, and each id its own visible digits", () => {
    const ids = Array.from({ length: 3000 }, (_, i) => String((i * 7_919_017_003) % 1e12).padStart(12, "0"));
    for (const id of [...ids, ...ids])
      expect(maskCitizenId(id)).toBe(`${id.slice(0, 3)}*******${id.slice(10)}`);
    expect(maskCitizenId("079123456712")).toBe(maskCitizenId("079999999912"));
    // Twelve characters that are not all digits are masked the same way, from their own characters.
    expect(maskCitizenId("07912345678x")).toBe("079*******8x");
    expect(maskCitizenId("x7912345678x")).toBe("x79*******8x");
  });

  it("is made again from the visible digits' code alone (how line-list columns hold it)", () => {
    // Codes first seen through maskedCitizenId, then through maskCitizenId, and the other way round.
    const ids = Array.from({ length: 3000 }, (_, i) =>
      String((i * 7_919_017_003 + 13) % 1e12).padStart(12, "0"),
    );
    ids.forEach((id, i) => {
      const code = maskCodeOf(id);
      expect(code).toBe(Number(id.slice(0, 3) + id.slice(10)));
      if (i % 2 === 0) expect(maskedCitizenId(code)).toBe(maskCitizenId(id));
      else expect(maskCitizenId(id)).toBe(maskedCitizenId(code));
      expect(maskedCitizenId(code)).toBe(`${id.slice(0, 3)}*******${id.slice(10)}`);
    });
    expect(maskCodeOf("07912345678x")).toBe(-1);
    expect(maskCodeOf("0791234567")).toBe(-1);
  });
});

describe("province codes", () => {
  it("lists the 63 codes of Circular 07/2016/TT-BCA, 001 to 096", () => {
    expect(PROVINCE_CODES.size).toBe(63);
    const codes = [...PROVINCE_CODES.keys()];
    expect(codes.every((c) => /^0\d\d$/.test(c) && Number(c) >= 1 && Number(c) <= 96)).toBe(true);
    expect(provinceName("027")).toBe("Bắc Ninh");
    expect(provinceName("079")).toBe("Hồ Chí Minh");
    expect(provinceName("097")).toBeUndefined();
  });
});
