// A1 notation for the ranges dondoc sends: tab titles are Vietnamese with spaces ("Nhập liệu"), so they are
// always quoted; an unquoted title with a space or a letter-digit shape ("A1") would be misread by the API.

/** "'Nhập liệu'", with embedded apostrophes doubled as the API expects. */
export function quoteSheetTitle(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
}

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`column index ${index}`);
  let s = "";
  let n = index + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** "A" → 0, "AA" → 26; null for anything that is not 1–3 letters (RowIssue.column may be ""). */
export function columnIndex(letters: string): number | null {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return null;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The whole tab: the API answers with every filled cell, whatever the column count. */
export function wholeSheetRange(title: string): string {
  return quoteSheetTitle(title);
}
