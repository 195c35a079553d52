// FirestoreStore against the in-process emulator, through the real client (no mocks of the client).
import type { Firestore, WriteBatch } from "@google-cloud/firestore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CampaignPaths, encodeDocId } from "../../functions/src/adapters/firestore/paths.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { diffEntries, entriesAfter } from "../../functions/src/core/diff.ts";
import type { Entry, LedgerRecord, LineListEntry, UnitSyncState } from "../../functions/src/core/model.ts";
import { decodeUnitSnapshot, encodeUnitSnapshot } from "../../functions/src/core/unit-snapshot.ts";
import type { Standings } from "../../schemas/index.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";

let fs: TestFirestore;
beforeAll(async () => {
  fs = await startTestFirestore();
});
afterAll(async () => {
  await fs.stop();
});

/** The write that marks a unit's snapshot stale, in the first commit of any change to its entries. */
const STALE = 1;

let campaignSeq = 0;
/** Each test works in its own campaign, so tests share one emulator without seeing each other. */
const freshCampaign = () => `c${++campaignSeq}-${Date.now().toString(36)}`;

function person(unitId: string, n: number, extra: Partial<LineListEntry> = {}): LineListEntry {
  return {
    mode: "line-list",
    key: `${unitId}~${n.toString(16).padStart(8, "0")}`,
    unitId,
    row: n + 1,
    enteredAt: "2025-08-01T09:00:00.000+07:00",
    firstSeenAt: "2025-08-01T09:05:00.000+07:00",
    idHash: `${n}`.padStart(64, "a"),
    idMasked: "001*******89",
    date: "2025-08-01",
    supporter: "Nguyễn Văn A",
    residence: "Thôn Nà Pài",
    indicators: { chuKySo: true, vneid2: n % 2 === 0 },
    provider: n % 3 === 0 ? null : "VNPT",
    ...extra,
  };
}

function report(unitId: string, reportDate: string, counts: Record<string, number>): Entry {
  return {
    mode: "aggregate",
    key: `${unitId}~${reportDate}`,
    unitId,
    row: 2,
    enteredAt: null,
    firstSeenAt: "2025-08-04T10:00:00.000+07:00",
    reportDate,
    counts,
    reporter: "Hoàng Thị B",
    note: "",
  };
}

/**
 * One sync as the app does it: diff what the sheet says against what is stored, apply the difference; with
 * `snapshot`, with the unit's snapshot as well (app/sync.ts).
 */
async function sync(
  store: FirestoreStore,
  campaignId: string,
  unitId: string,
  sheet: Entry[],
  now: string,
  snapshot = false,
) {
  const stored = await store.loadUnitEntries(campaignId, unitId);
  const diff = diffEntries({
    campaignId,
    unitId,
    stored,
    incoming: sheet,
    now: new Date(now),
    reason: "test",
  });
  const packed = snapshot ? encodeUnitSnapshot(unitId, entriesAfter(stored, diff.changes)) : undefined;
  return { diff, written: await store.applyUnitChanges(campaignId, { ...diff, snapshot: packed }) };
}

interface Instrumented {
  db: Firestore;
  /** Writes in each successful commit, in order. */
  commits: number[];
}

/**
 * The same client, with batches that record their size and, optionally, a crash (the process dying) once
 * `failAfter` commits have gone through.
 */
