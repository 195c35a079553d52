// `dondoc confirm --unit ID`: a leader confirms that a held mass deletion (or a deletion held after a restore)
// is real. It is the same cycle as `dondoc run` (same adapters, same outputs) with that unit's deletions applied,
// each with its audit record; reminders are left to `dondoc run` / `dondoc remind`.
import { DondocError } from "../../core/errors.ts";
import { formatViDateTime, formatViNumber } from "../../core/format.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { type CliContext, openContext } from "../context.ts";
import { type Io, runCliCycle } from "../cycle.ts";

export const CONFIRM_HELP = `dondoc confirm — xác nhận việc xóa nhiều dòng cùng lúc của một đơn vị đang bị tạm dừng đồng bộ
(hoặc đang giữ dữ liệu sau khi khôi phục) và áp dụng: chạy một chu trình như "dondoc run", riêng đơn vị này được
xóa các dòng không còn trong bảng tính; mỗi dòng bị xóa có một bản ghi nhật ký.

Cách dùng: dondoc confirm --unit ID [--campaign DIR] [--now TIME] [--out DIR] [--data DIR]
  --unit ID        mã đơn vị (cột id trong units.csv)
${COMMON_HELP}`;

export function requireUnit(ctx: CliContext, unitId: unknown): string {
  if (typeof unitId !== "string" || unitId.trim() === "") {
    throw new DondocError("bad-option", "Thiếu --unit ID (mã đơn vị trong units.csv).");
  }
  const id = unitId.trim();
  if (!ctx.units.some((u) => u.id === id)) {
    throw new DondocError("unknown-unit", `Không có đơn vị "${id}" trong units.csv.`, { unitId: id });
  }
  return id;
}

export async function confirmCommand(argv: string[], io: Io) {
  const { common, values } = parseCommand(argv, { unit: { type: "string" } });
  if (common.help) {
    io.out.write(`${CONFIRM_HELP}\n`);
    return 0;
  }
  const ctx = await openContext(common);
  try {
    const unitId = requireUnit(ctx, values.unit);
    const unit = ctx.units.find((u) => u.id === unitId)!;
    const before = (await ctx.store.loadUnitStates(ctx.campaign.id)).find((s) => s.unitId === unitId);
    io.err.write(
      `dondoc: ${ctx.campaign.title} — xác nhận cho ${unit.name}; thời điểm: ${formatViDateTime(ctx.now.toISOString())}\n`,
    );
    const result = await runCliCycle(ctx, common, io, { confirmDeletions: new Set([unitId]) });
    const mine = result.units.find((r) => r.unitId === unitId);
    if (!mine) {
      io.out.write(`${unit.name}: không đọc được bảng tính trong lần chạy này; chưa áp dụng gì.\n`);
      return 1;
    }
    if (mine.status !== "synced") {
      io.out.write(`${unit.name}: chưa áp dụng — ${mine.message ?? mine.status}\n`);
      return 1;
    }
    const held = before?.problem?.code ?? null;
    io.out.write(
      `${unit.name}: đã áp dụng — xóa ${formatViNumber(mine.deleted)} dòng, thêm ${formatViNumber(mine.created)}, sửa ${formatViNumber(mine.updated)} (mỗi thay đổi có một bản ghi nhật ký)${held ? `; bỏ tạm dừng (${held})` : ""}.\n`,
    );
    io.out.write(`Firestore: đã ghi ${formatViNumber(result.written)} tài liệu.\n`);
    return 0;
  } finally {
    await ctx.close();
  }
}
