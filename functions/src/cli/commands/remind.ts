// `dondoc remind`: only the reminder/digest step — what is due at --now (or the clock), sent once.
import { resolve } from "node:path";
import { mailerFromConfig } from "../../adapters/mail/config.ts";
import { type ReminderStepResult, remindAt } from "../../app/remind.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { type CliContext, openContext } from "../context.ts";

export const REMIND_HELP = `dondoc remind — gửi nhắc nhở đến hạn trước mỗi hạn chốt (cho đơn vị chưa báo cáo hoặc còn lỗi) và
bản tổng hợp cho lãnh đạo sau hạn chốt. Mỗi thư chỉ gửi một lần (sổ ghi gửi thư trong Firestore).

Mặc định thư được ghi thành tệp .eml trong <out>/outbox. Gửi thật qua SMTP hoặc Gmail API bằng biến môi trường
DONDOC_MAIL_TRANSPORT=smtp|gmail (xem README).

Cách dùng: dondoc remind [--campaign DIR] [--now TIME] [--out DIR] [--data DIR]
${COMMON_HELP}`;

/** The step on the embedded default: the outbox under <out>/outbox unless the environment names a transport. */
export async function runRemindersFor(ctx: CliContext, outboxDir: string): Promise<ReminderStepResult> {
  const mailer = mailerFromConfig(process.env, {
    outboxDir: resolve(outboxDir),
    clock: { now: () => ctx.now },
  });
  try {
    return await remindAt({
      store: ctx.store,
      mailer,
      campaign: ctx.campaign,
      units: ctx.units,
      now: ctx.now,
    });
  } finally {
    await mailer.close();
  }
}

export async function remindCommand(argv: string[], io: { out: NodeJS.WritableStream }) {
  const { common } = parseCommand(argv, {});
  if (common.help) {
    io.out.write(`${REMIND_HELP}\n`);
    return 0;
  }
  const ctx = await openContext(common);
  try {
    const result = await runRemindersFor(ctx, `${common.out}/outbox`);
    for (const d of result.details) {
      if (
        d.outcome === "sent" ||
        d.outcome === "resent" ||
        d.outcome === "failed" ||
        d.outcome === "deferred"
      ) {
        io.out.write(`  ${d.outcome.padEnd(8)} ${d.ledgerId}${d.error ? ` — ${d.error.message}` : ""}\n`);
      }
    }
    io.out.write(
      `Nhắc nhở: đã gửi ${result.sent}, hoãn ${result.deferred}, bỏ qua (đã gửi trước) ${result.skipped}, lỗi ${result.failed}.\n`,
    );
    if (result.unreachable.length > 0) {
      io.out.write(`Đơn vị không có địa chỉ thư: ${result.unreachable.join(", ")}\n`);
    }
    return result.failed > 0 ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
