// `sync`: Cloud Scheduler's cycle — read the unit spreadsheets that changed, store, rank, publish the leaders' tabs.

import type { Request, Response } from "@google-cloud/functions-framework";
import * as functions from "@google-cloud/functions-framework";
import { runSyncCycle, SCHEDULED_STANDINGS_REUSE_MS } from "../app/sync.ts";
import { googleOidcVerifier } from "./oidc.ts";
import { getRuntime, type RuntimeWiring, unitsWithSheets } from "./runtime.ts";
import { schedulerOnly } from "./scheduled.ts";

const wiring: RuntimeWiring = {
  verifyOidc: googleOidcVerifier(),
  // The Sheets/Drive clients are the heaviest imports: loaded by the first request, not at cold start.
  google: async (config, campaign, store) =>
    (await import("./google-edges.ts")).googleEdges(config, campaign, store),
};

export async function sync(req: Request, res: Response): Promise<void> {
  const rt = await getRuntime(wiring);
  if (!(await schedulerOnly(req, res, rt))) return;
  const edges = await rt.google();
  const units = await unitsWithSheets(rt.store, rt.campaign, rt.units);
  const result = await runSyncCycle({
    campaign: rt.campaign,
    units,
    source: edges.source,
    store: rt.store,
    now: rt.now(),
    hashId: rt.hashId,
    annotator: edges.annotator,
    publisher: edges.publisher,
    // A cycle every 15 minutes with nothing changed reads no entries and publishes nothing.
    reuseStandingsWithinMs: SCHEDULED_STANDINGS_REUSE_MS,
  });
  res.status(200).json({
    ok: true,
    read: result.read,
    skippedUnchanged: result.skippedUnchanged,
    written: result.written,
    republished: !result.reused,
    held: result.units.filter((u) => u.status === "held").map((u) => u.unitId),
    failed: result.units
      .filter((u) => u.status === "failed")
      .map((u) => ({ unitId: u.unitId, message: u.message })),
  });
}

functions.http("sync", sync);
