// Wiring for the embedded default: campaign folder + Firestore (in-process emulator unless configured
// otherwise) + the local id secret. Built once per command, closed once.
import { resolve } from "node:path";
import type { Campaign, Unit } from "../../../schemas/index.ts";
import { loadOrCreateLocalSecret, makeIdHasher } from "../adapters/crypto/hmac.ts";
import { connectFirestore } from "../adapters/firestore/connect.ts";
import { FirestoreStore } from "../adapters/firestore/store.ts";
import { loadCampaignFolder } from "../app/campaign-folder.ts";
import type { IdHasher, Store } from "../core/ports.ts";
import type { CommonOptions } from "./args.ts";

export interface CliContext {
  campaign: Campaign;
  units: Unit[];
  campaignDir: string;
  sheetsDir: string;
  store: Store;
  storeKind: string;
  hashId: IdHasher;
  now: Date;
  replay: boolean;
  close(): Promise<void>;
}

export async function openCampaign(options: CommonOptions) {
  return loadCampaignFolder(resolve(options.campaign));
}

export async function openContext(
  options: CommonOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliContext> {
  const folder = await openCampaign(options);
  const dataDir = resolve(options.data);
  // Production keeps the secret in Secret Manager (DONDOC_ID_SECRET); the embedded default keeps it beside its data.
  const secret = env.DONDOC_ID_SECRET ?? (await loadOrCreateLocalSecret(dataDir));
  const connection = await connectFirestore(env, { dataDir });
  return {
    campaign: folder.campaign,
    units: folder.units,
    campaignDir: folder.dir,
    sheetsDir: folder.sheetsDir,
    store: new FirestoreStore(connection.db),
    storeKind: connection.kind,
    hashId: makeIdHasher(secret),
    now: options.now ?? new Date(),
    replay: options.now !== null,
    close: () => connection.close(),
  };
}
