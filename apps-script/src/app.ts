// What each global function does, over the ports. index.ts only exposes these to Apps Script and catches at the
// edge; everything here runs the same in Node (tests) and in the script.

import { DondocError } from "../../functions/src/core/errors.ts";
import { formatViNumber } from "../../functions/src/core/format.ts";
import { checkNow, describeCheck } from "./check.ts";
import { type BuildConfig, resolveCampaign, type UnitCredentials, unitCredentials } from "./config.ts";
import { confirmNothingNew } from "./confirm.ts";
import { guidePage, HELP_TITLE } from "./help.ts";
import { INPUT_TAB, layoutOf } from "./layout.ts";
import { HANDLERS, installMenu } from "./menu.ts";
import type { Ports, Ui } from "./ports.ts";
import { type FlushOutcome, flush, LOCK_WAIT_MS, type PushContext, recordEdit, withLock } from "./push.ts";
import { formatClockDate, stampRows } from "./stamp.ts";
import { planTemplate } from "./template.ts";

export const APP_TITLE = "Dondoc";

function requireUi(ports: Pick<Ports, "ui">): Ui {
  if (ports.ui === null)
    throw new DondocError("no-ui", "This action needs the spreadsheet's user interface.");
  return ports.ui;
}

function credentialsOrNull(ports: Ports, build: BuildConfig | null): UnitCredentials | null {
  try {
    return unitCredentials(ports.props, build);
  } catch (err) {
    if (
      err instanceof DondocError &&
      (err.code === "unit-not-provisioned" || err.code === "ingest-url-missing")
    )
      return null;
    throw err;
  }
}

export function onOpen(ports: Pick<Ports, "ui">): void {
  installMenu(requireUi(ports));
}

export function setup(ports: Ports, build: BuildConfig | null): string {
  const campaign = resolveCampaign(ports.props, build);
  const done = withLock(ports, LOCK_WAIT_MS, () => {
    const current = ports.sheet.hasInputTab() ? ports.sheet.readGrid() : { header: [], rows: [] };
    const before = layoutOf(campaign, current.header);
    const plan = planTemplate(campaign, current);
    ports.sheet.applyTemplate(plan);
    const added = plan.columns.filter((c) => !before.match.index.has(c.key)).map((c) => c.label);
    return { plan, added, hadTab: current.header.length > 0 };
  });
  if (done === null) throw new DondocError("busy", "Bảng đang được xử lý; vui lòng thử lại sau ít phút.");
  const triggerCreated = ports.triggers.ensureEditTrigger(HANDLERS.edit);
  const { plan, added, hadTab } = done.value;
  const lines = [
    hadTab
      ? `Đã sửa trang "${INPUT_TAB}" theo mẫu (${plan.columns.length} cột; dữ liệu đã nhập được giữ nguyên).`
      : `Đã tạo trang "${INPUT_TAB}" với ${plan.columns.length} cột.`,
  ];
  if (hadTab && added.length > 0) lines.push(`Đã thêm các cột còn thiếu ở cuối bảng: ${added.join(", ")}.`);
  if (plan.rewrites.length > 0)
    lines.push(`Đã chuyển ${formatViNumber(plan.rewrites.length)} ô Có/Không sang ô đánh dấu (checkbox).`);
  lines.push(
    triggerCreated
      ? "Đã bật tự ghi thời điểm nhập và tự gửi số liệu khi sửa bảng."
      : "Tự ghi thời điểm nhập và tự gửi số liệu đã được bật từ trước.",
  );
  if (credentialsOrNull(ports, build) === null)
    lines.push(
      "Lưu ý: bảng tính chưa được cấp mã đơn vị nên chưa gửi được số liệu; vẫn có thể nhập và kiểm tra.",
    );
  return lines.join("\n");
}

export function check(ports: Ports, build: BuildConfig | null): string {
  const campaign = resolveCampaign(ports.props, build);
  if (!ports.sheet.hasInputTab())
    return `Chưa có trang "${INPUT_TAB}". Chọn menu Dondoc → Thiết lập / sửa bảng nhập liệu.`;
  return describeCheck(checkNow(ports, campaign));
}

