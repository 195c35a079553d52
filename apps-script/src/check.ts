// "Kiểm tra dữ liệu ngay": the server's own parser, bundled, run on the tab as it would be sent. Nothing is stored
// or sent, so a unit can check as often as it likes, even before its sheet is connected to the server.

import { formatViNumber } from "../../functions/src/core/format.ts";
import { parseSheet } from "../../functions/src/core/parse-sheet.ts";
import type { Campaign, RowIssue, Unit } from "../../schemas/index.ts";
import { annotate } from "./annotate.ts";
import { PROP } from "./config.ts";
import { filledRowCount, shapeGrid } from "./grid.ts";
import { INPUT_TAB, layoutOf } from "./layout.ts";
import type { Ports } from "./ports.ts";
import { formatClockDate } from "./stamp.ts";
import { headerBaseline, planTemplate } from "./template.ts";

export interface CheckResult {
  filledRows: number;
  validEntries: number;
  errors: number;
  warnings: number;
  cellsMarked: number;
  cellsCleared: number;
  sheetLevel: RowIssue[];
}

/**
 * parseSheet reads only the unit's id and name (for messages); the kind and e-mails the Unit type also carries
 * are not known in the sheet and do not affect validation.
 */
function localUnit(ports: Pick<Ports, "props">): Unit {
  const id = ports.props.get(PROP.unitId)?.trim() || "don-vi";
  const name = ports.props.get(PROP.unitName)?.trim() || "Đơn vị";
  return { id, name, kind: "agency", emails: [] };
}

export function checkNow(ports: Pick<Ports, "sheet" | "props" | "clock">, campaign: Campaign): CheckResult {
  const header = ports.sheet.readHeader();
  const layout = layoutOf(campaign, header);
  const grid = shapeGrid(ports.sheet.readGrid(), layout);
  const now = ports.clock.now();
  const parsed = parseSheet({
    campaign,
    unit: localUnit(ports),
    sheet: { unitId: localUnit(ports).id, source: INPUT_TAB, header: grid.header, rows: grid.rows },
    now,
    // Nothing leaves this function: the entries are counted and dropped, so the id itself is a collision-free key.
    hashId: (id) => id,
  });
  const checkedAt = formatClockDate(ports.clock.wall(now, campaign.timezone));
  const baseline = headerBaseline(planTemplate(campaign, { header: grid.header, rows: [] }));
  const marked = annotate(ports, parsed.issues, { rowIssueCol: layout.rowIssueCol, checkedAt, baseline });
  const errors = parsed.issues.filter((i) => i.severity === "error").length;
  return {
    filledRows: filledRowCount(grid),
    validEntries: parsed.entries.length,
    errors,
    warnings: parsed.issues.length - errors,
    cellsMarked: marked.marked,
    cellsCleared: marked.cleared,
    sheetLevel: marked.sheetLevel,
  };
}

/** The Vietnamese summary shown after a check. */
export function describeCheck(r: CheckResult): string {
  const lines: string[] = [];
  lines.push(
    `Số dòng đã nhập: ${formatViNumber(r.filledRows)}; số dòng hợp lệ: ${formatViNumber(r.validEntries)}.`,
  );
  if (r.errors === 0 && r.warnings === 0) {
    lines.push("Không phát hiện lỗi. Số liệu sẽ được gửi tự động sau khi sửa bảng.");
  } else {
    lines.push(
      `Có ${formatViNumber(r.errors)} lỗi và ${formatViNumber(r.warnings)} cảnh báo. Ô tô đỏ là lỗi (dòng đó chưa được tính), ô tô vàng là cảnh báo; di chuột hoặc chạm vào ô để đọc ghi chú hướng dẫn sửa.`,
    );
  }
  for (const issue of r.sheetLevel) lines.push(`• ${issue.message}`);
  if (r.cellsCleared > 0) lines.push(`Đã bỏ đánh dấu ${formatViNumber(r.cellsCleared)} ô đã sửa đúng.`);
  return lines.join("\n");
}