function instrument(db: Firestore, failAfter = Number.POSITIVE_INFINITY): Instrumented {
  const commits: number[] = [];
  const wrapBatch = (batch: WriteBatch): WriteBatch => {
    let writes = 0;
    return new Proxy(batch, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop === "set" || prop === "delete" || prop === "create" || prop === "update") {
          return (...args: unknown[]) => {
            writes += 1;
            (value as (...a: unknown[]) => unknown).apply(target, args);
            return batch;
          };
        }
        if (prop === "commit") {
          return async () => {
            if (commits.length >= failAfter) throw new Error("simulated crash");
            const result = await target.commit();
            commits.push(writes);
            return result;
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };
  const proxy = new Proxy(db, {
    get(target, prop) {
      if (prop === "batch") return () => wrapBatch(target.batch());
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, commits };
}

describe("entries", () => {
  it("writes upserts with an audit record each and loads them back per unit and per campaign", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const a = [person("thon-1", 1), person("thon-1", 2)];
    const b = [report("truong-thcs", "2025-08-04", { chuKySo: 12, vneid2: 7 })];

    // Each entry with its audit record, and the unit's snapshot marked stale (STALE).
    expect((await sync(store, c, "thon-1", a, "2025-08-01T10:00:00+07:00")).written).toBe(4 + STALE);
    expect((await sync(store, c, "truong-thcs", b, "2025-08-04T10:00:00+07:00")).written).toBe(2 + STALE);

    expect(await store.loadUnitEntries(c, "thon-1")).toEqual(a);
    expect(await store.loadUnitEntries(c, "truong-thcs")).toEqual(b);
    expect(await store.loadUnitEntries(c, "khong-co")).toEqual([]);
    expect(await store.loadCampaignEntries(c)).toEqual([...a, ...b]);
    expect(await store.loadCampaignEntries(freshCampaign())).toEqual([]);
  });

  it("keeps keys that are not valid document ids apart and intact", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const keys = [
      "u/1~x",
      "u%2F1~x",
      ".",
      "..",
      "__name__",
      "_x_",
      "~",
      "a".repeat(2000),
      `${"a".repeat(2000)}b`,
    ];
    const entries = keys.map((key, i) => ({ ...person("u", i), key }));
    const written = await store.applyUnitChanges(c, {
      changes: { unitId: "u", upserts: entries, deletes: [], unchanged: 0 },
      audit: [],
    });
    expect(written).toBe(keys.length + STALE);
    expect((await store.loadUnitEntries(c, "u")).map((e) => e.key).sort()).toEqual([...keys].sort());
  });

  it("writes nothing for a no-op resync, and only the difference for a change", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const sheet = [person("u", 1), person("u", 2), person("u", 3)];
    const first = await sync(store, c, "u", sheet, "2025-08-01T10:00:00+07:00");
    expect(first.written).toBe(6 + STALE);

    // The same changes applied again: every document already holds exactly this.
    expect(await store.applyUnitChanges(c, first.diff)).toBe(0);

    const noop = await sync(store, c, "u", sheet, "2025-08-02T10:00:00+07:00");
    expect(noop.diff.changes.upserts).toEqual([]);
    expect(noop.written).toBe(0);

    // One row edited, one removed: two entry writes and two audit records.
    const edited = [{ ...person("u", 1), supporter: "Lý Văn C" }, person("u", 2)];
    const change = await sync(store, c, "u", edited, "2025-08-03T10:00:00+07:00");
    expect(change.written).toBe(4 + STALE);
    expect(await store.loadUnitEntries(c, "u")).toEqual(edited);
  });

  it("keeps an audit record of every change, with what was there before and after", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const v1 = person("u", 1);
    const v2 = { ...v1, residence: "Tổ 5" };
    await sync(store, c, "u", [v1], "2025-08-01T10:00:00+07:00");
    await sync(store, c, "u", [v2], "2025-08-02T10:00:00+07:00");
    await sync(store, c, "u", [], "2025-08-03T10:00:00+07:00");
    await sync(store, c, "other", [person("other", 9)], "2025-08-03T10:00:00+07:00");

    const trail = await store.loadAudit(c, "u");
    expect(trail.map((r) => [r.action, r.entryKey, r.at])).toEqual([
      ["create", v1.key, "2025-08-01T03:00:00.000Z"],
      ["update", v1.key, "2025-08-02T03:00:00.000Z"],
      ["delete", v1.key, "2025-08-03T03:00:00.000Z"],
    ]);
    expect(trail[1]).toMatchObject({ before: v1, after: v2, campaignId: c, unitId: "u", reason: "test" });
    expect(trail[2]).toMatchObject({ before: v2, after: null });
  });

  it("a retried write of audit records already stored changes nothing, not even their time", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const first = await sync(store, c, "u", [person("u", 1)], "2025-08-01T10:00:00+07:00");
    const again = {
      changes: { ...first.diff.changes, upserts: [] },
      audit: first.diff.audit.map((r) => ({ ...r, at: "2025-09-01T00:00:00.000Z" })),
    };
    expect(await store.applyUnitChanges(c, again)).toBe(0);
    expect((await store.loadAudit(c, "u")).map((r) => r.at)).toEqual(["2025-08-01T03:00:00.000Z"]);
  });

  it("commits at most 500 writes at a time and never splits a change from its audit record", async () => {
    const c = freshCampaign();
    const big = instrument(fs.db);
    const sheet = Array.from({ length: 251 }, (_, i) => person("xa", i));
    const { written } = await sync(new FirestoreStore(big.db), c, "xa", sheet, "2025-08-01T10:00:00+07:00");
    expect(written).toBe(502 + STALE);
    // The first commit keeps room for the stale mark: 249 changes of two writes, then the mark.
    expect(big.commits).toEqual([499, 4]);

    const small = instrument(fs.db);
    const store = new FirestoreStore(small.db, { batchSize: 5 });
    await sync(store, c, "xa", sheet.slice(0, 3), "2025-08-02T10:00:00+07:00");
    // 248 deletes with their audit records, in pairs: a 5-write batch holds two pairs, never two and a half;
    // the first also the stale mark.
    expect(small.commits[0]).toBe(4 + STALE);
    expect(small.commits.slice(1).every((n) => n === 4)).toBe(true);
    expect(small.commits.reduce((a, b) => a + b, 0)).toBe(2 * 248 + STALE);
  });

  it("never writes one document twice in a commit, which Firestore refuses", async () => {
    const c = freshCampaign();
    const probe = instrument(fs.db);
    const v1 = person("u", 1);
    const v2 = { ...v1, supporter: "Lò Văn D" };
    const written = await new FirestoreStore(probe.db).applyUnitChanges(c, {
      changes: { unitId: "u", upserts: [v1, v2], deletes: [], unchanged: 0 },
      audit: [],
    });
    expect(probe.commits).toEqual([1 + STALE, 1]);
    expect(written).toBe(2 + STALE);
    expect(await new FirestoreStore(fs.db).loadUnitEntries(c, "u")).toEqual([v2]);
  });

  it("a run that dies between commits and is rerun ends where a clean run ends, with no audit twice", async () => {
    const sheet = [
      ...Array.from({ length: 7 }, (_, i) => person("u", i)),
      report("u", "2025-08-04", { chuKySo: 3 }),
    ];
    const before = Array.from({ length: 4 }, (_, i) => person("u", 100 + i));

    const prepare = async (c: string) => {
      await sync(new FirestoreStore(fs.db), c, "u", before, "2025-08-01T10:00:00+07:00", true);
      expect((await new FirestoreStore(fs.db).loadUnitSnapshots(c)).get("u")).not.toBeNull();
    };
    const clean = freshCampaign();
    await prepare(clean);
    await sync(
      new FirestoreStore(fs.db, { batchSize: 6 }),
      clean,
      "u",
      sheet,
      "2025-08-02T10:00:00+07:00",
      true,
    );

    const crashed = freshCampaign();
    await prepare(crashed);
    const dying = instrument(fs.db, 1);
    await expect(
      sync(
        new FirestoreStore(dying.db, { batchSize: 6 }),
        crashed,
        "u",
        sheet,
        "2025-08-02T10:00:00+07:00",
        true,
      ),
    ).rejects.toThrow("simulated crash");
    // Two changes with their audit records, and the stale mark (batch size 6, a third change would not fit).
    expect(dying.commits).toEqual([4 + STALE]);
    // Half done: every stored change has its audit record and no audit record lacks its change.
    const half = await new FirestoreStore(fs.db).loadUnitEntries(crashed, "u");
    expect(half).not.toEqual(sheet);
    const halfTrail = (await new FirestoreStore(fs.db).loadAudit(crashed, "u")).filter(
      (r) => r.at > "2025-08-01T04",
    );
    expect(halfTrail).toHaveLength(2);
    // The snapshot the earlier run saved no longer says what is stored: it is marked stale.
    expect((await new FirestoreStore(fs.db).loadUnitSnapshots(crashed)).get("u")).toBeNull();
    for (const r of halfTrail) {
      expect(half.some((e) => e.key === r.entryKey)).toBe(r.action !== "delete");
    }

    // Rerun an hour later, through a fresh store, as a restarted process would.
    const rerun = await sync(
      new FirestoreStore(fs.db, { batchSize: 6 }),
      crashed,
      "u",
      sheet,
      "2025-08-02T11:00:00+07:00",
      true,
    );
    expect(rerun.written).toBeGreaterThan(0);

    const store = new FirestoreStore(fs.db);
    const entries = await store.loadUnitEntries(crashed, "u");
    expect(entries).toEqual(await store.loadUnitEntries(clean, "u"));
    // The rerun saved the snapshot of what is now stored.
    const snapshot = (await store.loadUnitSnapshots(crashed)).get("u");
    const back = decodeUnitSnapshot(snapshot!);
    expect(
      [...back.entries, ...(back.lineList?.entries() ?? [])].sort((a, b) => (a.key < b.key ? -1 : 1)),
    ).toEqual(entries);
    // Ids and times of the changes the rerun applied carry the rerun's time; what was recorded must not differ.
    const trailOf = async (c: string) =>
      (await store.loadAudit(c, "u"))
        .map((r) => JSON.stringify([r.action, r.entryKey, r.before, r.after]))
        .sort();
    const crashedTrail = await trailOf(crashed);
    expect(new Set(crashedTrail).size).toBe(crashedTrail.length);
    expect(crashedTrail).toEqual(await trailOf(clean));
    // 4 creates before, then 8 creates and 4 deletes.
    expect(crashedTrail).toHaveLength(16);

    // And the rerun's rerun is a no-op.
    expect((await sync(store, crashed, "u", sheet, "2025-08-02T12:00:00+07:00", true)).written).toBe(0);
  });
});

