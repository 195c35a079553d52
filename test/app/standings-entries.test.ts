// The cycle counts from one snapshot per unit instead of every entry document. Whatever path the snapshots took
// (saved with the changes, left stale by a write without one, never made because the entries predate them), the
// standings must be those computed from the entries themselves, and a cycle must read no entry of a unit it did
// not read from its sheet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { CampaignPaths } from "../../functions/src/adapters/firestore/paths.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { SNAPSHOTS_COMPLETE } from "../../functions/src/app/standings-entries.ts";
import { runSyncCycle, type SyncDeps, standingsInstant } from "../../functions/src/app/sync.ts";
import type { Store } from "../../functions/src/core/ports.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import type { Campaign, Standings, Unit } from "../../schemas/index.ts";
import { type ChoDon, choDonSyncDeps, loadChoDon } from "../support/cho-don-sync.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { MemoryStore } from "../support/memory-store.ts";

const NOW = new Date("2025-08-19T05:00:00Z"); // the morning after the campaign
const hashId = makeIdHasher("s".repeat(48));

let fs: TestFirestore;
let choDon: ChoDon;
let campaign: Campaign;
let units: Unit[];

beforeAll(async () => {
  choDon = await loadChoDon();
  ({ campaign, units } = choDon);
  fs = await startTestFirestore();
}, 30_000);

afterAll(async () => {
  await fs?.stop();
});

const deps = (store: Store, extra: Partial<SyncDeps> = {}) =>
  choDonSyncDeps(choDon, store, NOW, hashId, extra);

/** The store, counting the entry reads the cycle makes. */
function counting(store: Store) {
  const calls = { campaignEntries: 0, unitEntries: [] as string[] };
  const proxy = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "loadCampaignEntries") calls.campaignEntries += 1;
      if (prop === "loadUnitEntries") {
        return (campaignId: string, unitId: string) => {
          calls.unitEntries.push(unitId);
          return target.loadUnitEntries(campaignId, unitId);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: proxy, calls };
}

/** The standings computed from every stored entry, as the cycle did before snapshots. */
async function fromEntries(store: Store, forUnits: Unit[] = units): Promise<Standings> {
  const unitStates = await store.loadUnitStates(campaign.id);
  return computeStandings({
    campaign,
    units: forUnits,
    entries: await store.loadCampaignEntries(campaign.id),
    unitStates: forUnits.map(
      (u) =>
        unitStates.find((s) => s.unitId === u.id) ?? {
          unitId: u.id,
          lastModified: null,
          lastSyncAt: null,
          issues: [],
          problem: null,
          confirmedPeriods: [],
        },
    ),
    issues: forUnits.flatMap((u) => unitStates.find((s) => s.unitId === u.id)?.issues ?? []),
    asOf: standingsInstant(campaign, NOW),
  }).standings;
}

describe("standings from unit snapshots", () => {
  it("equal the standings of every entry, and a cycle reads only the entries of the units it reads", async () => {
    const memory = new MemoryStore();
    const first = await runSyncCycle(deps(memory));
    expect(first.read).toBeGreaterThan(5);
    expect(first.standings.units.some((u) => (u.counts[campaign.ranking.indicator] ?? 0) > 0)).toBe(true);
    expect(first.standings).toEqual(await fromEntries(memory));

    // One unit read again (a leader's confirmation forces it): its entries are read, nobody else's.
    const one = units.find((u) => u.id === "thon-na-pai")!;
    const { store, calls } = counting(memory);
    const again = await runSyncCycle(deps(store, { confirmDeletions: new Set([one.id]) }));
    expect(again.read).toBe(1);
    expect(calls).toEqual({ campaignEntries: 0, unitEntries: [one.id] });
    expect(again.standings).toEqual(first.standings);

    // A unit taken off the list keeps counting where its entries decide (a citizen it recorded first).
    const fewer = units.filter((u) => u.id !== "cong-an-xa");
    const without = await runSyncCycle(deps(memory, { units: fewer }));
    expect(without.standings).toEqual(await fromEntries(memory, fewer));
  }, 60_000);

  it("rebuild a snapshot left stale by a change written without one, and save it", async () => {
    const memory = new MemoryStore();
    await runSyncCycle(deps(memory));
    // A write of the unit's entries that brings no snapshot (as an older version, or a hand repair, would).
    const unitId = "thon-khuoi-cuong";
    const stored = await memory.loadUnitEntries(campaign.id, unitId);
    expect(stored.length).toBeGreaterThan(3);
    await memory.applyUnitChanges(campaign.id, {
      changes: { unitId, upserts: [], deletes: stored.slice(0, 3).map((e) => e.key), unchanged: 0 },
      audit: [],
    });
    expect((await memory.loadUnitSnapshots(campaign.id)).get(unitId)).toBeNull();

    const { store, calls } = counting(memory);
    const cycle = await runSyncCycle(deps(store));
    expect(cycle.read).toBe(0);
    expect(calls.unitEntries).toEqual([unitId]);
    expect(cycle.standings).toEqual(await fromEntries(memory));
    expect((await memory.loadUnitSnapshots(campaign.id)).get(unitId)).not.toBeNull();
    // Saved: the next cycle reads no entry at all, and writes nothing.
    const { store: next, calls: nextCalls } = counting(memory);
    const quiet = await runSyncCycle(deps(next));
    expect(nextCalls.unitEntries).toEqual([]);
    expect(quiet.written).toBe(0);
  }, 60_000);

  it("are built once from the entries of a campaign stored before snapshots existed", async () => {
    const root = `legacy-${Date.now().toString(36)}`;
    const store = new FirestoreStore(fs.db, { root });
    const paths = new CampaignPaths(root);
    const first = await runSyncCycle(deps(store));
    // What an earlier version left: entries and states, but no snapshot and no mark.
    const heads = await fs.db.collection(paths.snapshots(campaign.id)).get();
    expect(heads.size).toBeGreaterThan(5);
    for (const head of heads.docs) {
      for (const chunk of (await head.ref.collection("chunks").get()).docs) await chunk.ref.delete();
      await head.ref.delete();
    }
    await fs.db.doc(paths.meta(campaign.id, SNAPSHOTS_COMPLETE)).delete();

    const { store: once, calls } = counting(store);
    const rebuilt = await runSyncCycle(deps(once));
    expect(calls).toEqual({ campaignEntries: 1, unitEntries: [] });
    expect(rebuilt.standings).toEqual(first.standings);
    // One for each unit with entries (a unit without any needs none).
    const withEntries = new Set((await store.loadCampaignEntries(campaign.id)).map((e) => e.unitId));
    expect(withEntries.size).toBeGreaterThan(5);
    expect((await fs.db.collection(paths.snapshots(campaign.id)).get()).size).toBe(withEntries.size);
    expect(await store.loadMeta(campaign.id, SNAPSHOTS_COMPLETE)).toBe(true);

    // From then on the snapshots are read, and nothing is written.
    const { store: after, calls: afterCalls } = counting(store);
    const third = await runSyncCycle(deps(after));
    expect(afterCalls).toEqual({ campaignEntries: 0, unitEntries: [] });
    expect(third.standings).toEqual(first.standings);
    expect(third.written).toBe(0);
  }, 60_000);
});
