// The cho-don example (examples/cho-don) wired for runSyncCycle from its workbooks, as the app and fault tests
// run it.
import { resolve } from "node:path";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import type { SyncDeps } from "../../functions/src/app/sync.ts";
import type { IdHasher, Store } from "../../functions/src/core/ports.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";

export interface ChoDon {
  campaign: Campaign;
  units: Unit[];
  sheetsDir: string;
}

export async function loadChoDon(): Promise<ChoDon> {
  const { campaign, units, sheetsDir } = await loadCampaignFolder(resolve("examples/cho-don"));
  return { campaign, units, sheetsDir };
}

/** A sync of cho-don's workbooks into `store` at `now`. */
export function choDonSyncDeps(
  choDon: ChoDon,
  store: Store,
  now: Date,
  hashId: IdHasher,
  extra: Partial<SyncDeps> = {},
): SyncDeps {
  const { campaign, units, sheetsDir } = choDon;
  return { campaign, units, source: new XlsxSheetSource({ dir: sheetsDir }), store, now, hashId, ...extra };
}
