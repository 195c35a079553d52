// Issue 8 point 2: Sheets and Drive failing on 30 % of calls (429/503, deterministic by seed) during whole sync
// cycles through the Google adapters. Retries (instant sleep here) absorb most faults; a unit still failing after
// its retries is reported and the cycle goes on; reruns converge. The end state equals a fault-free run's: the
// same standings and the same values in every leaders' tab.
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { driveClient, sheetsClient, staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { GoogleDrive, SheetModificationLog } from "../../functions/src/adapters/google/drive.ts";
import { UNLIMITED_QUOTA } from "../../functions/src/adapters/google/quota.ts";
import type { RetryOptions } from "../../functions/src/adapters/google/retry.ts";
import { GoogleUnitAnnotator } from "../../functions/src/adapters/google/sheets-annotate.ts";
import { GoogleSheetSource } from "../../functions/src/adapters/google/sheets-source.ts";
import {
  GoogleSummaryPublisher,
  type PublisherState,
} from "../../functions/src/adapters/google/sheets-summary.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { type CycleResult, runSyncCycle } from "../../functions/src/app/sync.ts";
import { metaState } from "../../functions/src/cloud/google-edges.ts";
import type { Store } from "../../functions/src/core/ports.ts";
import type { Campaign, Unit } from "../../schemas/index.ts";
import { type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";
import { MemoryStore } from "../support/memory-store.ts";

const NOW = new Date("2025-08-19T05:00:00Z");
const hashId = makeIdHasher("g".repeat(48));
const MAX_RUNS = 6;

let campaign: Campaign;
let baseUnits: Unit[];
const rows = new Map<string, { header: unknown[]; rows: unknown[][] }>();

interface World {
  google: GoogleFake;
  units: Unit[];
  leadersId: string;
  store: Store;
}

async function world(faults: { faultRate: number; seed: number }): Promise<World> {
  const google = await startGoogleFake({ seed: faults.seed });
  const ids = new Map<string, string>();
  for (const unit of baseUnits) {
    const sheet = rows.get(unit.id);
    if (!sheet) continue;
    const id = google.state.createSpreadsheet({ title: unit.name, tabs: ["Nhập liệu"] });
    google.state.setValues(id, "Nhập liệu", [sheet.header, ...sheet.rows] as never);
    ids.set(unit.id, id);
  }
  const leadersId = google.state.createSpreadsheet({ title: "Tổng hợp" });
  // Faults start once the world is set up: they hit the cycle, not the fixture.
  google.setFaults({ faultRate: faults.faultRate, seed: faults.seed });
  const units = baseUnits.map((u) => (ids.has(u.id) ? { ...u, sheetId: ids.get(u.id)! } : u));
  return { google, units, leadersId, store: new MemoryStore() };
}

function cycle(w: World, attempts?: number): Promise<CycleResult> {
  const client = { auth: staticTokenAuth(), rootUrl: w.google.rootUrl };
  const sheets = sheetsClient(client);
  const retry: RetryOptions = { sleep: async () => {}, attempts };
  const policy = { quota: UNLIMITED_QUOTA, retry };
  const drive = new GoogleDrive({ drive: driveClient(client), ...policy });
  const log = new SheetModificationLog(metaState(w.store, campaign.id, "sheets-own-writes"));
  return runSyncCycle({
    campaign,
    units: w.units,
    source: new GoogleSheetSource({ sheets, drive, log, ...policy }),
    annotator: new GoogleUnitAnnotator({ sheets, drive, log, ...policy }),
    publisher: new GoogleSummaryPublisher({
      sheets,
      spreadsheetId: w.leadersId,
      state: metaState<PublisherState>(w.store, campaign.id, "leaders-publisher"),
      editorEmail: "dondoc-functions@ubnd-cho-don.iam.gserviceaccount.com",
      ...policy,
    }),
    store: w.store,
    now: NOW,
    hashId,
  });
}

/** Runs cycles until one completes with every unit synced; returns the runs' outcomes. */
async function converge(w: World, attempts?: number): Promise<{ last: CycleResult; outcomes: string[] }> {
  const outcomes: string[] = [];
  for (let run = 1; run <= MAX_RUNS; run++) {
    try {
      const result = await cycle(w, attempts);
      const failed = result.units.filter((r) => r.status === "failed");
      outcomes.push(failed.length === 0 ? "ok" : `failed units: ${failed.map((r) => r.unitId).join(", ")}`);
      if (failed.length === 0) return { last: result, outcomes };
      // A unit that failed is reported, not hidden.
      for (const r of failed) {
        expect(result.standings.units.find((u) => u.id === r.unitId)?.syncProblem ?? null).not.toBeNull();
      }
    } catch (error) {
      outcomes.push(`cycle failed: ${(error as Error).message}`);
    }
  }
  throw new Error(`no convergence after ${MAX_RUNS} runs: ${outcomes.join(" | ")}`);
}

function leadersTabs(w: World): Record<string, unknown[][]> {
  const ss = w.google.state.spreadsheet(w.leadersId) as unknown as {
    sheets: { properties: { title: string } }[];
  };
  return Object.fromEntries(
    ss.sheets.map((s) => [s.properties.title, w.google.state.values(w.leadersId, s.properties.title)]),
  );
}

let clean: World;
let faulty: World;
let fragile: World;
let cleanResult: CycleResult;

beforeAll(async () => {
  const folder = await loadCampaignFolder(resolve("examples/cho-don"));
  campaign = folder.campaign;
  baseUnits = folder.units;
  const xlsx = new XlsxSheetSource({ dir: folder.sheetsDir });
  // The commune reports through its units (a roll-up without a sheet of its own), as in the cloud tests.
  for (const unit of baseUnits.filter((u) => u.kind !== "commune")) {
    const raw = await xlsx.read(unit);
    rows.set(unit.id, { header: raw.header, rows: raw.rows });
  }
  clean = await world({ faultRate: 0, seed: 7 });
  cleanResult = await cycle(clean);
  expect(cleanResult.units.every((r) => r.status === "synced")).toBe(true);
  faulty = await world({ faultRate: 0.3, seed: 7 });
  fragile = await world({ faultRate: 0.3, seed: 11 });
}, 50_000);

afterAll(async () => {
  await clean?.google.close();
  await faulty?.google.close();
  await fragile?.google.close();
});

async function expectSameAsClean(w: World, last: CycleResult): Promise<void> {
  expect(last.standings).toEqual(cleanResult.standings);
  expect(await w.store.loadStandings(campaign.id)).toEqual(cleanResult.standings);
  expect(await w.store.loadCampaignEntries(campaign.id)).toEqual(
    await clean.store.loadCampaignEntries(campaign.id),
  );
  const tabs = leadersTabs(w);
  expect(Object.keys(tabs).length).toBeGreaterThanOrEqual(4);
  expect(tabs).toEqual(leadersTabs(clean));
}

describe("Sheets and Drive failing on 30% of calls", () => {
  it("with the adapters' retries: the same standings and leaders' tabs as the fault-free run", async () => {
    const { last, outcomes } = await converge(faulty);
    expect(faulty.google.counts.faults.total).toBeGreaterThanOrEqual(10);
    expect(outcomes.at(-1)).toBe("ok");
    await expectSameAsClean(faulty, last);
  }, 30_000);

  it("with retries cut to two attempts: failing units and cycles are reported, and reruns converge to the same", async () => {
    const { last, outcomes } = await converge(fragile, 2);
    // Seed 11 makes the first run lose units or the publish step; the point is what the reruns make of it.
    expect(outcomes.length, outcomes.join(" | ")).toBeGreaterThan(1);
    expect(outcomes.slice(0, -1).every((o) => o !== "ok")).toBe(true);
    await expectSameAsClean(fragile, last);
  }, 30_000);
});
