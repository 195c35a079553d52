// Issue 8 point 2: a crash between writing the entries and writing the standings. The rerun writes only what the
// crashed run did not (the standings), and its standings equal those of a clean run at the same instant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { type CycleResult, runSyncCycle, type SyncDeps } from "../../functions/src/app/sync.ts";
import type { Store } from "../../functions/src/core/ports.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";
import { type ChoDon, choDonSyncDeps, loadChoDon } from "../support/cho-don-sync.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { MemoryStore } from "../support/memory-store.ts";

const NOW = new Date("2025-08-19T05:00:00Z"); // the morning after the campaign
const hashId = makeIdHasher("c".repeat(48));

let fs: TestFirestore;
let choDon: ChoDon;
let campaign: Campaign;
let units: Unit[];
let clean: CycleResult;

const deps = (store: Store, extra: Partial<SyncDeps> = {}) =>
  choDonSyncDeps(choDon, store, NOW, hashId, extra);

async function auditCount(store: Store): Promise<number> {
  let n = 0;
  for (const u of units) n += (await store.loadAudit(campaign.id, u.id)).length;
  return n;
}

beforeAll(async () => {
  choDon = await loadChoDon();
  ({ campaign, units } = choDon);
  clean = await runSyncCycle(deps(new MemoryStore()));
  fs = await startTestFirestore();
}, 30_000);

afterAll(async () => {
  await fs?.stop();
});

describe("a crash between storing entries and storing standings", () => {
  it("leaves no standings; the rerun writes only the standings and they equal a clean run's", async () => {
    const store = new FirestoreStore(fs.db);
    const crash = new Error("process killed after the entries were stored");
    await expect(
      runSyncCycle(
        deps(store, {
          afterEntriesStored: () => {
            throw crash;
          },
        }),
      ),
    ).rejects.toBe(crash);
    expect(await store.loadStandings(campaign.id)).toBeNull();
    const entries = await store.loadCampaignEntries(campaign.id);
    const audit = await auditCount(store);
    expect(entries.length).toBeGreaterThan(1000);

    const rerun = await runSyncCycle(deps(store));
    // Nothing of a unit is written again: every sheet is unchanged since the crashed run stored it.
    expect(rerun.units.reduce((n, r) => n + r.written, 0)).toBe(0);
    expect(rerun.read).toBe(0);
    expect(await store.loadCampaignEntries(campaign.id)).toEqual(entries);
    expect(await auditCount(store)).toBe(audit);
    // Only the standings document (and its parts, if any) was written.
    expect(rerun.written).toBeGreaterThan(0);
    const third = await runSyncCycle(deps(store));
    expect(third.written).toBe(0);

    expect(rerun.standings).toEqual(clean.standings);
    expect(await store.loadStandings(campaign.id)).toEqual(clean.standings);
    expect(rerun.report).toBe(clean.report);
  }, 50_000);
});
