// `dondoc run`: the whole cycle on the embedded default (or wherever the environment points the store).
import { join } from "node:path";
import { formatViDateTime, formatViNumber } from "../../core/format.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { openContext } from "../context.ts";
import { runCliCycle } from "../cycle.ts";
import { renderRanking } from "../table.ts";
import { runRemindersFor } from "./remind.ts";

export const RUN_HELP = `dondoc run — chạy trọn chu trình: đọc sổ nhập liệu của các đơn vị, kiểm tra, lưu, tổng hợp, xếp hạng,
xuất báo cáo (tong-hop.xlsx, standings.json, bao-cao.txt, bản chú thích units/*.xlsx) và gửi nhắc nhở đến hạn.

Cách dùng: dondoc run [--campaign DIR] [--now TIME] [--out DIR] [--data DIR] [--no-remind]
  --no-remind      không gửi nhắc nhở / bản tổng hợp sau hạn chốt
${COMMON_HELP}`;

export async function runCommand(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
) {
  const { common, values } = parseCommand(argv, { "no-remind": { type: "boolean" } });
  if (common.help) {
    io.out.write(`${RUN_HELP}\n`);
    return 0;
  }
  const ctx = await openContext(common);
  try {
    const { campaign, units } = ctx;
    io.err.write(
      `dondoc: ${campaign.title} — ${units.length} đơn vị; lưu trữ: ${ctx.storeKind}; thời điểm: ${formatViDateTime(ctx.now.toISOString())}\n`,
    );
    const result = await runCliCycle(ctx, common, io);
    io.out.write(`\n${campaign.title}\n${renderRanking(result.standings)}\n\n`);
    const errors = result.standings.issues.filter((i) => i.severity === "error").length;
    const warnings = result.standings.issues.length - errors;
    io.out.write(
      `Lỗi dữ liệu: ${formatViNumber(errors)} lỗi, ${formatViNumber(warnings)} cảnh báo (xem tab «Lỗi dữ liệu»).\n`,
    );
    io.out.write(`Firestore: đã ghi ${formatViNumber(result.written)} tài liệu.\n`);
    if (values["no-remind"] !== true) {
      const reminders = await runRemindersFor(ctx, join(common.out, "outbox"));
      io.out.write(`Nhắc nhở: đã gửi ${reminders.sent}, hoãn ${reminders.deferred}.\n`);
    }
    io.out.write(`Kết quả: ${join(common.out, "tong-hop.xlsx")}, standings.json, bao-cao.txt, units/\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
