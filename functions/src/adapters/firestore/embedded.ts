// The embedded default's database: the in-process Firestore emulator on a loopback port, its state kept in
// `<dataDir>/firestore.json` between runs, and a lock file so two runs never share (and overwrite) one folder.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { hostname } from "node:os";
import { join } from "node:path";
import { FirestoreServer } from "@firestore-emulator/server";
import type { Firestore } from "@google-cloud/firestore";
import { DondocError } from "../../core/errors.ts";
import { formatViDateTime } from "../../core/format.ts";
import { emulatorClient } from "./connect.ts";
import { installEmulatorSpeedups } from "./emulator-speed.ts";
import {
  formatPersisted,
  readPersisted,
  replayDocuments,
  snapshotState,
  writeFileAtomic,
} from "./persist.ts";

export const DATA_FILE = "firestore.json";
export const LOCK_FILE = "firestore.lock";
export const DEFAULT_PROJECT_ID = "dondoc-local";

/** A lock file with no readable content is taken to be mid-write for this long, then stale. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

interface GrpcServerLike {
  bindAsync(
    address: string,
    credentials: unknown,
    callback: (error: Error | null, port: number) => void,
  ): void;
}

/**
 * The emulator's own copy of @grpc/grpc-js: its Server accepts only ServerCredentials made by the same module
 * instance, and the package may carry a nested copy of a different version than the client's.
 */
function emulatorGrpc(): { ServerCredentials: { createInsecure(): unknown } } {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve("@firestore-emulator/server"))("@grpc/grpc-js");
}

/**
 * FirestoreServer.start() binds 0.0.0.0, which would offer the office's data to the whole network; this binds the
 * same gRPC server to the loopback interface only, on a port the OS picks.
 */
class LoopbackFirestoreServer extends FirestoreServer {
  async startLoopback(port = 0): Promise<number> {
    const grpcServer = (this as unknown as { server: GrpcServerLike }).server;
    const credentials = emulatorGrpc().ServerCredentials.createInsecure();
    return new Promise((resolve, reject) => {
      grpcServer.bindAsync(`127.0.0.1:${port}`, credentials, (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
  }
}

export interface LoopbackEmulator {
  server: FirestoreServer;
  /** "127.0.0.1:<port>", as FIRESTORE_EMULATOR_HOST would name it. */
  host: string;
  stop(): void;
}

export interface LoopbackOptions {
  /** Bind this port (default: one the OS picks). */
  port?: number;
  /**
   * Serve the documents of an emulator that was stopped: an emulator "restarted" on the same data, as a real
   * one comes back after an outage (fault tests).
   */
  dataOf?: FirestoreServer;
}

/** An in-process emulator listening on 127.0.0.1 only; empty unless given another one's data. */
export async function startLoopbackEmulator(options: LoopbackOptions = {}): Promise<LoopbackEmulator> {
  installEmulatorSpeedups();
  const server = new LoopbackFirestoreServer();
  if (options.dataOf) {
    // The gRPC service holds the state object itself, so its contents are moved over rather than the object.
    const from = options.dataOf.state as unknown as Record<string, unknown>;
    const to = server.state as unknown as Record<string, unknown>;
    to.projects = from.projects;
  }
  const port = await server.startLoopback(options.port ?? 0);
  return { server, host: `127.0.0.1:${port}`, stop: () => server.stop() };
}

export interface EmbeddedFirestore {
  db: Firestore;
  host: string;
  projectId: string;
  /** Writes every document to `<dataDir>/firestore.json` (atomically). */
  save(): Promise<void>;
  /** Saves, closes the client, stops the emulator and releases the data folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  projectId?: string;
}

export async function startEmbeddedFirestore(options: EmbeddedOptions): Promise<EmbeddedFirestore> {
  const { dataDir } = options;
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const dataFile = join(dataDir, DATA_FILE);
  await mkdir(dataDir, { recursive: true });
  const releaseLock = await acquireLock(join(dataDir, LOCK_FILE), dataDir);

  let emulator: LoopbackEmulator | null = null;
  let db: Firestore | null = null;
  try {
    // Parse before starting anything: a corrupt file must stop the run, not be overwritten by an empty state.
    const persisted = await readPersisted(dataFile);
    emulator = await startLoopbackEmulator();
    db = emulatorClient(emulator.host, projectId);
    if (persisted) await replayDocuments(db, persisted);
  } catch (err) {
    await db?.terminate();
    emulator?.stop();
    await releaseLock();
    throw err;
  }

  const started = emulator;
  const client = db;
  let saving: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    // Saves run one after another, so an earlier, slower save never lands over a later one.
    saving = saving
      .catch(() => {})
      .then(() => writeFileAtomic(dataFile, formatPersisted(snapshotState(started.server.state, projectId))));
    return saving;
  };
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await save();
      } finally {
        await client.terminate();
        started.stop();
        await releaseLock();
      }
    })();
    return stopping;
  };
  return { db: client, host: started.host, projectId, save, stop };
}

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: string;
  token: string;
}

/**
 * Takes `lockFile` with O_EXCL. A lock held by a live process on this machine refuses the run; a lock left by a
 * process that died is taken over. A lock from another machine (a shared folder) cannot be checked and is
 * respected. Returns the release function, which removes the file only while it is still ours.
 */
async function acquireLock(lockFile: string, dataDir: string): Promise<() => Promise<void>> {
  const mine: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString("hex"),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lockFile, "wx");
      try {
        await handle.writeFile(JSON.stringify(mine), "utf8");
      } finally {
        await handle.close();
      }
      return async () => {
        const current = await readLock(lockFile);
        if (current?.token === mine.token) await rm(lockFile, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const holder = await readLock(lockFile);
    if (holder === null) {
      const age = await lockAgeMs(lockFile);
      if (age !== null && age < UNREADABLE_LOCK_GRACE_MS) throw lockedError(lockFile, dataDir, null);
    } else if (holder.hostname !== hostname() || isAlive(holder.pid)) {
      throw lockedError(lockFile, dataDir, holder);
    }
    await rm(lockFile, { force: true });
  }
  throw lockedError(lockFile, dataDir, await readLock(lockFile));
}

async function readLock(lockFile: string): Promise<LockContent | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(lockFile, "utf8"));
    const c = parsed as Partial<LockContent>;
    if (typeof c.pid === "number" && typeof c.hostname === "string" && typeof c.token === "string") {
      return { pid: c.pid, hostname: c.hostname, startedAt: String(c.startedAt ?? ""), token: c.token };
    }
    return null;
  } catch {
    // Missing, half-written or foreign content: the caller decides by the file's age.
    return null;
  }
}

async function lockAgeMs(lockFile: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(lockFile)).mtimeMs;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function startedText(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : formatViDateTime(at);
}

function lockedError(lockFile: string, dataDir: string, holder: LockContent | null): DondocError {
  const who = holder
    ? ` (tiến trình ${holder.pid} trên máy ${holder.hostname}, bắt đầu lúc ${startedText(holder.startedAt)})`
    : "";
  return new DondocError(
    "store-locked",
    `Thư mục dữ liệu ${dataDir} đang được một lần chạy dondoc khác sử dụng${who}. Hãy đợi lần chạy đó kết thúc rồi chạy lại; nếu chắc chắn không còn lần chạy nào, hãy xóa tệp ${lockFile}.`,
    { dataDir, lockFile, holder },
  );
}
