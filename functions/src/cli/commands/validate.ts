// `dondoc validate <workbook>`: check one unit's workbook with the same rules as the server and print each
// problem with its unit, row and column. Nothing is stored.
import { basename, dirname, resolve } from "node:path";
import { loadOrCreateLocalSecret, makeIdHasher } from "../../adapters/crypto/hmac.ts";
import { XlsxSheetSource } from "../../adapters/xlsx/sheet-source.ts";
import { DondocError } from "../../core/errors.ts";
import { formatViNumber } from "../../core/format.ts";
import { parseSheet } from "../../core/parse-sheet.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { openCampaign } from "../context.ts";

export const VALIDATE_HELP = `dondoc validate <sổ.xlsx> — kiểm tra sổ nhập liệu của một đơn vị theo đúng quy tắc của máy chủ;
in từng lỗi kèm đơn vị, dòng, cột. Không lưu gì. Mã thoát 1 nếu có lỗi.

Cách dùng: dondoc validate <sổ.xlsx> [--unit ID] [--campaign DIR] [--now TIME]
  --unit ID   mã đơn vị (mặc định: tên tệp, ví dụ sheets/thon-na-pau.xlsx → thon-na-pau)
${COMMON_HELP}`;

export async function validateCommand(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
) {
  const { common, values, positionals } = parseCommand(argv, { unit: { type: "string" } });
  if (common.help) {
    io.out.write(`${VALIDATE_HELP}\n`);
    return 0;
  }
  const file = positionals[0];
  if (!file)
    throw new DondocError(
      "bad-option",
      "Cần đường dẫn tới sổ .xlsx cần kiểm tra: dondoc validate <sổ.xlsx>.",
    );
  const path = resolve(file);
  const folder = await openCampaign(common);
  const unitId = (values.unit as string | undefined) ?? basename(path).replace(/\.xlsx$/i, "");
  const unit = folder.units.find((u) => u.id === unitId);
  if (!unit) {
    throw new DondocError(
      "unknown-unit",
      `Không có đơn vị "${unitId}" trong ${folder.dir}/units.csv; dùng --unit để chỉ rõ mã đơn vị.`,
    );
  }
  const source = new (class extends XlsxSheetSource {
    override pathOf() {
      return path;
    }
  })({ dir: dirname(path) });
  const sheet = await source.read(unit);
  // Hashes are never shown or stored here; a throw-away local secret keeps the code path identical to `run`.
  const hashId = makeIdHasher(
    process.env.DONDOC_ID_SECRET ?? (await loadOrCreateLocalSecret(resolve(common.data))),
  );
  const now = common.now ?? new Date();
  const parsed = parseSheet({
    campaign: folder.campaign,
    unit,
    sheet,
    now,
    hashId,
    replay: common.now !== null,
  });
  const errors = parsed.issues.filter((i) => i.severity === "error");
  const warnings = parsed.issues.filter((i) => i.severity === "warning");
  for (const issue of [...errors, ...warnings]) {
    io.out.write(`${issue.severity === "error" ? "✗ Lỗi" : "! Cảnh báo"}: ${issue.message}\n`);
  }
  io.out.write(
    `\n${unit.name}: ${formatViNumber(parsed.filledRows)} dòng có dữ liệu, ${formatViNumber(parsed.entries.length)} dòng hợp lệ được tính, ${formatViNumber(errors.length)} lỗi, ${formatViNumber(warnings.length)} cảnh báo.\n`,
  );
  return errors.length > 0 ? 1 : 0;
}
