// What every function instance needs, built once per instance (cold start) and reused by each request.
// Tests install their own runtime (emulator store, local Google server, test certificates).
import { resolve } from "node:path";
import type { Campaign, Unit } from "../../../schemas/index.ts";
import { deriveUnitKey, makeIdHasher } from "../adapters/crypto/hmac.ts";
import { loadCampaignFolder } from "../app/campaign-folder.ts";
import { DondocError } from "../core/errors.ts";
import type { IdHasher, Mailer, SheetSource, Store, SummaryPublisher, UnitAnnotator } from "../core/ports.ts";
import { type CloudConfig, loadCloudConfig } from "./config.ts";
import type { OidcVerifier } from "./oidc.ts";

export interface GoogleEdges {
  source: SheetSource;
  publisher: SummaryPublisher | undefined;
  annotator: UnitAnnotator | undefined;
}

export interface CloudRuntime {
  config: CloudConfig;
  campaign: Campaign;
  units: Unit[];
  store: Store;
  hashId: IdHasher;
  unitKey: (unitId: string) => string;
  now: () => Date;
  verifyOidc: OidcVerifier;
  /** Sheets/Drive edges, imported lazily so `ingest` never pays for the Google API clients at cold start. */
  google: () => Promise<GoogleEdges>;
  /** A mailer for one run of the reminder step; closed after it (an SMTP pool must not outlive the request). */
  mailer: () => Promise<Mailer & { close?: () => Promise<void> }>;
}

/**
 * The edges a function's requests use beyond the store, named by the function's own file: what is named
 * nowhere in a file is not in its bundle, and not in its deployed package.json (`ingest` names none of them,
 * so it deploys without the Google API clients, google-auth-library or nodemailer).
 */
export interface RuntimeWiring {
  verifyOidc?: OidcVerifier;
  google?: (config: CloudConfig, campaign: Campaign, store: Store) => Promise<GoogleEdges>;
  mailer?: (env: NodeJS.ProcessEnv) => Promise<Mailer & { close?: () => Promise<void> }>;
}

let current: Promise<CloudRuntime> | null = null;

export function setRuntime(runtime: CloudRuntime | null): void {
  current = runtime ? Promise.resolve(runtime) : null;
}

/** The instance's runtime, built on the first request (an instance serves one function, with one wiring). */
export function getRuntime(wiring: RuntimeWiring = {}): Promise<CloudRuntime> {
  current ??= buildRuntime(process.env, wiring).catch((error) => {
    current = null; // a failed cold start is retried by the next request rather than cached
    throw error;
  });
  return current;
}

/** Units with their provisioned spreadsheet ids (recorded in Firestore by `dondoc provision`). */
export async function unitsWithSheets(store: Store, campaign: Campaign, units: Unit[]): Promise<Unit[]> {
  const sheets = (await store.loadMeta<Record<string, string>>(campaign.id, "spreadsheets")) ?? {};
  return units.map((u) => (sheets[u.id] && !u.sheetId ? { ...u, sheetId: sheets[u.id] } : u));
}

/** A part of the runtime this function's wiring does not provide: calling it is a fault of the code. */
function notWired(part: string): () => never {
  return () => {
    throw new DondocError("not-wired", `Hàm này không được cấu hình ${part}.`);
  };
}

async function buildRuntime(env: NodeJS.ProcessEnv, wiring: RuntimeWiring): Promise<CloudRuntime> {
  const config = loadCloudConfig(env);
  const folder = await loadCampaignFolder(resolve(config.DONDOC_CAMPAIGN_DIR));
  // The Firestore client (gRPC, protobufs) is most of a function's start-up. It is loaded here, with the rest of
  // the runtime on the first request, not at module import: the instance starts serving sooner, and the first
  // request pays for the client once (bench/coldstart.ts prints both figures).
  const [{ connectFirestore }, { FirestoreStore }] = await Promise.all([
    import("../adapters/firestore/connect.ts"),
    import("../adapters/firestore/store.ts"),
  ]);
  const connection = await connectFirestore(env, { dataDir: "/tmp/dondoc-data" });
  const store = new FirestoreStore(connection.db);
  const units = await unitsWithSheets(store, folder.campaign, folder.units);
  return {
    config,
    campaign: folder.campaign,
    units,
    store,
    hashId: makeIdHasher(config.DONDOC_ID_SECRET),
    unitKey: (unitId) => deriveUnitKey(config.DONDOC_PUSH_SECRET, unitId),
    now: () => new Date(),
    verifyOidc: wiring.verifyOidc ?? notWired("xác thực OIDC"),
    google: wiring.google
      ? () => wiring.google!(config, folder.campaign, store)
      : notWired("Google Sheets/Drive"),
    mailer: wiring.mailer ? () => wiring.mailer!(env) : notWired("gửi thư"),
  };
}
