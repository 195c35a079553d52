// The reminder and digest e-mails, in Vietnamese, as a text part and an HTML part carrying the same content.
// Everything that came from a person (unit names, sheet headers, issue messages, sync problems) is escaped in HTML
// and passed through redactDigits: issue messages are written without personal data, but a unit name or a
// header a clerk typed could still hold an id or a phone, and a mail cannot be recalled.
import type { Campaign, RowIssue, Standings, Unit, UnitKind, UnitStanding } from "../../../schemas/index.ts";
import { DondocError } from "./errors.ts";
import {
  compareVi,
  formatDeadline,
  formatViDate,
  formatViDateTime,
  formatViNumber,
  formatViPercent,
} from "./format.ts";
import { campaignZone } from "./periods.ts";
import type { MailMessage } from "./ports.ts";
import type { PlannedDigest, PlannedReminder } from "./reminders.ts";
import { draftReport } from "./report.ts";
import { BAND_FILL } from "./summary.ts";
import { BAND_LABEL, KIND_LABEL, TREND_SYMBOL } from "./summary-build.ts";

/** Issues listed in one reminder; the rest are counted, the sheet itself shows them all. */
export const MAX_ISSUES_LISTED = 30;

/**
 * Masks any run of 9 or more digits, also when written with spaces, dots or dashes between groups
 * ("0912 345 678", "+84 912.345.678"), keeping the first three and last two digits the way masked ids are shown.
 * Stricter than format.ts's maskDigitRuns on purpose: mail leaves the system.
 */
