// `dondoc provision`: creates (once) every unit's Google spreadsheet from the template, the leaders' summary
// spreadsheet, and records their ids in Firestore. Only wiring here; the work is app/provision.ts.
import type { drive_v3 } from "@googleapis/drive";
import type { sheets_v4 } from "@googleapis/sheets";
import {
  driveClient,
  type GoogleAuthClient,
  productionAuth,
  sheetsClient,
} from "../../adapters/google/auth.ts";
import { GoogleDrive } from "../../adapters/google/drive.ts";
import { TokenBucketQuota } from "../../adapters/google/quota.ts";
import { provisionCampaign } from "../../app/provision.ts";
import { DondocError } from "../../core/errors.ts";
import { formatViNumber } from "../../core/format.ts";
import { COMMON_HELP, parseCommand } from "../args.ts";
import { openContext } from "../context.ts";

export const PROVISION_HELP = `dondoc provision — tạo bảng tính Google Sheets nhập liệu cho từng đơn vị (bản sao của bảng tính mẫu có
gắn Apps Script), chia sẻ mỗi bảng chỉ cho địa chỉ thư của đơn vị đó (quyền sửa), ghi mã đơn vị và khóa gửi số
liệu vào bảng, tạo bảng tổng hợp cho lãnh đạo (chỉ xem) và lưu mã mọi bảng tính vào Firestore.
Chạy lại không tạo trùng: bảng đã có được giữ nguyên, chỉ bổ sung quyền chia sẻ và thông tin còn thiếu.

Cách dùng: dondoc provision --campaign DIR --template ID [--folder ID] [--ingest-url URL] [--notify] [--dry-run]
  --template ID     mã bảng tính mẫu (có Apps Script); bắt buộc trừ khi chạy thử
  --folder ID       thư mục Google Drive chứa các bảng; mặc định tạo một lần thư mục "dondoc — <tên chiến dịch>"
  --ingest-url URL  địa chỉ hàm ingest ghi vào từng bảng [biến môi trường DONDOC_INGEST_URL]; không có thì
                    Apps Script dùng địa chỉ lúc đóng gói
  --notify          để Google gửi thư báo cho người được chia sẻ (mặc định: không gửi)
  --dry-run         chỉ liệt kê việc sẽ làm (tạo / chia sẻ / bỏ qua), không thay đổi gì

Cần: Application Default Credentials của tài khoản hệ thống (gcloud auth application-default login hoặc
GOOGLE_APPLICATION_CREDENTIALS) và biến môi trường DONDOC_PUSH_SECRET (cùng khóa với hàm ingest).
${COMMON_HELP}`;

/** Google clients for the command; tests point them at the local Sheets/Drive server. */
export interface GoogleWiring {
  auth?: GoogleAuthClient;
  rootUrl?: string;
}

export async function provisionCommand(
  argv: string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
  env: NodeJS.ProcessEnv = process.env,
  google: GoogleWiring = {},
): Promise<number> {
  const { common, values } = parseCommand(argv, {
    template: { type: "string" },
    folder: { type: "string" },
    "ingest-url": { type: "string" },
    notify: { type: "boolean" },
    "dry-run": { type: "boolean" },
  });
  if (common.help) {
    io.out.write(`${PROVISION_HELP}\n`);
    return 0;
  }
  const dryRun = values["dry-run"] === true;
  const templateId = (values.template as string | undefined)?.trim() || null;
  if (!templateId && !dryRun) {
    throw new DondocError(
      "bad-option",
      "Thiếu --template <mã bảng tính mẫu>: bảng tính Google Sheets có gắn Apps Script để sao chép cho từng đơn vị.",
    );
  }
  const pushSecret = env.DONDOC_PUSH_SECRET ?? "";
  if (pushSecret.trim() === "") {
    throw new DondocError(
      "push-secret-missing",
      "Thiếu biến môi trường DONDOC_PUSH_SECRET: khóa gốc để cấp khóa gửi số liệu cho từng đơn vị (phải trùng với khóa của hàm ingest).",
    );
  }
  const ingestUrl =
    ((values["ingest-url"] as string | undefined) ?? env.DONDOC_INGEST_URL ?? "").trim() || null;

  const auth = google.auth ?? productionAuth();
  const rootUrl = google.rootUrl ? { rootUrl: google.rootUrl } : {};
  const quota = new TokenBucketQuota();
  const driveApi: drive_v3.Drive = driveClient({ auth, ...rootUrl });
  const sheets: sheets_v4.Sheets = sheetsClient({ auth, ...rootUrl });

  const ctx = await openContext(common, env);
  try {
    io.out.write(
      `${dryRun ? "CHẠY THỬ — không thay đổi gì. " : ""}Chiến dịch: ${ctx.campaign.title} (${ctx.campaign.id}), ${formatViNumber(ctx.units.length)} đơn vị; lưu mã bảng tính vào Firestore (${ctx.storeKind}).\n`,
    );
    const result = await provisionCampaign({
      campaign: ctx.campaign,
      units: ctx.units,
      drive: new GoogleDrive({ drive: driveApi, quota }),
      driveApi,
      sheets,
      store: ctx.store,
      pushSecret,
      ingestUrl,
      templateId,
      folderId: (values.folder as string | undefined)?.trim() || null,
      dryRun,
      notify: values.notify === true,
      log: (line) => io.out.write(`${line}\n`),
      policy: { quota },
    });
    const failed = result.units.some((u) => u.action === "failed") || result.leaders.action === "failed";
    return failed ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