function pushContext(ports: Ports, build: BuildConfig | null): PushContext {
  return { ports, campaign: resolveCampaign(ports.props, build), creds: unitCredentials(ports.props, build) };
}

/** The Vietnamese account of a flush, for alerts. */
export function describeFlush(outcome: FlushOutcome, zone: string, wall: Ports["clock"]["wall"]): string {
  switch (outcome.kind) {
    case "nothing-pending":
      return "Không có thay đổi nào đang chờ gửi.";
    case "busy":
      return outcome.message;
    case "sent": {
      const p = outcome.push;
      const head = `Đã gửi số liệu lúc ${formatClockDate(wall(new Date(p.at), zone))}.`;
      const issues =
        p.errors + p.warnings === 0
          ? "Máy chủ không phát hiện lỗi."
          : `Máy chủ phát hiện ${formatViNumber(p.errors)} lỗi và ${formatViNumber(p.warnings)} cảnh báo, đã đánh dấu trên các ô (đỏ: lỗi, vàng: cảnh báo).`;
      return [head, p.message, issues].filter((s) => s !== "").join("\n");
    }
    case "failed": {
      const p = outcome.push;
      const retry =
        p.retryAt === null
          ? ""
          : `\nHệ thống sẽ tự gửi lại lúc ${formatClockDate(wall(new Date(p.retryAt), zone))}.`;
      return `Chưa gửi được số liệu. ${p.message}${retry}`;
    }
  }
}

export function sendNow(ports: Ports, build: BuildConfig | null): string {
  const ctx = pushContext(ports, build);
  return describeFlush(flush(ctx, { force: true }), ctx.campaign.timezone, ports.clock.wall);
}

export function confirm(ports: Ports, build: BuildConfig | null): string | null {
  const ctx = pushContext(ports, build);
  const outcome = confirmNothingNew(ctx, requireUi(ports));
  return outcome === null ? null : describeFlush(outcome, ctx.campaign.timezone, ports.clock.wall);
}

export function help(ports: Ports, build: BuildConfig | null): void {
  const markdown = build?.guideMarkdown ?? "";
  if (markdown === "") throw new DondocError("guide-missing", "Bản đóng gói này không kèm hướng dẫn.");
  requireUi(ports).showSidebar(HELP_TITLE, guidePage(markdown));
}

export interface EditedRange {
  tabName: string;
  firstRow: number;
  lastRow: number;
}

/**
 * On every edit: stamp newly filled rows and queue them for the next push. Stamping happens even when the lock
 * is busy (it only fills empty stamp cells, so a race costs nothing); the queue needs the lock.
 */
export function edited(ports: Ports, build: BuildConfig | null, range: EditedRange): void {
  if (range.tabName !== INPUT_TAB || range.lastRow < 2) return;
  const campaign = resolveCampaign(ports.props, build);
  const creds = credentialsOrNull(ports, build);
  const done = withLock(ports, LOCK_WAIT_MS, () => {
    stampRows({ sheet: ports.sheet, clock: ports.clock, campaign }, range.firstRow, range.lastRow);
    if (creds !== null) recordEdit(ports, range.firstRow, range.lastRow);
  });
  if (done === null) {
    stampRows({ sheet: ports.sheet, clock: ports.clock, campaign }, range.firstRow, range.lastRow);
    throw new DondocError("lock-timeout", "Bảng đang bận; các dòng vừa sửa sẽ được gửi ở lần sửa sau.", {
      firstRow: range.firstRow,
      lastRow: range.lastRow,
    });
  }
}

export function flushFromTrigger(
  ports: Ports,
  build: BuildConfig | null,
  triggerId: string | undefined,
): FlushOutcome {
  const ctx = pushContext(ports, build);
  return flush(ctx, triggerId === undefined ? { force: false } : { force: false, triggerId });
}
