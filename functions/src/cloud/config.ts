// Cloud Function configuration, from the environment, validated once at cold start. Secrets arrive as
// environment variables mapped from Secret Manager (gcloud functions deploy --set-secrets).
import * as z from "zod";
import { DondocError } from "../core/errors.ts";

const Secret = z.string().min(32, "ít nhất 32 ký tự");

export const CloudConfig = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
  /** The campaign folder deployed with the function (campaign.json, units.csv). */
  DONDOC_CAMPAIGN_DIR: z.string().min(1).default("campaign"),
  /** HMAC key for citizen ids (Secret Manager). */
  DONDOC_ID_SECRET: Secret,
  /** Master key from which each unit's push credential is derived (Secret Manager). */
  DONDOC_PUSH_SECRET: Secret,
  /** The service account Cloud Scheduler signs its OIDC tokens as. */
  DONDOC_SCHEDULER_SA: z.email().optional(),
  /** This function's own URL: the audience its OIDC tokens must carry. */
  DONDOC_FUNCTION_URL: z.url().optional(),
  /** The leaders' summary spreadsheet. */
  DONDOC_LEADERS_SPREADSHEET_ID: z.string().min(10).optional(),
  /**
   * Sheets API budget per minute. Google allows 300 per project and 60 per user; all of dondoc's requests come
   * from the functions' one service account, so the per-user 60 is the limit that binds.
   */
  DONDOC_SHEETS_READS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  DONDOC_SHEETS_WRITES_PER_MINUTE: z.coerce.number().int().min(1).default(60),
});
export type CloudConfig = z.infer<typeof CloudConfig>;

export function loadCloudConfig(env: NodeJS.ProcessEnv = process.env): CloudConfig {
  const parsed = CloudConfig.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new DondocError("cloud-config-invalid", `Cấu hình hàm không hợp lệ: ${problems}`);
  }
  return parsed.data;
}

export function requireScheduler(config: CloudConfig): { audience: string; serviceAccount: string } {
  if (!config.DONDOC_SCHEDULER_SA || !config.DONDOC_FUNCTION_URL) {
    throw new DondocError(
      "cloud-config-invalid",
      "Thiếu DONDOC_SCHEDULER_SA hoặc DONDOC_FUNCTION_URL: không thể xác thực Cloud Scheduler.",
    );
  }
  return { audience: config.DONDOC_FUNCTION_URL, serviceAccount: config.DONDOC_SCHEDULER_SA };
}
