// The fast path for the common line-list row: every cell in its usual form and nothing to report. A province
// holds a million rows and nearly all of them are like that, so this path reads them with column indices
// resolved once per sheet, per-sheet caches for the few distinct dates, names and choices, and character
// checks instead of regular expressions.
//
// Contract: for a row, the fast reader either appends to the sheet's columns exactly the entry the full reader
// (parse-sheet.ts) would return while reporting no issue, and returns true, or returns false without side
// effects that could change the full reader's answer, and the full reader then reads the row from scratch. It
// may send a good row to the full reader; it must never differ from it. test/core/parse-sheet-fast.test.ts
// checks both paths against each other on fuzzed and example sheets.
import type { Campaign, CellValue } from "../../../schemas/index.ts";
import { parseDateCell, readInstantCell, serialStampReader } from "./cell-dates.ts";
import { SpellingCache, textCell } from "./cell-text.ts";
import { CITIZEN_ID_LENGTH, MIN_AGE } from "./citizen-id.ts";
import { indicatorColumnKey } from "./columns.ts";
import type { FirstRowById } from "./id-rows.ts";
import type { LineListColumns } from "./line-list-columns.ts";
import { MOBILE_PREFIXES } from "./phone.ts";
import { isProvinceCode } from "./province-codes.ts";
import { isBlankText } from "./vi-text.ts";

/** 0-based column of each input; -1 when the sheet has no such column (its cells read as empty). */
export interface FastLineListColumns {
  enteredAt: number;
  date: number;
  supporter: number;
  citizenName: number;
  citizenId: number;
  phone: number;
  residence: number;
  provider: number;
  /** Campaign indicators in campaign order. */
  indicators: { key: string; index: number }[];
}

/** The fast path's columns from where a sheet's header put each column key ("date", "ind:vneid", …). */
export function fastColumnsOf(
  indexOf: (key: string) => number | undefined,
  indicatorKeys: readonly string[],
): FastLineListColumns {
  const at = (key: string) => indexOf(key) ?? -1;
  return {
    enteredAt: at("enteredAt"),
    date: at("date"),
    supporter: at("supporter"),
    citizenName: at("citizenName"),
    citizenId: at("citizenId"),
    phone: at("phone"),
    residence: at("residence"),
    provider: at("provider"),
    indicators: indicatorKeys.map((key) => ({ key, index: at(indicatorColumnKey(key)) })),
  };
}

export interface FastLineListInput {
  campaign: Campaign;
  columns: FastLineListColumns;
  /** Today in the campaign's zone, YYYY-MM-DD. */
  today: string;
  nowMs: number;
  /** Stamps later than nowMs + this are hand edits the full reader reports. */
  stampToleranceMs: number;
  /**
   * Where the reader appends the entries it takes, with their citizen ids pending: the caller hashes the ids of
   * a whole sheet at once (see readLineListRows in parse-sheet.ts).
   */
  out: LineListColumns;
  /** Shared with the full reader: one string per distinct tidy text of the sheet. */
  intern: (text: string) => string;
  /** Shared with the full reader: yes/no per distinct spelling of a bool cell. */
  boolCell: (cell: CellValue) => boolean | null;
  /** Shared with the full reader: typed provider text → the campaign's spelling, or null when none. */
  providerByText: SpellingCache<string | null>;
  /** Shared with the full reader: first row of each citizen id in the sheet. */
  firstRowById: FirstRowById;
}

const ZERO = 48;
/** An array index past the end of any row: where a column the sheet lacks is read. */
const ABSENT = 2 ** 30;
const NINE = 57;

/** Valid 3-digit province codes and mobile prefixes as lookup tables indexed by their number (0–999). */
function codeTable(valid: (code: string) => boolean): Uint8Array {
  const table = new Uint8Array(1000);
  for (let n = 0; n < 1000; n++) table[n] = valid(String(n).padStart(3, "0")) ? 1 : 0;
  return table;
}
const PROVINCE = codeTable(isProvinceCode);
const MOBILE = codeTable((code) => MOBILE_PREFIXES.includes(code));

