// Shared guard for the endpoints Cloud Scheduler calls: only its OIDC identity gets through.
import type { Request, Response } from "@google-cloud/functions-framework";
import { requireScheduler } from "./config.ts";
import { authenticateScheduler } from "./oidc.ts";
import type { CloudRuntime } from "./runtime.ts";

export async function schedulerOnly(req: Request, res: Response, rt: CloudRuntime): Promise<boolean> {
  if (req.method !== "POST" && req.method !== "GET") {
    res.status(405).json({ ok: false, code: "method-not-allowed", message: "Chỉ nhận POST." });
    return false;
  }
  const auth = await authenticateScheduler(
    req.get("authorization"),
    requireScheduler(rt.config),
    rt.verifyOidc,
  );
  if (!auth.ok) {
    res.status(auth.status).json({ ok: false, code: "not-scheduler", message: auth.message });
    return false;
  }
  return true;
}
