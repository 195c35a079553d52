// "Xác nhận: kỳ này không có số liệu mới": an explicit report for a period with nothing to add, so the unit is
// counted as reported rather than listed under "Chưa báo cáo". It carries the whole tab like any push, because
// the server re-reads the sheet with every request.
import type { Ui } from "./ports.ts";
import { type FlushOutcome, flush, type PushContext } from "./push.ts";

export const CONFIRM_TITLE = "Xác nhận kỳ này không có số liệu mới";
export const CONFIRM_QUESTION =
  "Đơn vị xác nhận trong kỳ báo cáo này không có trường hợp mới nào cần ghi thêm?\n\nChỉ xác nhận khi đã nhập đủ mọi trường hợp đã hỗ trợ. Nếu sau đó có trường hợp mới, cứ nhập vào bảng như bình thường.";

/** Asks first; null when the unit answered no. */
export function confirmNothingNew(ctx: PushContext, ui: Pick<Ui, "confirm">): FlushOutcome | null {
  if (!ui.confirm(CONFIRM_TITLE, CONFIRM_QUESTION)) return null;
  return flush(ctx, { force: true, confirmNothingNew: true });
}
