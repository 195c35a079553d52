// `dondoc restore --unit ID --at TIME [--apply]`: rebuild a unit's entries as they were at TIME from the audit
// trail (app/restore.ts). Without --apply it only prints what would change.
import { describeRestore, restoreUnit } from "../../app/restore.ts";
import { DondocError } from "../../core/errors.ts";
import { COMMON_HELP, parseCommand, parseNow } from "../args.ts";
import { openContext } from "../context.ts";
import { requireUnit } from "./confirm.ts";

export const RESTORE_HELP = `dondoc restore — dựng lại dữ liệu của một đơn vị đúng như tại thời điểm --at, theo nhật ký thay đổi.
Không có --apply: chỉ in những gì sẽ thay đổi. Có --apply: ghi thay đổi (có nhật ký, lý do "restore to <TIME>", nên
có thể khôi phục ngược lại) và tạm dừng việc xóa dòng của đơn vị cho đến khi bảng tính được sửa lại khớp với dữ
liệu hoặc lãnh đạo chạy "dondoc confirm --unit ID".

Cách dùng: dondoc restore --unit ID --at TIME [--apply] [--campaign DIR] [--now TIME] [--data DIR]
  --unit ID        mã đơn vị (cột id trong units.csv)
  --at TIME        thời điểm cần trở về, ISO 8601; không có múi giờ = giờ Việt Nam
  --apply          thực hiện (mặc định chỉ xem trước)
${COMMON_HELP}`;

export async function restoreCommand(argv: string[], io: { out: NodeJS.WritableStream }) {
  const { common, values } = parseCommand(argv, {
    unit: { type: "string" },
    at: { type: "string" },
    apply: { type: "boolean" },
  });
  if (common.help) {
    io.out.write(`${RESTORE_HELP}\n`);
    return 0;
  }
  if (typeof values.at !== "string") {
    throw new DondocError(
      "bad-option",
      "Thiếu --at TIME (thời điểm cần khôi phục về, ví dụ 2025-08-04T13:00).",
    );
  }
  const at = parseNow(values.at);
  const ctx = await openContext(common);
  try {
    const unitId = requireUnit(ctx, values.unit);
    const apply = values.apply === true;
    const result = await restoreUnit({
      campaign: ctx.campaign,
      store: ctx.store,
      unitId,
      at,
      now: ctx.now,
      apply,
    });
    io.out.write(`${describeRestore(result, apply, ctx.campaign.timezone)}\n`);
    if (result.held) {
      io.out.write(
        `Đơn vị được tạm dừng xóa dòng: lần đồng bộ sau sẽ không xóa lại các dòng vừa khôi phục cho đến khi bảng tính được sửa hoặc có "dondoc confirm --unit ${unitId}".\n`,
      );
    }
    return 0;
  } finally {
    await ctx.close();
  }
}