export function redactDigits(text: string): string {
  return text.replace(/\+?\d(?:[ .-]?\d){8,}/g, (run) => {
    const digits = run.replace(/\D/g, "");
    return `${digits.slice(0, 3)}${"*".repeat(digits.length - 5)}${digits.slice(-2)}`;
  });
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** User-typed text as it may appear in a mail's text part. */
function safe(text: string): string {
  return redactDigits(text.normalize("NFC"));
}

/** User-typed text as it may appear in a mail's HTML part. */
function safeHtml(text: string): string {
  return escapeHtml(safe(text));
}

/** The place name the subject tag uses: "UBND xã Chợ Đồn" → "Chợ Đồn". */
export function subjectTag(c: Campaign): string {
  const name = c.issuer
    .normalize("NFC")
    .trim()
    .replace(/^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+/iu, "")
    .replace(/^(thành phố|thị trấn|thị xã|quận|huyện|phường|tỉnh|xã)\s+/iu, "");
  return name === "" ? c.issuer : name;
}

export function sheetUrl(unit: Unit): string | null {
  return unit.sheetId
    ? `https://docs.google.com/spreadsheets/d/${encodeURIComponent(unit.sheetId)}/edit`
    : null;
}

/** "14:00 thứ Hai, 04/08/2025", or "hết ngày 18/08/2025" for the campaign's closing midnight. */
export function deadlineText(cutoffIso: string, zone: string, final = false): string {
  if (final) {
    const lastDay = new Date(Date.parse(cutoffIso) - 1);
    return `hết ngày ${formatViDate(lastDay, zone)}`;
  }
  return formatDeadline(cutoffIso, zone);
}

function periodLabel(index: number): string {
  return `kỳ ${index + 1}`;
}

function indicatorLines(s: Standings, u: Pick<UnitStanding, "counts" | "periodCounts">): string[][] {
  return s.indicators.map((i) => [
    i.label,
    formatViNumber(u.periodCounts[i.key] ?? 0),
    formatViNumber(u.counts[i.key] ?? 0),
  ]);
}

/** "đạt 45,2% chỉ tiêu (45/100); tiến độ yêu cầu 60,0%", or the figure alone without a target. */
function progressText(s: Standings, u: UnitStanding): string {
  const done = u.counts[s.ranking.indicator] ?? 0;
  if (u.target === null || u.percent === null) {
    return `lũy kế ${formatViNumber(done)}, chưa có chỉ tiêu; tiến độ yêu cầu ${formatViPercent(u.pace)}`;
  }
  return `đạt ${formatViPercent(u.percent)} chỉ tiêu (${formatViNumber(done)}/${formatViNumber(u.target)}); tiến độ yêu cầu ${formatViPercent(u.pace)}`;
}

function scoreText(s: Standings, u: UnitStanding): string {
  if (s.ranking.measure === "percent") return u.percent === null ? "—" : formatViPercent(u.percent);
  return formatViNumber(u.score);
}

function issuePlace(i: RowIssue): string {
  const where: string[] = [];
  if (i.row > 0) where.push(`Dòng ${i.row}`);
  if (i.column !== "") where.push(`cột ${i.column}${i.header ? ` (${safe(i.header)})` : ""}`);
  return where.length > 0 ? where.join(", ") : "Toàn bảng";
}

const FOOTER =
  "Thư này được gửi tự động từ hệ thống theo dõi chiến dịch (dondoc); vui lòng không trả lời thư này.";

// Inline styles only: most mail clients drop <style> blocks.
const TABLE = 'style="border-collapse:collapse;margin:8px 0"';
const TH = 'style="border:1px solid #999;padding:4px 8px;background:#f2f2f2;text-align:left"';
const TD = 'style="border:1px solid #999;padding:4px 8px"';
const TDN = 'style="border:1px solid #999;padding:4px 8px;text-align:right"';

function htmlTable(
  headers: string[],
  rows: { cells: string[]; numeric?: boolean[]; fill?: string | null }[],
): string {
  const head = headers.map((h) => `<th ${TH}>${h}</th>`).join("");
  const body = rows
    .map((r) => {
      const bg = r.fill ? ` bgcolor="#${r.fill}"` : "";
      const cells = r.cells.map((c, i) => `<td ${r.numeric?.[i] ? TDN : TD}>${c}</td>`).join("");
      return `<tr${bg}>${cells}</tr>`;
    })
    .join("");
  return `<table ${TABLE}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function htmlDocument(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.45;color:#222">${body}<p style="color:#777;font-size:12px">${escapeHtml(FOOTER)}</p></body></html>`;
}

export interface ReminderMailContext {
  campaign: Campaign;
  unit: Unit;
  /** Standings as of the send time (the period the reminder is about). */
  standings: Standings;
  planned: PlannedReminder;
}

export function reminderMail(ctx: ReminderMailContext): MailMessage {
  const { campaign: c, unit, standings: s, planned: p } = ctx;
  const zone = campaignZone(c);
  const u = s.units.find((x) => x.id === unit.id);
  if (u === undefined) {
    throw new DondocError(
      "mail-unit-not-ranked",
      `Đơn vị ${unit.id} không có trong bảng xếp hạng lúc ${s.asOf}.`,
      {
        unitId: unit.id,
      },
    );
  }
  const deadline = deadlineText(p.cutoff, zone);
  const tag = subjectTag(c);
  const subject = p.notReported
    ? `[${tag}] Nhắc báo cáo trước ${deadline}`
    : `[${tag}] Nhắc sửa lỗi số liệu trước ${deadline}`;
  const name = safe(unit.name);
  const periodFrom = deadlineText(s.period.start, zone);
  const errors = s.issues
    .filter((i) => i.unitId === unit.id && i.severity === "error")
    .sort((a, b) => a.row - b.row || a.column.length - b.column.length || (a.column < b.column ? -1 : 1));
  const listed = errors.slice(0, MAX_ISSUES_LISTED);
  const link = sheetUrl(unit);
  const figures = indicatorLines(s, u);
  const progress = progressText(s, u);
  const asOf = formatViDateTime(s.asOf, zone);

  const reasons: string[] = [];
  if (p.notReported) {
    reasons.push(
      `Đơn vị chưa báo cáo trong ${periodLabel(p.periodIndex)} (từ ${periodFrom}): chưa có dòng mới hợp lệ và chưa xác nhận "không có số liệu mới".`,
    );
  }
  if (errors.length > 0)
    reasons.push(`Bảng nhập liệu của đơn vị còn ${formatViNumber(errors.length)} lỗi cần sửa.`);

  const text: string[] = [
    `Kính gửi: ${name},`,
    "",
    `${safe(c.issuer)} đề nghị đơn vị cập nhật số liệu ${safe(c.title)} trước ${deadline} (hạn chốt ${periodLabel(p.periodIndex)}).`,
    "",
    ...reasons.map((r) => `- ${r}`),
    "",
    `Số liệu của đơn vị (tính đến ${asOf}):`,
    ...figures.map(([label, period, total]) => `- ${safe(label!)}: trong kỳ ${period}; lũy kế ${total}`),
    `- Chỉ tiêu: ${progress}.`,
    `- Xếp hạng: ${u.rank}/${u.rankOf} (${BAND_LABEL[u.band]}).`,
  ];
  if (listed.length > 0) {
    text.push("", "Lỗi cần sửa:");
    for (const i of listed) text.push(`- ${issuePlace(i)}: ${safe(i.message)}`);
    if (errors.length > listed.length) {
      text.push(`- … và ${formatViNumber(errors.length - listed.length)} lỗi khác (xem ghi chú trên bảng).`);
    }
  }
  if (link) text.push("", `Bảng nhập liệu của đơn vị: ${link}`);
  text.push(
    "",
    "Nếu trong kỳ không có trường hợp mới, đề nghị đơn vị xác nhận đã báo cáo (không có số liệu mới) để không bị tính là chưa báo cáo.",
    "",
    "--",
    FOOTER,
  );

  const h: string[] = [
    `<p>Kính gửi: <b>${escapeHtml(name)}</b>,</p>`,
    `<p>${safeHtml(c.issuer)} đề nghị đơn vị cập nhật số liệu ${safeHtml(c.title)} trước <b>${escapeHtml(deadline)}</b> (hạn chốt ${periodLabel(p.periodIndex)}).</p>`,
  ];
  if (reasons.length > 0) h.push(`<ul>${reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul>`);
  h.push(
    `<p>Số liệu của đơn vị (tính đến ${escapeHtml(asOf)}):</p>`,
    htmlTable(
      ["Chỉ số", "Trong kỳ", "Lũy kế"],
      figures.map(([label, period, total]) => ({
        cells: [safeHtml(label!), period!, total!],
        numeric: [false, true, true],
      })),
    ),
    `<p>Chỉ tiêu: ${escapeHtml(progress)}.<br>Xếp hạng: ${u.rank}/${u.rankOf} (${escapeHtml(BAND_LABEL[u.band])}).</p>`,
  );
  if (listed.length > 0) {
    h.push(
      "<p><b>Lỗi cần sửa:</b></p>",
      htmlTable(
        ["Vị trí", "Lỗi"],
        listed.map((i) => ({ cells: [escapeHtml(issuePlace(i)), safeHtml(i.message)] })),
      ),
    );
    if (errors.length > listed.length) {
      h.push(
        `<p>… và ${formatViNumber(errors.length - listed.length)} lỗi khác (xem ghi chú trên bảng).</p>`,
      );
    }
  }
  if (link) h.push(`<p>Bảng nhập liệu của đơn vị: <a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`);
  h.push(
    "<p>Nếu trong kỳ không có trường hợp mới, đề nghị đơn vị xác nhận đã báo cáo (không có số liệu mới) để không bị tính là chưa báo cáo.</p>",
  );

  return {
    to: p.to,
    subject,
    text: `${text.join("\n")}\n`,
    html: htmlDocument(escapeHtml(subject), h.join("")),
    messageId: p.messageId,
    fromName: c.issuer,
  };
}

export interface DigestMailContext {
  campaign: Campaign;
  units: Unit[];
  planned: PlannedDigest;
  /** Standings at the closing instant of the period the digest is about (periods.ts closingInstant). */
  closed: Standings;
  /**
   * Standings at the closing instant of the period before it, for "missing two periods in a row"; null for the
   * first period (nobody can have missed two yet).
   */
  previous: Standings | null;
}

interface NamedLine {
  name: string;
  detail: string;
}

/** Units that did not report in both the closed period and the one before it. */
export function missedTwoInARow(closed: Standings, previous: Standings | null): UnitStanding[] {
  if (previous === null) return [];
  const before = new Map(previous.units.map((u) => [u.id, u.reported]));
  return closed.units.filter((u) => !u.reported && before.get(u.id) === false);
}

export function digestMail(ctx: DigestMailContext): MailMessage {
  const { campaign: c, closed: s, planned: p } = ctx;
  const zone = campaignZone(c);
  if (s.period.index !== p.periodIndex) {
    throw new DondocError(
      "digest-standings-period",
      `Số liệu của kỳ ${s.period.index + 1} không dùng được cho bản tổng hợp kỳ ${p.periodIndex + 1}.`,
      { standingsPeriod: s.period.index, period: p.periodIndex },
    );
  }
  const deadline = deadlineText(p.cutoff, zone, p.final);
  const tag = subjectTag(c);
  const subject = p.final
    ? `[${tag}] Tổng hợp kết quả cuối chiến dịch (${deadline})`
    : `[${tag}] Tổng hợp ${periodLabel(p.periodIndex)}, hạn ${deadline}`;
  const unitsById = new Map(ctx.units.map((u) => [u.id, u]));
  const byName = (a: UnitStanding, b: UnitStanding) => compareVi(a.name, b.name);

  const notReported = s.units.filter((u) => !u.reported).sort(byName);
  const late = s.units.filter((u) => u.late > 0).sort(byName);
  const twice = missedTwoInARow(s, ctx.previous).sort(byName);
  const held = s.units.filter((u) => u.syncProblem !== null).sort(byName);
  const withErrors = s.units.filter((u) => u.errors > 0).sort(byName);
  const unreachable = s.units
    .filter((u) => (!u.reported || u.errors > 0) && (unitsById.get(u.id)?.emails.length ?? 0) === 0)
    .sort(byName);
  const praised = s.units.filter((u) => u.band === "praise");
  const criticised = s.units.filter((u) => u.band === "criticise");
  const report = safe(draftReport(c, s));
  const from = deadlineText(s.period.start, zone);
  const total = s.totals;
  const key = s.ranking.indicator;
  const totalLine =
    total.target !== null && total.percent !== null
      ? `Lũy kế ${formatViNumber(total.counts[key] ?? 0)}/${formatViNumber(total.target)}, đạt ${formatViPercent(total.percent)} chỉ tiêu; tiến độ yêu cầu ${formatViPercent(total.pace)}.`
      : `Lũy kế ${formatViNumber(total.counts[key] ?? 0)}; tiến độ yêu cầu ${formatViPercent(total.pace)}.`;
  const reportedLine = `Đơn vị đã báo cáo trong kỳ: ${formatViNumber(total.reported)}/${formatViNumber(total.units)}.`;

  const sections: { title: string; lines: NamedLine[] }[] = [
    {
      title: "Đơn vị được biểu dương",
      lines: praised.map((u) => ({ name: u.name, detail: scoreText(s, u) })),
    },
    {
      title: "Đơn vị bị phê bình",
      lines: criticised.map((u) => ({ name: u.name, detail: scoreText(s, u) })),
    },
    {
      title: `Đơn vị chưa báo cáo ${periodLabel(p.periodIndex)}`,
      lines: notReported.map((u) => ({ name: u.name, detail: KIND_LABEL[u.kind] })),
    },
    {
      title: "Đơn vị chưa báo cáo hai kỳ liên tiếp",
      lines: twice.map((u) => ({ name: u.name, detail: KIND_LABEL[u.kind] })),
    },
    {
      title: "Đơn vị có dòng nhập muộn (sau hạn chốt của kỳ đó)",
      lines: late.map((u) => ({ name: u.name, detail: `${formatViNumber(u.late)} dòng nhập muộn` })),
    },
    {
      title: "Đơn vị còn lỗi dữ liệu",
      lines: withErrors.map((u) => ({ name: u.name, detail: `${formatViNumber(u.errors)} lỗi` })),
    },
    {
      title: "Đơn vị bị tạm dừng đồng bộ",
      lines: held.map((u) => ({ name: u.name, detail: u.syncProblem ?? "" })),
    },
    {
      title: "Đơn vị chưa có địa chỉ e-mail nhận nhắc nhở",
      lines: unreachable.map((u) => ({ name: u.name, detail: KIND_LABEL[u.kind] })),
    },
  ];

  const rankingRows = s.units.map((u) => ({
    u,
    cells: [
      String(u.rank),
      u.name,
      KIND_LABEL[u.kind],
      formatViNumber(u.periodCounts[key] ?? 0),
      formatViNumber(u.counts[key] ?? 0),
      u.target === null ? "—" : formatViNumber(u.target),
      u.percent === null ? "—" : formatViPercent(u.percent),
      BAND_LABEL[u.band],
      TREND_SYMBOL[u.trend],
      u.reported ? "Đã báo cáo" : "Chưa báo cáo",
    ],
  }));
  // Ranks are within a kind of unit (a school is not ranked against a village), so each kind is its own table.
  const byKind = new Map<UnitKind, typeof rankingRows>();
  for (const row of rankingRows) byKind.set(row.u.kind, [...(byKind.get(row.u.kind) ?? []), row]);
  const rankingHeaders = [
    "Hạng",
    "Đơn vị",
    "Loại",
    "Trong kỳ",
    "Lũy kế",
    "Chỉ tiêu",
    "Tỷ lệ",
    "Xếp loại",
    "Xu hướng",
    "Báo cáo",
  ];
  const indicatorRows = indicatorLines(s, total);
  const heading = `Tổng hợp ${periodLabel(p.periodIndex)}: từ ${from} đến ${deadline}`;

  const text: string[] = [
    `${safe(c.issuer)} — ${safe(c.title)}`,
    heading,
    "",
    "TỔNG SỐ",
    ...indicatorRows.map(([label, period, cum]) => `- ${safe(label!)}: trong kỳ ${period}; lũy kế ${cum}`),
    `- ${totalLine}`,
    `- ${reportedLine}`,
    "",
    "XẾP HẠNG (trong từng loại đơn vị)",
  ];
  for (const [kind, rows] of byKind) {
    text.push(`${KIND_LABEL[kind]}:`);
    for (const { cells } of rows) {
      const [rank, name, , period, cum, target, percent, band, trend, reported] = cells;
      text.push(
        `  ${rank}. ${safe(name!)}: trong kỳ ${period}, lũy kế ${cum}/${target} (${percent}) — ${band} ${trend} — ${reported}`,
      );
    }
  }
  for (const sec of sections) {
    text.push("", `${sec.title.toUpperCase()} (${sec.lines.length})`);
    if (sec.lines.length === 0) text.push("- Không có.");
    for (const l of sec.lines) text.push(`- ${safe(l.name)}${l.detail ? `: ${safe(l.detail)}` : ""}`);
  }
  text.push("", "DỰ THẢO NỘI DUNG BÁO CÁO", report, "", "--", FOOTER);

  const h: string[] = [
    `<p><b>${safeHtml(c.issuer)}</b> — ${safeHtml(c.title)}<br>${escapeHtml(heading)}</p>`,
    "<h3>Tổng số</h3>",
    htmlTable(
      ["Chỉ số", "Trong kỳ", "Lũy kế"],
      indicatorRows.map(([label, period, cum]) => ({
        cells: [safeHtml(label!), period!, cum!],
        numeric: [false, true, true],
      })),
    ),
    `<p>${escapeHtml(totalLine)}<br>${escapeHtml(reportedLine)}</p>`,
    "<h3>Xếp hạng (trong từng loại đơn vị)</h3>",
  ];
  for (const [kind, rows] of byKind) {
    h.push(
      `<p><b>${escapeHtml(KIND_LABEL[kind])}</b></p>`,
      htmlTable(
        rankingHeaders,
        rows.map(({ u, cells }) => ({
          cells: cells.map((x) => safeHtml(x)),
          numeric: [true, false, false, true, true, true, true, false, false, false],
          fill: BAND_FILL[u.band],
        })),
      ),
    );
  }
  for (const sec of sections) {
    h.push(`<h3>${escapeHtml(sec.title)} (${sec.lines.length})</h3>`);
    h.push(
      sec.lines.length === 0
        ? "<p>Không có.</p>"
        : `<ul>${sec.lines.map((l) => `<li>${safeHtml(l.name)}${l.detail ? `: ${safeHtml(l.detail)}` : ""}</li>`).join("")}</ul>`,
    );
  }
  h.push("<h3>Dự thảo nội dung báo cáo</h3>", `<blockquote>${escapeHtml(report)}</blockquote>`);

  return {
    to: p.to,
    subject,
    text: `${text.join("\n")}\n`,
    html: htmlDocument(escapeHtml(subject), h.join("")),
    messageId: p.messageId,
    fromName: c.issuer,
  };
}
