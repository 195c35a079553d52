import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { citizenIdValue, FirstRowById } from "../../functions/src/core/id-rows.ts";

describe("citizenIdValue", () => {
  it("is the number of a 12-digit id, leading zeros included, and NaN for anything else", () => {
    expect(citizenIdValue("001095012345")).toBe(1_095_012_345);
    expect(citizenIdValue("999999999999")).toBe(999_999_999_999);
    expect(citizenIdValue("01095012345")).toBeNaN();
    expect(citizenIdValue("00109501234a")).toBeNaN();
    expect(citizenIdValue("0010950123456")).toBeNaN();
  });
});

describe("FirstRowById", () => {
  it("answers like a Map from id to its first row, through growth and colliding slots", () => {
    const digits = fc.stringMatching(/^[0-9]{12}$/);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(digits, fc.constantFrom("001095012345", "000000000000", "999999999999")), {
          maxLength: 3000,
        }),
        fc.integer({ min: 0, max: 64 }),
        (ids, expected) => {
          const table = new FirstRowById(expected);
          const map = new Map<string, number>();
          ids.forEach((id, i) => {
            const value = citizenIdValue(id);
            const first = table.rowOf(value);
            expect(first).toBe(map.get(id) ?? -1);
            if (first < 0) {
              table.add(value, i + 2);
              map.set(id, i + 2);
            }
          });
          for (const [id, row] of map) expect(table.rowOf(citizenIdValue(id))).toBe(row);
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  it("probe and addProbed answer and record like rowOf and add, mixed with them, through growth", () => {
    const digits = fc.stringMatching(/^[0-9]{12}$/);
    const odd = fc.constantFrom("00109501234x", "0010950123", "", "001 95012345");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(digits, digits, odd, fc.constant("001095012345")), fc.boolean()), {
          maxLength: 3000,
        }),
        fc.integer({ min: 0, max: 64 }),
        (steps, expected) => {
          const table = new FirstRowById(expected);
          const map = new Map<string, number>();
          steps.forEach(([id, viaProbe], i) => {
            const value = citizenIdValue(id);
            if (Number.isNaN(value)) {
              expect(table.probe(id)).toBe(-2);
              return;
            }
            const first = viaProbe ? table.probe(id) : table.rowOf(value);
            expect(first).toBe(map.get(id) ?? -1);
            if (first < 0) {
              if (viaProbe) table.addProbed(i + 2);
              else table.add(value, i + 2);
              map.set(id, i + 2);
            }
          });
          for (const [id, row] of map) expect(table.probe(id)).toBe(row);
        },
      ),
      { seed: 8, numRuns: 60 },
    );
    const table = new FirstRowById();
    expect(() => table.addProbed(2)).toThrow();
    expect(table.probe("001095012345")).toBe(-1);
    table.add(citizenIdValue("079095012345"), 2);
    // An add in between spends the probe.
    expect(() => table.addProbed(3)).toThrow();
  });

  it("keeps ids apart that differ only in their high digits", () => {
    const table = new FirstRowById();
    // Same low 32 bits: 2^32 apart.
    const a = 4_294_967_296 * 3 + 17;
    const b = 4_294_967_296 * 5 + 17;
    table.add(a, 2);
    expect(table.rowOf(b)).toBe(-1);
    table.add(b, 3);
    expect([table.rowOf(a), table.rowOf(b)]).toEqual([2, 3]);
  });

  it("refuses what is not an id's value", () => {
    expect(() => new FirstRowById().add(Number.NaN, 2)).toThrow(RangeError);
  });
});
