// `dondoc report`: print the drafted paragraph for the next official letter from what is stored.

import { standingsFromStore } from "../../app/remind.ts";
import { standingsInstant } from "../../app/sync.ts";
import { draftReport } from "../../core/report.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { openContext } from "../context.ts";

export const REPORT_HELP = `dondoc report — in đoạn văn dự thảo báo cáo (phong cách công văn) từ số liệu đã lưu,
tính đến thời điểm --now (mặc định: bây giờ). Không đọc lại sổ nhập liệu; chạy "dondoc run" trước.

Cách dùng: dondoc report [--campaign DIR] [--now TIME] [--data DIR]
${COMMON_HELP}`;

export async function reportCommand(argv: string[], io: { out: NodeJS.WritableStream }) {
  const { common } = parseCommand(argv, {});
  if (common.help) {
    io.out.write(`${REPORT_HELP}\n`);
    return 0;
  }
  const ctx = await openContext(common);
  try {
    const states = await ctx.store.loadUnitStates(ctx.campaign.id);
    const at = standingsFromStore(ctx.store, ctx.campaign, ctx.units, states);
    const standings = await at(standingsInstant(ctx.campaign, ctx.now));
    io.out.write(`${draftReport(ctx.campaign, standings)}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
