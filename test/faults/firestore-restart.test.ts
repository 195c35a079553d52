// Issue 8, faults: the Firestore emulator stops in the middle of a sync and comes back on the same data.
// Whatever the interrupted cycle managed, a rerun must end with the standings of a clean run and no audit record
// written twice or missing.
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { emulatorClient } from "../../functions/src/adapters/firestore/connect.ts";
import {
  type LoopbackEmulator,
  startLoopbackEmulator,
} from "../../functions/src/adapters/firestore/embedded.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { runSyncCycle } from "../../functions/src/app/sync.ts";
import type { RawSheet } from "../../functions/src/core/model.ts";
import type { SheetSource, Store } from "../../functions/src/core/ports.ts";
import type { Campaign, Standings, Unit } from "../../schemas/index.ts";
import { MemoryStore } from "../support/memory-store.ts";

const NOW = new Date("2025-08-08T03:00:00Z"); // mid-campaign: Friday 10:00 in Vietnam
const hashId = makeIdHasher("restart-test-secret-0123456789abcdef");
const running: LoopbackEmulator[] = [];
let campaign: Campaign;
let units: Unit[];
let plain: SheetSource;
let clean: Standings;
const sheets = new Map<string, RawSheet>();

const cycle = (store: Store, source: SheetSource = plain) =>
  runSyncCycle({ campaign, units, source, store, now: NOW, hashId, replay: true });

const outcome = (run: Promise<unknown>) =>
  run.then(
    () => "completed",
    (error: Error) => `failed: ${error.message}`,
  );

beforeAll(async () => {
  const folder = await loadCampaignFolder(resolve("examples/cho-don"));
  ({ campaign, units } = folder);
  const xlsx = new XlsxSheetSource({ dir: folder.sheetsDir });
  for (const u of units) sheets.set(u.id, await xlsx.read(u));
  plain = { changedUnits: async (list) => list, read: async (u) => sheets.get(u.id)! };
  clean = (await cycle(new MemoryStore())).standings;
});

afterAll(() => {
  for (const e of running) e.stop();
});

async function emulator() {
  const first = await startLoopbackEmulator();
  running.push(first);
  const port = Number(first.host.split(":")[1]);
  const db = emulatorClient(first.host, `dondoc-restart-${running.length}`);
  const restart = async () => {
    const next = await startLoopbackEmulator({ port, dataOf: first.server });
    running.push(next);
    return next;
  };
  return { first, db, store: new FirestoreStore(db), restart };
}

async function expectConverged(store: FirestoreStore): Promise<void> {
  const rerun = await cycle(store);
  expect(rerun.standings).toEqual(clean);
  expect((await cycle(store)).written).toBe(0);
  for (const unit of units) {
    const trail = await store.loadAudit(campaign.id, unit.id);
    expect(new Set(trail.map((a) => a.id)).size).toBe(trail.length);
    // One "create" per stored entry: nothing recorded twice, nothing missing.
    const stored = await store.loadUnitEntries(campaign.id, unit.id);
    expect(
      trail
        .filter((a) => a.action === "create")
        .map((a) => a.entryKey)
        .sort(),
    ).toEqual(stored.map((e) => e.key).sort());
  }
}

describe("the Firestore emulator stopped mid-sync and started again", () => {
  it("a short outage while units are read: the client's retries ride it out, and the result is a clean run's", async () => {
    const { first, db, store, restart } = await emulator();
    let reads = 0;
    let restarted: Promise<LoopbackEmulator> | null = null;
    const flaky: SheetSource = {
      changedUnits: async (list) => list,
      read: async (u) => {
        // After six units the emulator goes away; a second later it is back on the same port with the same data.
        if (++reads === 7) {
          first.stop();
          restarted = new Promise((ok) => setTimeout(ok, 1000)).then(restart);
        }
        return sheets.get(u.id)!;
      },
    };
    const interrupted = await outcome(cycle(store, flaky));
    expect(restarted).not.toBeNull();
    await restarted;
    expect(interrupted).toMatch(/^(completed|failed)/);
    await expectConverged(store);
    await db.terminate();
  }, 120_000);
});