describe("unit snapshots", () => {
  /** Bytes that differ from position to position, so a chunk put back in the wrong place shows. */
  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

  it("are saved in chunks under Firestore's document limit and read back whole", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    expect(await store.loadUnitSnapshots(c)).toEqual(new Map());
    const big = bytes(2_000_000, 1);
    // Head and two more chunks of at most 900 kB.
    expect(await store.saveUnitSnapshot(c, "xa/1", big)).toBe(3);
    expect(await store.saveUnitSnapshot(c, "thon", bytes(10, 2))).toBe(1);
    const loaded = await new FirestoreStore(fs.db).loadUnitSnapshots(c);
    expect([...loaded.keys()].sort()).toEqual(["thon", "xa/1"]);
    expect(Buffer.from(loaded.get("xa/1")!).equals(Buffer.from(big))).toBe(true);
    expect([...loaded.get("thon")!]).toEqual([...bytes(10, 2)]);
    // The same bytes again: nothing written.
    expect(await store.saveUnitSnapshot(c, "xa/1", big)).toBe(0);
    // Smaller: the head is rewritten and the chunks no longer used are deleted.
    expect(await store.saveUnitSnapshot(c, "xa/1", bytes(5, 3))).toBe(3);
    expect([...(await store.loadUnitSnapshots(c)).get("xa/1")!]).toEqual([...bytes(5, 3)]);
    const chunks = await fs.db.collection(`${new CampaignPaths().snapshot(c, "xa/1")}/chunks`).get();
    expect(chunks.size).toBe(0);
  });

  it("travel in the commit of a change that takes one: entries and snapshot change together", async () => {
    const c = freshCampaign();
    const probe = instrument(fs.db);
    const store = new FirestoreStore(probe.db);
    const first = await sync(
      store,
      c,
      "u",
      [person("u", 1), person("u", 2)],
      "2025-08-01T10:00:00+07:00",
      true,
    );
    // Two entries, two audit records and the snapshot, in one commit.
    expect(probe.commits).toEqual([5]);
    expect(first.written).toBe(5);
    const saved = (await store.loadUnitSnapshots(c)).get("u")!;
    const entries = await store.loadUnitEntries(c, "u");
    const back = decodeUnitSnapshot(saved);
    expect([...back.entries, ...(back.lineList?.entries() ?? [])]).toEqual(entries);

    // The process dies on that one commit: neither the entries nor the snapshot changed.
    const dying = instrument(fs.db, 0);
    await expect(
      sync(new FirestoreStore(dying.db), c, "u", [person("u", 3)], "2025-08-02T10:00:00+07:00", true),
    ).rejects.toThrow("simulated crash");
    expect(await store.loadUnitEntries(c, "u")).toEqual(entries);
    expect(Buffer.from((await store.loadUnitSnapshots(c)).get("u")!).equals(Buffer.from(saved))).toBe(true);
  });

  it("are stale from the first commit that changes the unit's entries until saved again", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    await store.saveUnitSnapshot(c, "u", bytes(1_000_000, 4));
    await store.saveUnitSnapshot(c, "v", bytes(3, 5));
    // A write that changes nothing leaves the snapshot as it is.
    await sync(store, c, "u", [], "2025-08-01T10:00:00+07:00");
    expect((await store.loadUnitSnapshots(c)).get("u")).not.toBeNull();

    await sync(store, c, "u", [person("u", 1)], "2025-08-01T10:00:00+07:00");
    const after = await store.loadUnitSnapshots(c);
    expect(after.get("u")).toBeNull();
    expect([...after.get("v")!]).toEqual([...bytes(3, 5)]);
    // Saving the same bytes as before the change still writes: a stale snapshot is never taken as current.
    expect(await store.saveUnitSnapshot(c, "u", bytes(1_000_000, 4))).toBe(2);
    expect((await store.loadUnitSnapshots(c)).get("u")).not.toBeNull();
    // A unit with entries but no snapshot yet gets the stale mark too.
    await sync(store, c, "w", [person("w", 1)], "2025-08-01T10:00:00+07:00");
    expect((await store.loadUnitSnapshots(c)).get("w")).toBeNull();
  });
});