/** The number of `s`'s first three characters when they are digits; -1 otherwise. */
function threeDigits(s: string): number {
  const a = s.charCodeAt(0) - ZERO;
  const b = s.charCodeAt(1) - ZERO;
  const c = s.charCodeAt(2) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9 ? a * 100 + b * 10 + c : -1;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/**
 * Whether the full reader finds text in a cell it requires. A first character that is printable ASCII or a
 * letter of the Latin, Greek, Cyrillic… blocks (U+00C0–U+167F) is neither whitespace nor invisible; anything
 * else asks the same question the full reader asks.
 */
function hasText(cell: CellValue): boolean {
  if (typeof cell === "string") {
    const c = cell.charCodeAt(0);
    if ((c > 0x20 && c < 0x7f) || (c >= 0xc0 && c < 0x1680)) return true;
    return !isBlankText(textCell(cell));
  }
  return cell !== null;
}

/**
 * A citizen id cell as the template's text column holds it, twelve characters with a known province code
 * (firstRowById.probe then checks that all twelve are digits).
 */
function plainCitizenId(cell: CellValue): cell is string {
  return typeof cell === "string" && cell.length === CITIZEN_ID_LENGTH && PROVINCE[threeDigits(cell)] === 1;
}

/** Birth year encoded in a valid id: century from the gender digit, then two digits of the year. */
function birthYearOf(id: string): number {
  const g = id.charCodeAt(3) - ZERO;
  return 1900 + Math.floor(g / 2) * 100 + (id.charCodeAt(4) - ZERO) * 10 + (id.charCodeAt(5) - ZERO);
}

/** An empty phone cell, or a 10-digit mobile number typed plainly ("0912345678"). */
function plainPhone(cell: CellValue): boolean {
  if (cell === null) return true;
  if (typeof cell !== "string" || cell.length !== 10 || cell.charCodeAt(0) !== ZERO || !allDigits(cell))
    return false;
  // Only mobile prefixes pass: "02…" (a landline) and "0084…" (an international prefix) go to the full reader.
  return MOBILE[threeDigits(cell)] === 1;
}

interface GoodDate {
  iso: string;
  year: number;
  /** The date's index in the sheet's columns' texts. */
  index: number;
}

/**
 * Returns the reader of one sheet's rows. Its caches live as long as the sheet: a commune's ten thousand rows
 * hold a few dozen dates, a few hundred supporters and a handful of villages and choices.
 */
export function fastLineListReader(input: FastLineListInput): (cells: CellValue[], row: number) => boolean {
  const { campaign, columns: col, today, nowMs, out, intern, boolCell } = input;
  const zone = campaign.timezone;
  const latestStampMs = nowMs + input.stampToleranceMs;
  const stamps = serialStampReader(zone);
  const dates = new Map<string | number, GoodDate | null>();
  const texts = new Map<string, string>();
  const indicatorCount = col.indicators.length;
  // Ticks are kept as bits of one small integer below (a campaign has at most 30 indicators).
  if (indicatorCount > 30) return () => false;

  // Column indices as locals; a column the sheet lacks reads past the end of every row, i.e. as empty.
  const at = (i: number) => (i < 0 ? ABSENT : i);
  const iStamp = at(col.enteredAt);
  const iDate = at(col.date);
  const iSupporter = at(col.supporter);
  const iName = at(col.citizenName);
  const iId = at(col.citizenId);
  const iPhone = at(col.phone);
  const iResidence = at(col.residence);
  const iProvider = at(col.provider);
  const iTicks = col.indicators.map((ind) => at(ind.index));
  const { firstRowById, providerByText } = input;
  /** The value of the id the last probe found no row for: the one addProbed records and push is given. */
  const idValue = firstRowById.probed;
  // A residence cell's spelling → the index of its tidy text in the columns' texts.
  const residences = new SpellingCache<number>();
  const noResidence = out.textIndex("");
  // A supporter cell's spelling → the index of its tidy text in the columns' texts (−1: no text).
  const supporters = new Map<string, number>();
  // Officials enter their citizens one after another: a row's supporter is most often the previous row's.
  let lastSupporterCell: string | null = null;
  let lastSupporter = -1;
  let lastProvider: string | null = null;
  let lastProviderIndex = -1;

  /** A campaign date already in the past, from its cell (cached per distinct cell value); null to go slow. */
  const dateOf = (cell: CellValue): GoodDate | null => {
    if (typeof cell !== "number" && typeof cell !== "string") return null;
    let good = dates.get(cell);
    if (good === undefined) {
      const read = parseDateCell(cell, zone);
      good =
        read.ok && read.value >= campaign.start && read.value <= campaign.end && read.value <= today
          ? { iso: read.value, year: Number(read.value.slice(0, 4)), index: out.textIndex(read.value) }
          : null;
      dates.set(cell, good);
    }
    return good;
  };

  /** Tidy, interned text of a string cell (cached per distinct spelling). */
  const tidy = (cell: string): string => {
    let text = texts.get(cell);
    if (text === undefined) {
      text = intern(textCell(cell));
      texts.set(cell, text);
    }
    return text;
  };

  return (cells, row) => {
    // Stamp: empty, or a serial number not in the future. With a fixed-offset zone its text is not made here:
    // the columns keep the serial and make the text from it when an entry object is asked for.
    const stampCell = cells[iStamp] ?? null;
    let enteredMs = Number.NaN;
    let stampText: string | null = null;
    if (stampCell !== null) {
      if (typeof stampCell !== "number") return false;
      if (stamps !== null) {
        if (!(stamps.msOf(stampCell) <= latestStampMs)) return false;
      } else {
        const read = readInstantCell(stampCell, zone);
        if (!read.ok || read.ms > latestStampMs) return false;
        stampText = read.value;
        enteredMs = read.ms;
      }
    }

    const date = dateOf(cells[iDate] ?? null);
    if (date === null) return false;

    const supporterCell = cells[iSupporter];
    if (typeof supporterCell !== "string") return false;
    let supporter: number;
    if (supporterCell === lastSupporterCell) supporter = lastSupporter;
    else {
      let known = supporters.get(supporterCell);
      if (known === undefined) {
        const text = tidy(supporterCell);
        known = hasText(text) ? out.textIndex(text) : -1;
        supporters.set(supporterCell, known);
      }
      if (known < 0) return false;
      supporter = known;
      lastSupporterCell = supporterCell;
      lastSupporter = supporter;
    }

    if (!hasText(cells[iName] ?? null)) return false;

    const id = cells[iId] ?? null;
    if (!plainCitizenId(id)) return false;
    // -1: twelve digits, and no earlier row has them (-2: not all digits; a row: a duplicate).
    if (firstRowById.probe(id) !== -1 || date.year - birthYearOf(id) < MIN_AGE) return false;

    if (!plainPhone(cells[iPhone] ?? null)) return false;

    const residenceCell = cells[iResidence] ?? null;
    let residence: number;
    if (residenceCell === null) residence = noResidence;
    else if (typeof residenceCell === "string") {
      const known = residences.get(residenceCell);
      if (known === undefined) {
        residence = out.textIndex(tidy(residenceCell));
        residences.set(residenceCell, residence);
      } else residence = known;
    } else return false;

    let ticks = 0;
    for (let k = 0; k < indicatorCount; k++) {
      const yes = boolCell(cells[iTicks[k]!] ?? null);
      if (yes === null) return false;
      if (yes) ticks |= 1 << k;
    }
    if (ticks === 0) return false;

    let provider = -1;
    const providerCell = cells[iProvider] ?? null;
    if (providerCell !== null) {
      if (typeof providerCell !== "string") return false;
      const known = providerByText.get(providerCell);
      // A spelling the full reader has not looked up yet: it does, fills the shared cache, and reports it if it
      // is none of the campaign's providers.
      if (known === undefined && !isBlankText(providerCell)) return false;
      if (known === null) return false;
      if (known !== undefined) {
        if (known !== lastProvider) {
          lastProvider = known;
          lastProviderIndex = out.textIndex(known);
        }
        provider = lastProviderIndex;
      }
    }

    firstRowById.addProbed(row);
    if (stamps !== null) {
      out.push(
        row,
        stampCell as number | null,
        date.index,
        supporter,
        residence,
        ticks,
        provider,
        id,
        idValue,
      );
    } else {
      out.pushStamped(
        row,
        stampText,
        enteredMs,
        date.index,
        supporter,
        residence,
        ticks,
        provider,
        id,
        idValue,
      );
    }
    return true;
  };
}
