// Chooses the Firestore the run talks to, from the environment:
//   FIRESTORE_EMULATOR_HOST set          → that emulator (the official one, or any speaking its protocol)
//   GOOGLE_CLOUD_PROJECT set (no emulator) → real Firestore with application default credentials
//   running on Cloud Functions / Cloud Run → real Firestore, project from the metadata server (those runtimes
//                                            set K_SERVICE / FUNCTION_TARGET, not GOOGLE_CLOUD_PROJECT)
//   none of these                        → the embedded in-process emulator, persisted in opts.dataDir
import { Firestore } from "@google-cloud/firestore";
import { DondocError } from "../../core/errors.ts";

export type FirestoreKind = "embedded" | "emulator" | "cloud";

export interface FirestoreConnection {
  db: Firestore;
  kind: FirestoreKind;
  /** Embedded: writes the state to the data folder now (close() does too). Elsewhere: nothing to do. */
  save(): Promise<void>;
  /** Embedded: saves, stops the emulator, releases the data folder. Always: terminates the client. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Where the embedded default keeps its state (firestore.json) and its lock. */
  dataDir: string;
  /** Project id for the embedded default and for an emulator when the environment names none. */
  projectId?: string;
}

const LOCAL_PROJECT_ID = "dondoc-local";

/**
 * A client for an emulator at `host` ("127.0.0.1:8080"). The owner token makes the official emulator treat us as
 * an admin (no security rules); `universeDomain` stops google-auth from probing the GCE metadata server for one,
 * which on an office machine with no network prints a MetadataLookupWarning and waits on DNS.
 */
export function emulatorClient(host: string, projectId: string): Firestore {
  return new Firestore({
    projectId,
    host,
    ssl: false,
    customHeaders: { Authorization: "Bearer owner" },
    universeDomain: "googleapis.com",
  });
}

export async function connectFirestore(
  env: NodeJS.ProcessEnv = process.env,
  opts: ConnectOptions,
): Promise<FirestoreConnection> {
  const emulatorHost = env.FIRESTORE_EMULATOR_HOST?.trim();
  const cloudProject = (env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT)?.trim();

  if (emulatorHost) {
    if (!/^[^\s/:]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/.test(emulatorHost)) {
      throw new DondocError(
        "store-bad-emulator-host",
        `Biến môi trường FIRESTORE_EMULATOR_HOST phải có dạng máy:cổng (ví dụ 127.0.0.1:8080), không phải "${emulatorHost}".`,
        { emulatorHost },
      );
    }
    const db = emulatorClient(emulatorHost, cloudProject || opts.projectId || LOCAL_PROJECT_ID);
    return { db, kind: "emulator", save: async () => {}, close: () => db.terminate() };
  }

  // Never an embedded emulator inside Google Cloud: its state would vanish with the instance.
  const onGoogleCloud = Boolean(env.K_SERVICE || env.FUNCTION_TARGET);
  if (cloudProject || onGoogleCloud) {
    const db = new Firestore(cloudProject ? { projectId: cloudProject } : {});
    return { db, kind: "cloud", save: async () => {}, close: () => db.terminate() };
  }

  // Loaded on demand: the emulator is a development dependency and the Cloud Functions never take this path.
  const { startEmbeddedFirestore } = await import("./embedded.ts");
  const embedded = await startEmbeddedFirestore({
    dataDir: opts.dataDir,
    projectId: opts.projectId ?? LOCAL_PROJECT_ID,
  });
  return { db: embedded.db, kind: "embedded", save: embedded.save, close: embedded.stop };
}
