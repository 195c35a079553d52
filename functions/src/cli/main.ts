// The dondoc CLI. Only this entry point catches broadly: coded errors become a Vietnamese message and exit 2.
import { realpathSync } from "node:fs";
import { DondocError } from "../core/errors.ts";
import { confirmCommand } from "./commands/confirm.ts";
import { initCommand } from "./commands/init.ts";
import { remindCommand } from "./commands/remind.ts";
import { reportCommand } from "./commands/report.ts";
import { restoreCommand } from "./commands/restore.ts";
import { runCommand } from "./commands/run.ts";
import { validateCommand } from "./commands/validate.ts";

const HELP = `dondoc — đôn đốc chiến dịch chữ ký số công cộng, định danh VNeID mức 2 và sổ sức khỏe điện tử

Cách dùng: dondoc <lệnh> [tùy chọn]   (dondoc <lệnh> --help để xem chi tiết)

Lệnh:
  run        chạy trọn chu trình trên sổ .xlsx (đọc, kiểm tra, lưu, xếp hạng, xuất báo cáo, nhắc nhở)
  validate   kiểm tra một sổ nhập liệu của một đơn vị và in lỗi
  init       tạo sổ nhập liệu trống cho mọi đơn vị theo mẫu
  report     in đoạn văn dự thảo báo cáo
  remind     chỉ gửi nhắc nhở trước hạn chốt và bản tổng hợp sau hạn chốt
  provision  tạo bảng tính Google Sheets cho từng đơn vị và bảng tổng hợp cho lãnh đạo (chạy lại không tạo trùng)
  confirm    xác nhận và áp dụng việc xóa nhiều dòng cùng lúc của một đơn vị đang bị tạm dừng đồng bộ
  restore    dựng lại dữ liệu của một đơn vị như tại một thời điểm, theo nhật ký thay đổi`;

type Command = (
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  validate: validateCommand,
  init: initCommand,
  report: reportCommand,
  remind: remindCommand,
  confirm: confirmCommand,
  restore: restoreCommand,
  provision: async (argv, io) => (await import("./commands/provision.ts")).provisionCommand(argv, io), // Google clients load only here
};

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export async function main(
  argv: string[],
  io: CliIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.out.write(`${HELP}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err.write(`dondoc: không có lệnh "${name}".\n\n${HELP}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof DondocError) {
      io.err.write(`dondoc: lỗi (${error.code}): ${error.message}\n`);
      return 2;
    }
    io.err.write(`dondoc: lỗi không mong đợi: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

// Run when executed directly (`node functions/src/cli/main.ts`); bin/dondoc.js calls main() itself.
if (process.argv[1] && realpathSync(process.argv[1]) === import.meta.filename) {
  process.exitCode = await main(process.argv.slice(2));
}
