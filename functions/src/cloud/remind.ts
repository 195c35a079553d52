// `remind`: Cloud Scheduler's reminder step — reminders due before each cutoff and the digest after it, each once.

import type { Request, Response } from "@google-cloud/functions-framework";
import * as functions from "@google-cloud/functions-framework";
import { remindAt } from "../app/remind.ts";
import { googleOidcVerifier } from "./oidc.ts";
import { getRuntime, type RuntimeWiring, unitsWithSheets } from "./runtime.ts";
import { schedulerOnly } from "./scheduled.ts";

const wiring: RuntimeWiring = {
  verifyOidc: googleOidcVerifier(),
  mailer: async (env) => (await import("../adapters/mail/config.ts")).mailerFromConfig(env),
};

export async function remind(req: Request, res: Response): Promise<void> {
  const rt = await getRuntime(wiring);
  if (!(await schedulerOnly(req, res, rt))) return;
  const mailer = await rt.mailer();
  const result = await remindAt({
    store: rt.store,
    mailer,
    campaign: rt.campaign,
    units: await unitsWithSheets(rt.store, rt.campaign, rt.units),
    now: rt.now(),
  }).finally(() => mailer.close?.());
  res.status(result.failed > 0 ? 500 : 200).json({
    ok: result.failed === 0,
    sent: result.sent,
    deferred: result.deferred,
    skipped: result.skipped,
    failed: result.failed,
    unreachable: result.unreachable,
  });
}

functions.http("remind", remind);
