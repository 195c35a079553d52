// The two small grammars the fake must read the way Google does: A1 ranges and field masks.
// Written independently of functions/src/adapters/google/a1.ts on purpose: the fake is the referee of the
// adapters, so a shared bug would pass unnoticed.

export class A1Error extends Error {}

export interface ParsedRange {
  /** Tab title, unquoted; null when the range names no tab (then the first tab is meant). */
  sheet: string | null;
  /** 0-based, end exclusive; null means unbounded on that side. */
  startRow: number | null;
  endRow: number | null;
  startCol: number | null;
  endCol: number | null;
}

function colIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function colLetters(index: number): string {
  let s = "";
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

interface Ref {
  col: number | null;
  row: number | null;
}

// Sheets' columns stop at ZZZ (18,278) and rows at 10 million cells' worth; anything longer is not a reference.
const REF = /^\$?([A-Za-z]{1,3})?\$?([1-9][0-9]{0,6})?$/;

function parseRef(s: string): Ref | null {
  const m = REF.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  return {
    col: m[1] === undefined ? null : colIndex(m[1]),
    row: m[2] === undefined ? null : Number(m[2]) - 1,
  };
}

/** Splits "'It''s'!A1:B2" into its tab title and cell part; a bare word is a tab title if it is not a reference. */
function splitSheet(range: string): { sheet: string | null; cells: string | null } {
  if (range.startsWith("'")) {
    let i = 1;
    let title = "";
    for (;;) {
      if (i >= range.length) throw new A1Error(range);
      const ch = range[i]!;
      if (ch === "'") {
        if (range[i + 1] === "'") {
          title += "'";
          i += 2;
          continue;
        }
        break;
      }
      title += ch;
      i++;
    }
    const rest = range.slice(i + 1);
    if (rest === "") return { sheet: title, cells: null };
    if (!rest.startsWith("!")) throw new A1Error(range);
    return { sheet: title, cells: rest.slice(1) };
  }
  const bang = range.lastIndexOf("!");
  if (bang >= 0) return { sheet: range.slice(0, bang), cells: range.slice(bang + 1) };
  return { sheet: null, cells: range };
}

/**
 * Parses an A1 range the way the Sheets API accepts it: "Tab", "'Tab name'!A1:C", "A:A", "2:5", "B3".
 * `knownTitles` lets a bare word that is not a cell reference be read as a tab title ("Sheet1").
 */
export function parseA1(range: string, knownTitles: readonly string[] = []): ParsedRange {
  if (range.trim() === "") throw new A1Error(range);
  const { sheet, cells } = splitSheet(range);
  if (cells === null) return { sheet, startRow: null, endRow: null, startCol: null, endCol: null };
  if (sheet === null && knownTitles.includes(cells)) {
    return { sheet: cells, startRow: null, endRow: null, startCol: null, endCol: null };
  }
  const parts = cells.split(":");
  const a = parts.length <= 2 ? parseRef(parts[0] ?? "") : null;
  const b = parts.length === 2 ? parseRef(parts[1] ?? "") : a;
  const kind = (r: Ref): string => (r.col !== null ? "c" : "") + (r.row !== null ? "r" : "");
  const shape = a && b ? `${kind(a)}-${kind(b)}` : "";
  // The shapes Sheets accepts: B3, B3:D9, B:D, 3:9, and B3:D (rows open below).
  const single = parts.length === 1 && shape === "cr-cr";
  const pair = parts.length === 2 && ["cr-cr", "c-c", "r-r", "cr-c"].includes(shape);
  if (!a || !b || !(single || pair)) {
    if (sheet === null) return bareTitle(cells, range);
    throw new A1Error(range);
  }
  const [c0, c1] = order(a.col, b.col);
  const [r0, r1] = order(a.row, b.row);
  return {
    sheet,
    startRow: r0,
    endRow: r1 === null ? null : r1 + 1,
    startCol: c0,
    endCol: c1 === null ? null : c1 + 1,
  };
}

/** "C5:A1" means A1:C5, as in the Sheets UI. */
function order(x: number | null, y: number | null): [number | null, number | null] {
  if (x !== null && y !== null && y < x) return [y, x];
  return [x, y];
}

function bareTitle(cells: string, original: string): ParsedRange {
  // A bare word that is not a reference can only be a tab title; unknown ones are reported by the caller.
  if (/[!:']/.test(cells)) throw new A1Error(original);
  return { sheet: cells, startRow: null, endRow: null, startCol: null, endCol: null };
}

/** A title the way the API writes it back in `range` answers: quoted unless it is plain ASCII letters/digits. */
export function quoteTitle(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !REF.test(title)
    ? title
    : `'${title.replaceAll("'", "''")}'`;
}

// ---------------------------------------------------------------------------------------------------------
// Field masks: "files(id,modifiedTime),nextPageToken", "sheets/properties/title",
// "userEnteredFormat(backgroundColor,textFormat.bold)", "*".

export type MaskTree = Map<string, MaskTree | true>;

export class MaskError extends Error {}

export function parseMask(mask: string): MaskTree | "*" {
  const text = mask.replaceAll(/\s+/g, "");
  if (text === "*") return "*";
  let pos = 0;
  function list(): MaskTree {
    const tree: MaskTree = new Map();
    for (;;) {
      path(tree);
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      return tree;
    }
  }
  function path(into: MaskTree): void {
    const m = /^[A-Za-z_@*][A-Za-z0-9_@]*/.exec(text.slice(pos));
    if (!m) throw new MaskError(mask);
    const name = m[0];
    pos += name.length;
    const sep = text[pos];
    if (sep === "." || sep === "/") {
      pos++;
      const child = subtree(into, name);
      path(child);
      return;
    }
    if (sep === "(") {
      pos++;
      const inner = list();
      if (text[pos] !== ")") throw new MaskError(mask);
      pos++;
      const child = subtree(into, name);
      for (const [k, v] of inner) merge(child, k, v);
      return;
    }
    into.set(name, true);
  }
  function subtree(into: MaskTree, name: string): MaskTree {
    const existing = into.get(name);
    if (existing === true) return new Map(); // the whole field is already selected
    if (existing) return existing;
    const created: MaskTree = new Map();
    into.set(name, created);
    return created;
  }
  function merge(into: MaskTree, key: string, value: MaskTree | true): void {
    const existing = into.get(key);
    if (existing === true || value === true || existing === undefined) {
      into.set(key, existing === true || value === true ? true : value);
      return;
    }
    for (const [k, v] of value) merge(existing, k, v);
  }
  if (text === "") throw new MaskError(mask);
  const tree = list();
  if (pos !== text.length) throw new MaskError(mask);
  return tree;
}

/** Keeps only the masked fields of a response object (arrays are masked element by element). */
export function pickFields(value: unknown, mask: MaskTree | "*"): unknown {
  if (mask === "*") return value;
  if (Array.isArray(value)) return value.map((v) => pickFields(v, mask));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  const obj = value as Record<string, unknown>;
  for (const [key, sub] of mask) {
    if (key === "*") return value;
    if (!(key in obj)) continue;
    out[key] = sub === true ? obj[key] : pickFields(obj[key], sub);
  }
  return out;
}

/**
 * Applies an update request's `fields` mask: every masked path takes the source's value, or is removed when
 * the source lacks it (that is how "clear a note" is written: mask "note", no note in the cell).
 */
export function applyMask(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  mask: MaskTree | "*",
): void {
  if (mask === "*") {
    for (const k of Object.keys(target)) delete target[k];
    Object.assign(target, structuredClone(source));
    return;
  }
  for (const [key, sub] of mask) {
    const from = source[key];
    if (
      sub === true ||
      from === undefined ||
      typeof from !== "object" ||
      from === null ||
      Array.isArray(from)
    ) {
      if (sub !== true && (from === undefined || from === null)) {
        // A nested mask with no source object clears only the masked leaves.
        const existing = target[key];
        if (existing && typeof existing === "object") {
          applyMask(existing as Record<string, unknown>, {}, sub);
          if (Object.keys(existing).length === 0) delete target[key];
        }
        continue;
      }
      if (from === undefined) delete target[key];
      else target[key] = structuredClone(from);
      continue;
    }
    const existing = target[key];
    const into =
      existing && typeof existing === "object" && !Array.isArray(existing)
        ? (existing as Record<string, unknown>)
        : {};
    applyMask(into, from as Record<string, unknown>, sub);
    if (Object.keys(into).length > 0) target[key] = into;
    else delete target[key];
  }
}
