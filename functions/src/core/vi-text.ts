// Folding Vietnamese text for matching what a person typed against what we expect. Units type headers and
// choices by hand, on phones and laptops with different input methods (Telex/VNI produce NFC or NFD), so two
// spellings of "Số định danh" that look the same must compare equal.

const COMBINING_MARKS = /\p{M}/gu;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;
const PAREN_HINT = /\([^()]*\)/g;
const TRAILING_MARKERS = /[\s*:：]+$/u;

/** Removes diacritics (đ/Đ → d) without changing case; works on NFC and NFD input alike. */
export function stripDiacritics(s: string): string {
  return s.normalize("NFD").replace(COMBINING_MARKS, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}

/**
 * Folds text for comparison: diacritics removed, case-folded, whitespace collapsed and trimmed. Keeps
 * punctuation, so it suits choices ("Có", "VNPT") where "(...)" carries meaning.
 */
export function foldText(s: string): string {
  return stripDiacritics(s.replace(INVISIBLE, "")).toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * Folds a column header: as foldText, and also drops parenthesised hints ("Ngày hỗ trợ (dd/mm/yyyy)"), the
 * required-field markers a template may add ("Họ và tên *", "Ghi chú:") and spaces around "/" so that
 * "Thôn / Tổ dân phố" and "Thôn/Tổ dân phố" are the same header.
 */
export function foldLabel(s: string): string {
  let out = foldText(s);
  let previous: string;
  do {
    previous = out;
    out = out.replace(PAREN_HINT, " ").replace(/\s+/g, " ").trim().replace(TRAILING_MARKERS, "");
  } while (out !== previous);
  return out.replace(/\s*\/\s*/g, "/");
}

const BLANK = /^[\s\u200B-\u200D\u2060\uFEFF]*$/;

/** True when the value is empty or only whitespace (including NBSP and zero-width characters). */
export function isBlankText(s: string): boolean {
  // \s is exactly what trim() removes, so this is replace(INVISIBLE, "").trim() === "" without new strings.
  return BLANK.test(s);
}
