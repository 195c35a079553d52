// `dondoc report`: print the drafted paragraph for the next official letter from what is stored.
import { standingsInstant } from "../../app/sync.ts";
import { draftReport } from "../../core/report.ts";
import { computeStandings } from "../../core/standings.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { type CliContext, openContext } from "../context.ts";

export const REPORT_HELP = `dondoc report — in đoạn văn dự thảo báo cáo (phong cách công văn) từ số liệu đã lưu,
tính đến thời điểm --now (mặc định: bây giờ). Không đọc lại sổ nhập liệu; chạy "dondoc run" trước.

Cách dùng: dondoc report [--campaign DIR] [--now TIME] [--data DIR]
${COMMON_HELP}`;

export async function standingsFromStore(ctx: CliContext, at: Date) {
  const { campaign, units, store } = ctx;
  const [entries, unitStates] = await Promise.all([
    store.loadCampaignEntries(campaign.id),
    store.loadUnitStates(campaign.id),
  ]);
  return computeStandings({
    campaign,
    units,
    entries,
    unitStates,
    issues: unitStates.flatMap((s) => s.issues),
    asOf: standingsInstant(campaign, at),
  });
}

export async function reportCommand(argv: string[], io: { out: NodeJS.WritableStream }) {
  const { common } = parseCommand(argv, {});
  if (common.help) {
    io.out.write(`${REPORT_HELP}\n`);
    return 0;
  }
  const ctx = await openContext(common);
  try {
    const { standings } = await standingsFromStore(ctx, ctx.now);
    io.out.write(`${draftReport(ctx.campaign, standings)}\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