describe("unit state, standings and meta", () => {
  const state = (extra: Partial<UnitSyncState> = {}): UnitSyncState => ({
    unitId: "thon-1",
    lastModified: "2025-08-01T02:00:00.000Z",
    lastSyncAt: "2025-08-01T03:00:00.000Z",
    issues: [
      {
        code: "citizen-id-length",
        severity: "error",
        unitId: "thon-1",
        row: 5,
        column: "D",
        header: "Số CCCD",
        message: "Số định danh phải có 12 chữ số.",
      },
    ],
    problem: null,
    confirmedPeriods: [0, 2],
    ...extra,
  });

  it("writes a unit's state only when it changed", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    expect(await store.saveUnitState(c, state())).toBe(1);
    expect(await store.saveUnitState(c, state())).toBe(0);
    // Key order is not a difference.
    const reordered = Object.fromEntries(Object.entries(state()).reverse()) as unknown as UnitSyncState;
    expect(await store.saveUnitState(c, reordered)).toBe(0);
    expect(await store.saveUnitState(c, state({ confirmedPeriods: [0, 2, 3] }))).toBe(1);
    expect(await store.saveUnitState(c, state({ unitId: "thon-2" }))).toBe(1);
    expect((await store.loadUnitStates(c)).map((s) => [s.unitId, s.confirmedPeriods])).toEqual([
      ["thon-1", [0, 2, 3]],
      ["thon-2", [0, 2]],
    ]);
  });

  const standings = (asOf: string, total: number): Standings => ({
    campaignId: "cho-don",
    title: "Chữ ký số công cộng",
    asOf,
    asOfDate: asOf.slice(0, 10),
    period: { index: 1, start: "2025-07-31T14:00:00.000+07:00", end: "2025-08-04T14:00:00.000+07:00" },
    ranking: { indicator: "chuKySo", measure: "percent" },
    indicators: [{ key: "chuKySo", label: "Chữ ký số" }],
    totals: {
      counts: { chuKySo: total },
      periodCounts: { chuKySo: 2 },
      target: 100,
      percent: total,
      pace: 12.5,
      units: 1,
      reported: 1,
    },
    units: [],
    rollup: [],
    issues: [],
  });

  it("writes standings only when something other than the as-of time changed", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    expect(await store.loadStandings(c)).toBeNull();
    expect(await store.saveStandings(c, standings("2025-08-02T10:00:00.000+07:00", 40))).toBe(1);
    expect(await store.saveStandings(c, standings("2025-08-03T10:00:00.000+07:00", 40))).toBe(0);
    // The stored copy keeps the as-of time of the write that last changed something.
    expect((await store.loadStandings(c))?.asOf).toBe("2025-08-02T10:00:00.000+07:00");
    expect(await store.saveStandings(c, standings("2025-08-03T10:00:00.000+07:00", 41))).toBe(1);
    expect(await store.loadStandings(c)).toEqual(standings("2025-08-03T10:00:00.000+07:00", 41));
  });

  it("stores standings too large for one document in parts, and back inline when they shrink", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const issue = (i: number) => ({
      code: "date-invalid",
      severity: "error" as const,
      unitId: `xa-${i % 100}`,
      row: i + 2,
      column: "C",
      header: "Ngày hỗ trợ",
      message: `Ngày "31/02/2025" không tồn tại (dòng ${i + 2}). Hãy nhập theo dạng ngày/tháng/năm, ví dụ 04/08/2025. 😀`,
    });
    const big = {
      ...standings("2025-08-02T10:00:00.000+07:00", 40),
      issues: Array.from({ length: 12_000 }, (_, i) => issue(i)),
    };
    expect(JSON.stringify(big).length).toBeGreaterThan(2_000_000);

    expect(await store.saveStandings(c, standings("2025-08-01T10:00:00.000+07:00", 39))).toBe(1);
    const written = await store.saveStandings(c, big);
    expect(written).toBeGreaterThan(2);
    const paths = new CampaignPaths();
    const main = fs.db.doc(paths.standings(c));
    const parts = await main.collection("parts").get();
    expect(parts.size).toBe(written - 1);
    for (const doc of [await main.get(), ...parts.docs]) {
      expect(Buffer.byteLength(JSON.stringify(doc.data()), "utf8")).toBeLessThan(1_000_000);
    }
    expect(await store.loadStandings(c)).toEqual(big);
    expect(await store.saveStandings(c, { ...big, asOf: "2025-08-03T10:00:00.000+07:00" })).toBe(0);

    const small = standings("2025-08-04T10:00:00.000+07:00", 41);
    expect(await store.saveStandings(c, small)).toBe(1 + parts.size);
    expect((await main.collection("parts").get()).size).toBe(0);
    expect(await store.loadStandings(c)).toEqual(small);
  });

  it("round-trips meta values and writes them only when they changed", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const value = { spreadsheetId: "1AbC", tabs: { "Xếp hạng": 0, "Lỗi dữ liệu": 3 }, hashes: ["a", "b"] };
    expect(await store.loadMeta(c, "publisher/sheets")).toBeNull();
    expect(await store.saveMeta(c, "publisher/sheets", value)).toBe(1);
    expect(await store.loadMeta(c, "publisher/sheets")).toEqual(value);
    expect(
      await store.saveMeta(c, "publisher/sheets", {
        hashes: ["a", "b"],
        tabs: value.tabs,
        spreadsheetId: "1AbC",
      }),
    ).toBe(0);
    expect(await store.saveMeta(c, "publisher/sheets", { ...value, hashes: ["b", "a"] })).toBe(1);
    expect(await store.saveMeta(c, "counter", 7)).toBe(1);
    expect(await store.loadMeta<number>(c, "counter")).toBe(7);
    // A different key is a different document.
    expect(await store.loadMeta(c, "publisher")).toBeNull();
  });

  it("drops undefined members the way JSON does instead of failing the write", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const value = { a: 1, gone: undefined, nested: { b: undefined, c: "x" }, list: [1, undefined, 3] };
    expect(await store.saveMeta(c, "k", value)).toBe(1);
    expect(await store.loadMeta(c, "k")).toEqual({ a: 1, nested: { c: "x" }, list: [1, null, 3] });
    expect(await store.saveMeta(c, "k", JSON.parse(JSON.stringify(value)))).toBe(0);

    const withUndefined = { ...person("u", 1), extra: undefined } as Entry;
    await store.applyUnitChanges(c, {
      changes: { unitId: "u", upserts: [withUndefined], deletes: [], unchanged: 0 },
      audit: [],
    });
    expect(await store.loadUnitEntries(c, "u")).toEqual([person("u", 1)]);
    await expect(store.saveMeta(c, "bad", { when: Number.NaN })).rejects.toMatchObject({
      code: "store-unsupported-value",
    });
  });
});

