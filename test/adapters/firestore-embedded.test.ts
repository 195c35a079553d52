// The embedded default: in-process emulator, state persisted in a data folder between runs, one run per folder.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { hostname, networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { GeoPoint, Timestamp } from "@google-cloud/firestore";
import { afterEach, describe, expect, it } from "vitest";
import { connectFirestore } from "../../functions/src/adapters/firestore/connect.ts";
import {
  DATA_FILE,
  type EmbeddedFirestore,
  LOCK_FILE,
  startEmbeddedFirestore,
} from "../../functions/src/adapters/firestore/embedded.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import type { LineListEntry } from "../../functions/src/core/model.ts";
import { startTestFirestore } from "../support/firestore.ts";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dondoc-fs-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string): Promise<EmbeddedFirestore> {
  const fs = await startEmbeddedFirestore({ dataDir });
  cleanups.push(() => fs.stop());
  return fs;
}

const entry = (n: number): LineListEntry => ({
  mode: "line-list",
  key: `thon-1~${n}`,
  unitId: "thon-1",
  row: n + 1,
  enteredAt: null,
  firstSeenAt: "2025-08-01T02:00:00.000Z",
  idHash: "f".repeat(64),
  idMasked: "001*******89",
  date: "2025-08-01",
  supporter: "Nguyễn Văn A",
  residence: "Thôn Bản Tàn",
  indicators: { chuKySo: true },
  provider: null,
});

const upsert = (entries: LineListEntry[]) => ({
  changes: { unitId: "thon-1", upserts: entries, deletes: [], unchanged: 0 },
  audit: [],
});

describe("startEmbeddedFirestore", () => {
  it("keeps what a run wrote for the next run, in a sorted, versioned file", async () => {
    const dir = await tempDir();
    const first = await start(dir);
    expect(first.host).toMatch(/^127\.0\.0\.1:\d+$/);
    const store = new FirestoreStore(first.db);
    await store.applyUnitChanges("cho-don", upsert([entry(2), entry(1)]));
    await store.saveMeta("cho-don", "publisher", { sheetId: "abc" });
    await first.stop();

    const text = await readFile(join(dir, DATA_FILE), "utf8");
    const file = JSON.parse(text) as { version: number; documents: Record<string, unknown> };
    expect(file.version).toBe(1);
    // Only documents that exist: the campaign parent was never written.
    expect(Object.keys(file.documents)).toEqual([
      "campaigns/cho-don/entries/thon-1~1",
      "campaigns/cho-don/entries/thon-1~2",
      "campaigns/cho-don/meta/publisher",
      // The unit's snapshot, marked stale by the change (none was given with it).
      "campaigns/cho-don/snapshots/thon-1",
    ]);
    expect(await readdir(dir)).toEqual([DATA_FILE]);

    const second = await start(dir);
    const again = new FirestoreStore(second.db);
    expect(await again.loadCampaignEntries("cho-don")).toEqual([entry(1), entry(2)]);
    expect(await again.loadMeta("cho-don", "publisher")).toEqual({ sheetId: "abc" });
    expect(await again.applyUnitChanges("cho-don", upsert([entry(1), entry(2)]))).toBe(0);
    await again.applyUnitChanges("cho-don", upsert([entry(3)]));
    await second.stop();

    const third = await start(dir);
    expect((await new FirestoreStore(third.db).loadCampaignEntries("cho-don")).map((e) => e.key)).toEqual([
      "thon-1~1",
      "thon-1~2",
      "thon-1~3",
    ]);
    await third.stop();
    const afterThird = await readFile(join(dir, DATA_FILE), "utf8");
    expect(afterThird.split("\n")).toHaveLength(text.split("\n").length + 1);
    // A run that changes nothing leaves the file byte for byte as it was.
    await (await start(dir)).stop();
    expect(await readFile(join(dir, DATA_FILE), "utf8")).toBe(afterThird);
  });

  it("round-trips every Firestore value type and a map that looks like a tag", async () => {
    const dir = await tempDir();
    const first = await start(dir);
    const data = {
      text: "Đôn đốc",
      int: 19662,
      negative: -3,
      double: 12.5,
      notANumber: Number.NaN,
      infinite: Number.NEGATIVE_INFINITY,
      yes: true,
      nothing: null,
      when: new Timestamp(1754272800, 123456000),
      bytes: Buffer.from([0, 1, 254, 255]),
      place: new GeoPoint(22.15, 105.57),
      link: first.db.doc("campaigns/cho-don/units/thon-1"),
      list: [1, "hai", [true], { a: null }],
      nested: { deeper: { deepest: "x" }, empty: {} },
      looksTagged: { $timestamp: { seconds: 1, nanos: 0 } },
      dollars: { $map: 1, plain: 2 },
    };
    await first.db.doc("misc/all-types").set(data);
    await first.stop();

    const second = await start(dir);
    const snap = await second.db.doc("misc/all-types").get();
    const back = snap.data()!;
    expect(back.link.path).toBe("campaigns/cho-don/units/thon-1");
    expect(Buffer.from(back.bytes)).toEqual(data.bytes);
    expect((back.when as Timestamp).isEqual(data.when)).toBe(true);
    expect((back.place as GeoPoint).isEqual(data.place)).toBe(true);
    const { link: _l, bytes: _b, when: _w, place: _p, ...rest } = back;
    const { link: _dl, bytes: _db, when: _dw, place: _dp, ...expected } = data;
    expect(rest).toEqual(expected);
  });

  it("refuses a corrupt or truncated data file with a coded error naming it, and leaves it alone", async () => {
    const dir = await tempDir();
    const first = await start(dir);
    await first.db.doc("campaigns/x/meta/a").set({ value: 1 });
    await first.stop();
    const file = join(dir, DATA_FILE);
    const good = await readFile(file, "utf8");

    const bad = [
      good.slice(0, Math.floor(good.length / 2)),
      "",
      '{"version":2,"documents":{}}',
      '{"version":1,"documents":{"campaigns/x":{"v":{"$timestamp":"soon"}}}}',
      '{"version":1,"documents":{"campaigns":{}}}',
    ];
    for (const text of bad) {
      await writeFile(file, text);
      const err = await startEmbeddedFirestore({ dataDir: dir }).then(
        (fs) => {
          cleanups.push(() => fs.stop());
          return null;
        },
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ code: "store-data-corrupt" });
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(/bị hỏng/);
      expect(await readFile(file, "utf8")).toBe(text);
      // The failed start released the folder.
      await expect(stat(join(dir, LOCK_FILE))).rejects.toMatchObject({ code: "ENOENT" });
    }

    await writeFile(file, good);
    const fixed = await start(dir);
    expect((await fixed.db.doc("campaigns/x/meta/a").get()).data()).toEqual({ value: 1 });
  });

  it("refuses a second run on a folder in use, and takes over a lock left by a dead process", async () => {
    const dir = await tempDir();
    const first = await start(dir);
    const refused = await startEmbeddedFirestore({ dataDir: dir }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "store-locked" });
    expect((refused as Error).message).toContain(`tiến trình ${process.pid}`);
    // The refused run neither removed the lock nor touched the data.
    await first.db.doc("campaigns/x/meta/a").set({ value: "first" });
    await first.stop();

    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: "", token: "old" }),
    );
    const next = await start(dir);
    expect((await next.db.doc("campaigns/x/meta/a").get()).data()).toEqual({ value: "first" });
    const lock = JSON.parse(await readFile(join(dir, LOCK_FILE), "utf8")) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    await next.stop();
    await expect(stat(join(dir, LOCK_FILE))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("treats an unreadable lock as being written for a few seconds, then as stale", async () => {
    const dir = await tempDir();
    const lock = join(dir, LOCK_FILE);
    await writeFile(lock, "");
    await expect(startEmbeddedFirestore({ dataDir: dir })).rejects.toMatchObject({ code: "store-locked" });
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    const fs = await start(dir);
    await fs.stop();
    await expect(stat(lock)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("respects a lock from another machine, which it cannot check", async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: 1, hostname: "may-tinh-van-phong-khac", startedAt: "", token: "x" }),
    );
    await expect(startEmbeddedFirestore({ dataDir: dir })).rejects.toMatchObject({ code: "store-locked" });
  });

  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

  it.skipIf(!lanAddress)("listens on the loopback interface only", async () => {
    const fs = await start(await tempDir());
    const port = Number(fs.host.split(":")[1]);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port });
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
    expect(await reach("127.0.0.1")).toBe(true);
    expect(await reach(lanAddress!)).toBe(false);
  });
});

