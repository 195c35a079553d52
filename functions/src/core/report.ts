// The drafted paragraph for the next official letter, in the letters' own style (seed 000):
// "Từ ngày 17/02/2025 đến 16h00 ngày 23/02/2025, toàn thành phố đã thực hiện … cho 19.662 người dân. UBND thành
// phố biểu dương … Bên cạnh đó, Chủ tịch UBND thành phố phê bình …". Only unit names and figures: no personal data.
import type { Campaign, Standings, UnitStanding } from "../../../schemas/index.ts";
import { formatViClock, formatViDate, formatViNumber, formatViPercent } from "./format.ts";

export interface ReportWording {
  scope: string;
  praiseBy: string;
  criticiseBy: string;
  unitNoun: string;
}

// Longest first, so "thị xã" is not read as "thị" + "xã" and "thành phố" wins over nothing.
const LEVELS = ["thành phố", "thị trấn", "thị xã", "quận", "huyện", "phường", "tỉnh", "xã"];

/** The issuer's administrative level ("UBND thành phố Từ Sơn" → "thành phố"), or null when unrecognised. */
export function issuerLevel(issuer: string): string | null {
  const rest = issuer
    .normalize("NFC")
    .trim()
    .replace(/^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, "")
    .toLocaleLowerCase("vi");
  return LEVELS.find((l) => rest === l || rest.startsWith(`${l} `)) ?? null;
}

/** campaign.report, or wording derived from the issuer the way the letters write it. */
export function reportWording(c: Campaign): ReportWording {
  if (c.report) return { ...c.report, unitNoun: c.report.unitNoun ?? "trường hợp" };
  const level = issuerLevel(c.issuer);
  return {
    scope: level ? `toàn ${level}` : "toàn địa bàn",
    praiseBy: level ? `UBND ${level}` : c.issuer,
    criticiseBy: level ? `Chủ tịch UBND ${level}` : `Chủ tịch ${c.issuer}`,
    unitNoun: "trường hợp",
  };
}

// Words naming an administrative or school unit's kind, written lower-case mid-sentence ("phường Đình Bảng").
// Organisations' own names ("Hội Liên hiệp Phụ nữ", "Công an xã") keep their capitals, as the letters do.
const KIND_WORDS = [
  "Tổ dân phố",
  "Thành phố",
  "Thị trấn",
  "Thị xã",
  "Khu phố",
  "Phường",
  "Quận",
  "Huyện",
  "Thôn",
  "Xóm",
  "Bản",
  "Ấp",
  "Trường",
  "Xã",
].sort((a, b) => b.length - a.length);

/** "Phường Đình Bảng" → "phường Đình Bảng"; names that do not start with a kind word are unchanged. */
export function nameMidSentence(name: string): string {
  const n = name.normalize("NFC").trim();
  for (const word of KIND_WORDS) {
    if (n.startsWith(`${word} `)) return `${word.toLocaleLowerCase("vi")}${n.slice(word.length)}`;
  }
  return n;
}

/** The first letter lower-cased unless the word is an acronym or brand ("VNeID", "BHYT"). */
function lowerFirst(label: string): string {
  const [first = "", second = ""] = [...label];
  if (second && second === second.toLocaleUpperCase("vi") && second !== second.toLocaleLowerCase("vi"))
    return label;
  return first.toLocaleLowerCase("vi") + label.slice(first.length);
}

function figure(s: Standings, u: UnitStanding, noun: string): string {
  if (s.ranking.measure === "percent")
    return u.percent === null ? "chưa có chỉ tiêu" : `đạt ${formatViPercent(u.percent)} chỉ tiêu`;
  return `${formatViNumber(u.score)} ${noun}`;
}

function list(items: string[]): string {
  return items.join(", ");
}

const NOT_REPORTED_NAMED = 10;

/** The "to" time: a standings computed at a period's closing instant reads as the cutoff ("16h00"), not 15h59. */
export function reportedUntil(s: Standings): string {
  const asOf = Date.parse(s.asOf);
  const end = Date.parse(s.period.end);
  return asOf + 1 >= end ? s.period.end : s.asOf;
}

/** "ngày 17/02/2025" from a midnight period start, "16h00 ngày 23/02/2025" from a cutoff. */
function fromText(iso: string, zone: string): string {
  const clock = formatViClock(iso, zone);
  return clock === "00h00" ? `ngày ${formatViDate(iso, zone)}` : `${clock} ngày ${formatViDate(iso, zone)}`;
}

export function draftReport(c: Campaign, s: Standings): string {
  const zone = c.timezone;
  const w = reportWording(c);
  const key = s.ranking.indicator;
  const label = s.indicators.find((i) => i.key === key)?.label ?? key;
  const action = lowerFirst(label);
  const until = reportedUntil(s);
  const untilText = `${formatViClock(until, zone)} ngày ${formatViDate(until, zone)}`;
  const sentences: string[] = [];

  if (s.ranking.measure === "period") {
    const added = s.totals.periodCounts[key] ?? 0;
    sentences.push(
      `Từ ${fromText(s.period.start, zone)} đến ${untilText}, ${w.scope} đã thực hiện ${action} cho ${formatViNumber(added)} người dân.`,
    );
  } else {
    const total = s.totals.counts[key] ?? 0;
    sentences.push(
      `Tính đến ${untilText}, ${w.scope} đã thực hiện ${action} cho ${formatViNumber(total)} người dân.`,
    );
  }

  const target = s.totals.target;
  if (target !== null && target > 0) {
    const done = s.totals.counts[key] ?? 0;
    const percent = s.totals.percent ?? 0;
    sentences.push(
      done >= target
        ? `Lũy kế, ${w.scope} đã hoàn thành chỉ tiêu (${formatViNumber(done)}/${formatViNumber(target)} người, đạt ${formatViPercent(percent)}).`
        : `Lũy kế, ${w.scope} đạt ${formatViPercent(percent)} chỉ tiêu (${formatViNumber(done)}/${formatViNumber(target)} người), còn thiếu ${formatViNumber(target - done)} người.`,
    );
  }

  const named = (u: UnitStanding) => `${nameMidSentence(u.name)} (${figure(s, u, w.unitNoun)})`;
  const praised = s.units.filter((u) => u.band === "praise");
  const criticised = s.units.filter((u) => u.band === "criticise");
  if (praised.length > 0) {
    sentences.push(`${w.praiseBy} biểu dương các đơn vị tiêu biểu như ${list(praised.map(named))}.`);
  }
  if (criticised.length > 0) {
    sentences.push(
      `${praised.length > 0 ? "Bên cạnh đó, " : ""}${w.criticiseBy} phê bình một số đơn vị triển khai chưa hiệu quả như ${list(criticised.map(named))}.`,
    );
  }

  const silent = s.units.filter((u) => !u.reported);
  if (silent.length > 0) {
    const names = silent.slice(0, NOT_REPORTED_NAMED).map((u) => nameMidSentence(u.name));
    const more = silent.length - names.length;
    sentences.push(
      `Còn ${formatViNumber(silent.length)} đơn vị chưa báo cáo kết quả trong kỳ: ${list(names)}${more > 0 ? ` và ${formatViNumber(more)} đơn vị khác` : ""}.`,
    );
  }
  return sentences.map((x) => x.charAt(0).toLocaleUpperCase("vi") + x.slice(1)).join(" ");
}