describe("reminder ledger", () => {
  const record = (c: string, id: string, createdAt: string): LedgerRecord => ({
    id,
    campaignId: c,
    kind: "reminder",
    periodIndex: 3,
    unitId: "thon-1",
    state: "pending",
    messageId: `<${id}@dondoc>`,
    createdAt,
    sentAt: null,
  });

  it("lets exactly one of two concurrent claims create the record", async () => {
    const c = freshCampaign();
    // Two clients, as two processes would have.
    const one = new FirestoreStore(fs.db);
    const two = new FirestoreStore(fs.newClient());
    const id = "p3~thon-1~remind-2h";
    const results = await Promise.all([
      one.claimLedger(record(c, id, "2025-08-04T05:00:00.000Z")),
      two.claimLedger(record(c, id, "2025-08-04T05:00:00.001Z")),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    const winner = results.find((r) => r.created)!.record;
    expect(results.find((r) => !r.created)!.record).toEqual(winner);
    expect(await one.loadLedger(c)).toEqual([winner]);
  });

  it("returns an existing record unchanged and marks a send once", async () => {
    const store = new FirestoreStore(fs.db);
    const c = freshCampaign();
    const r = record(c, "p1~digest", "2025-08-04T07:05:00.000Z");
    expect(await store.claimLedger(r)).toEqual({ record: r, created: true });

    await store.markLedgerSent(c, r.id, "2025-08-04T07:06:00.000Z");
    const sent = { ...r, state: "sent", sentAt: "2025-08-04T07:06:00.000Z" };
    expect(await store.claimLedger({ ...r, createdAt: "2025-08-05T00:00:00.000Z" })).toEqual({
      record: sent,
      created: false,
    });
    await store.markLedgerSent(c, r.id, "2025-08-04T09:00:00.000Z");
    expect(await store.loadLedger(c)).toEqual([sent]);

    await expect(store.markLedgerSent(c, "missing", "2025-08-04T09:00:00.000Z")).rejects.toMatchObject({
      code: "ledger-missing",
    });
  });
});

describe("claimOnce (replay protection)", () => {
  it("lets exactly one of several concurrent claims of a key through, and refuses it afterwards", async () => {
    const c = freshCampaign();
    const clients = [
      new FirestoreStore(fs.db),
      new FirestoreStore(fs.newClient()),
      new FirestoreStore(fs.newClient()),
    ];
    const results = await Promise.all(
      clients.map((s) => s.claimOnce(c, "push~thon-1~req-0001", "2025-08-04T05:00:00Z")),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await clients[0]!.claimOnce(c, "push~thon-1~req-0001", "2025-08-04T06:00:00Z")).toBe(false);
    expect(await clients[0]!.claimOnce(c, "push~thon-1~req-0002", "2025-08-04T06:00:00Z")).toBe(true);
  });
});

describe("document ids", () => {
  it("are valid and distinct for awkward keys", () => {
    const inputs = [
      "a/b",
      "a%2Fb",
      ".",
      "..",
      "...",
      "__x__",
      "%5F_x__",
      "_x_",
      "a".repeat(1501),
      "ư".repeat(800),
    ];
    const ids = inputs.map(encodeDocId);
    expect(new Set(ids).size).toBe(inputs.length);
    for (const id of ids) {
      expect(id).not.toContain("/");
      expect(id === "." || id === "..").toBe(false);
      expect(/^__.*__$/.test(id)).toBe(false);
      expect(Buffer.byteLength(id, "utf8")).toBeLessThanOrEqual(1500);
    }
    expect(encodeDocId("thon-1~2025-08-04")).toBe("thon-1~2025-08-04");
    expect(() => encodeDocId("")).toThrow(expect.objectContaining({ code: "store-empty-id" }));
  });
});