describe("connectFirestore", () => {
  it("runs embedded with persistence when the environment names no Firestore", async () => {
    const dir = await tempDir();
    const conn = await connectFirestore({}, { dataDir: dir });
    cleanups.push(() => conn.close());
    expect(conn.kind).toBe("embedded");
    await conn.db.doc("campaigns/x/meta/a").set({ value: 2 });
    await conn.close();
    expect(await readFile(join(dir, DATA_FILE), "utf8")).toContain('"campaigns/x/meta/a":{"value":2}');
  });

  it("uses the emulator FIRESTORE_EMULATOR_HOST names", async () => {
    const emulator = await startTestFirestore("dondoc-emu");
    cleanups.push(() => emulator.stop());
    const dir = await tempDir();
    const conn = await connectFirestore(
      { FIRESTORE_EMULATOR_HOST: emulator.host, GOOGLE_CLOUD_PROJECT: "dondoc-emu" },
      { dataDir: dir },
    );
    cleanups.push(() => conn.close());
    expect(conn.kind).toBe("emulator");
    await conn.db.doc("campaigns/x/meta/a").set({ value: 3 });
    expect((await emulator.db.doc("campaigns/x/meta/a").get()).data()).toEqual({ value: 3 });
    // Nothing embedded was started: the data folder stays empty.
    expect(await readdir(dir)).toEqual([]);

    await expect(
      connectFirestore({ FIRESTORE_EMULATOR_HOST: "http://localhost:8080" }, { dataDir: dir }),
    ).rejects.toMatchObject({ code: "store-bad-emulator-host" });
  });

  it("uses real Firestore for GOOGLE_CLOUD_PROJECT without an emulator", async () => {
    const dir = await tempDir();
    const conn = await connectFirestore({ GOOGLE_CLOUD_PROJECT: "ubnd-cho-don" }, { dataDir: dir });
    cleanups.push(() => conn.close());
    expect(conn.kind).toBe("cloud");
    expect(conn.db.databaseId).toBe("(default)");
    expect(await readdir(dir)).toEqual([]);
  });

  it("uses real Firestore on Cloud Functions, which names no project in the environment", async () => {
    const dir = await tempDir();
    const conn = await connectFirestore({ K_SERVICE: "sync", FUNCTION_TARGET: "sync" }, { dataDir: dir });
    cleanups.push(() => conn.close());
    expect(conn.kind).toBe("cloud");
    expect(await readdir(dir)).toEqual([]);
  });
});
