// `dondoc init`: blank input workbooks for every unit of a campaign, from the template.
import { access, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeInputWorkbook } from "../../adapters/xlsx/input-workbook.ts";
import { DondocError } from "../../core/errors.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { openCampaign } from "../context.ts";

export const INIT_HELP = `dondoc init — tạo sổ nhập liệu trống (.xlsx) cho từng đơn vị của chiến dịch theo mẫu: tiêu đề cột cố định,
danh sách chọn, ô đánh dấu, định dạng văn bản cho số định danh và số điện thoại (giữ số 0 đầu), dòng tiêu đề cố định.

Cách dùng: dondoc init [--campaign DIR] [--into DIR] [--force]
  --into DIR   nơi ghi các sổ   [<campaign>/sheets]
  --force      ghi đè sổ đã có (mặc định: không bao giờ ghi đè dữ liệu đơn vị đã nhập)
${COMMON_HELP}`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function initCommand(argv: string[], io: { out: NodeJS.WritableStream }) {
  const { common, values } = parseCommand(argv, { into: { type: "string" }, force: { type: "boolean" } });
  if (common.help) {
    io.out.write(`${INIT_HELP}\n`);
    return 0;
  }
  const folder = await openCampaign(common);
  const into = resolve((values.into as string | undefined) ?? folder.sheetsDir);
  await mkdir(into, { recursive: true });
  const force = values.force === true;
  const existing = [];
  for (const unit of folder.units) {
    if (!force && (await exists(join(into, `${unit.id}.xlsx`)))) existing.push(unit.id);
  }
  if (existing.length > 0) {
    throw new DondocError(
      "would-overwrite",
      `Đã có sổ của ${existing.length} đơn vị trong ${into} (${existing.slice(0, 5).join(", ")}${existing.length > 5 ? ", …" : ""}); không ghi đè. Dùng --force nếu thật sự muốn tạo lại sổ trống.`,
    );
  }
  for (const unit of folder.units) {
    await writeInputWorkbook(join(into, `${unit.id}.xlsx`), folder.campaign, unit);
    io.out.write(`  ✓ ${unit.name} → ${join(into, `${unit.id}.xlsx`)}\n`);
  }
  io.out.write(`Đã tạo ${folder.units.length} sổ nhập liệu.\n`);
  return 0;
}
