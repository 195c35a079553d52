// Load on loopback: 50 units push at once against the Functions Framework's own server, each push sent three
// times (same sheet, new requestId: a script's edit burst) and its first request also sent again byte for byte
// (a replay, which must be refused). Every entry must be stored exactly once, the standings must count each
// citizen once, and the request latencies are printed (p50, p95, max) — measured, never asserted.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveUnitKey, hmacHex, makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { type CampaignFolder, loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { standingsInstant } from "../../functions/src/app/sync.ts";
import { loadCloudConfig } from "../../functions/src/cloud/config.ts";
import { certsOidcVerifier } from "../../functions/src/cloud/oidc.ts";
import { setRuntime } from "../../functions/src/cloud/runtime.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { canonicalPushString, formatSignatureHeader } from "../../functions/src/core/push-protocol.ts";
import { computeStandings } from "../../functions/src/core/standings.ts";
import type { CellValue } from "../../schemas/index.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { makeOidcIssuer } from "../support/oidc.ts";
import "../../functions/src/cloud/ingest.ts";

const UNITS = 50;
const REPEATS = 3;
const PUSH_SECRET = "q".repeat(48);
// Thursday 14/08/2025 12:00 in Vietnam, inside the campaign: pushes are on time and count in the standings.
const NOW = new Date("2025-08-14T05:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);
const REQUEST_TIMEOUT_MS = 30_000;

let dir: string;
let fs: TestFirestore;
let store: FirestoreStore;
let folder: CampaignFolder;
let url: string;
let closeServer: () => Promise<void>;

interface UnitPlan {
  unitId: string;
  header: CellValue[];
  rows: CellValue[][];
  validRows: number;
  ids: string[];
}
const plans: UnitPlan[] = [];

/** Ids 001 0 85 nnnnnn: Hà Nội, male, born 1985, a serial that is unique per citizen. */
const citizenId = (n: number) => `001085${String(n).padStart(6, "0")}`;

function planUnits(header: string[]): void {
  let citizen = 0;
  for (let u = 0; u < UNITS; u++) {
    const valid = 4 + (u % 5); // 4–8 valid rows
    const ids = Array.from({ length: valid }, () => citizenId(++citizen));
    // Every tenth unit also helped a citizen the previous unit already counted: stored for both, counted once.
    if (u % 10 === 9) ids[valid - 1] = plans[u - 1]!.ids[0]!;
    const row = (id: string, i: number): CellValue[] => [
      null,
      `${String(1 + (i % 14)).padStart(2, "0")}/08/2025`,
      `Cán bộ ${u + 1}`,
      `Người dân ${u + 1}-${i + 1}`,
      id,
      `09${String(10_000_000 + u * 100 + i).slice(0, 8)}`,
      "Thôn Nà Pài",
      "Có",
      "Có",
      "Có",
      "VNPT",
      null,
    ];
    const rows = ids.map(row);
    // Two broken rows per unit: an id one digit short, and a date the campaign never had.
    rows.push(
      row("00108500001", valid),
      [...row(citizenId(900_000 + u), valid + 1)].fill("31/02/2025", 1, 2),
    );
    plans.push({ unitId: `thon-${u + 1}`, header, rows, validRows: valid, ids });
  }
}

function sign(unitId: string, body: string): Record<string, string> {
  const key = deriveUnitKey(PUSH_SECRET, unitId);
  return {
    "content-type": "application/json",
    "x-dondoc-unit": unitId,
    "x-dondoc-timestamp": String(NOW_S),
    "x-dondoc-signature": formatSignatureHeader(hmacHex(key, canonicalPushString(unitId, NOW_S, body))),
  };
}

interface Sent {
  unitId: string;
  kind: "push" | "replay";
  status: number;
  code?: string;
  ms: number;
}

async function send(unitId: string, kind: Sent["kind"], headers: Record<string, string>, body: string) {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const answer = (await res.json()) as { code?: string };
  return {
    unitId,
    kind,
    status: res.status,
    code: answer.code,
    ms: performance.now() - started,
  } satisfies Sent;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dondoc-load-"));
  const chodon = JSON.parse(
    await (await import("node:fs/promises")).readFile("examples/cho-don/campaign.json", "utf8"),
  ) as Record<string, unknown>;
  await writeFile(join(dir, "campaign.json"), JSON.stringify({ ...chodon, id: "tai-thu-50-don-vi" }));
  const lines = [
    "id,name,kind,parent,target,emails,households,staff,adults,sheetId",
    "xa-tai-thu,Xã Tải Thử,commune,,,,,,,",
  ];
  for (let u = 1; u <= UNITS; u++) lines.push(`thon-${u},Thôn số ${u},village,xa-tai-thu,,,,1,,`);
  await writeFile(join(dir, "units.csv"), `${lines.join("\n")}\n`);
  folder = await loadCampaignFolder(dir);
  planUnits(inputColumns(folder.campaign).map((c) => c.label));

  fs = await startTestFirestore("dondoc-load");
  store = new FirestoreStore(fs.db);
  const config = loadCloudConfig({ DONDOC_ID_SECRET: "j".repeat(48), DONDOC_PUSH_SECRET: PUSH_SECRET });
  setRuntime({
    config,
    campaign: folder.campaign,
    units: folder.units,
    store,
    hashId: makeIdHasher(config.DONDOC_ID_SECRET),
    unitKey: (id) => deriveUnitKey(PUSH_SECRET, id),
    now: () => NOW,
    verifyOidc: certsOidcVerifier(makeOidcIssuer().certs),
    google: async () => {
      throw new Error("ingest never needs Google");
    },
    mailer: async () => {
      throw new Error("ingest never mails");
    },
  });
  const server = getTestServer("ingest");
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  closeServer = () => new Promise<void>((ok) => server.close(() => ok()));
});

afterAll(async () => {
  setRuntime(null);
  await closeServer?.();
  await fs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe(`${UNITS} units pushing concurrently`, () => {
  it("stores every entry once, refuses every replay, counts every citizen once, and reports latency", async () => {
    expect(folder.units.length).toBe(UNITS + 1);
    // Phase 1: every unit's burst of 3 pushes plus a byte-for-byte copy of its first one, all at once.
    const firstOf = new Map<string, { headers: Record<string, string>; body: string }>();
    const wave: Promise<Sent>[] = [];
    for (const plan of plans) {
      for (let r = 1; r <= REPEATS; r++) {
        const body = JSON.stringify({
          requestId: `${plan.unitId}-burst-${r}`,
          header: plan.header,
          rows: plan.rows,
        });
        const headers = sign(plan.unitId, body);
        if (r === 1) firstOf.set(plan.unitId, { headers, body });
        wave.push(send(plan.unitId, "push", headers, body));
      }
      const first = firstOf.get(plan.unitId)!;
      wave.push(send(plan.unitId, "replay", first.headers, first.body));
    }
    const phase1 = await Promise.all(wave);
    // Phase 2: once everything is in, every first request replayed again.
    const phase2 = await Promise.all(
      plans.map((p) => send(p.unitId, "replay", firstOf.get(p.unitId)!.headers, firstOf.get(p.unitId)!.body)),
    );
    const all = [...phase1, ...phase2];
    expect(all.length).toBe(UNITS * (REPEATS + 2));
    const latencies = all.map((s) => s.ms).sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `ingest load: ${all.length} requests (${UNITS} units × ${REPEATS} pushes + ${UNITS * 2} replays) on loopback; ` +
        `latency p50 ${fmt(percentile(latencies, 50))}, ` +
        `p95 ${fmt(percentile(latencies, 95))}, max ${fmt(latencies.at(-1)!)}`,
    );

    for (const plan of plans) {
      const mine = phase1.filter((s) => s.unitId === plan.unitId);
      // Of the first request and its copy exactly one is applied; the two later pushes are applied too.
      expect(mine.filter((s) => s.status === 200).length, plan.unitId).toBe(REPEATS);
      const refused = mine.filter((s) => s.status !== 200);
      expect(
        refused.map((s) => [s.status, s.code]),
        plan.unitId,
      ).toEqual([[403, "replayed"]]);
    }
    expect(phase2.every((s) => s.status === 403 && s.code === "replayed")).toBe(true);

    // Every valid row stored exactly once per unit; no key twice.
    const campaignId = folder.campaign.id;
    const entries = await store.loadCampaignEntries(campaignId);
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length);
    for (const plan of plans) {
      const stored = await store.loadUnitEntries(campaignId, plan.unitId);
      expect(stored.length, plan.unitId).toBe(plan.validRows);
    }
    const validRows = plans.reduce((n, p) => n + p.validRows, 0);
    expect(entries.length).toBe(validRows);

    // The standings count each citizen once, whichever unit (or how many pushes) brought them in.
    const uniqueCitizens = new Set(plans.flatMap((p) => p.ids)).size;
    expect(uniqueCitizens).toBe(validRows - UNITS / 10);
    const unitStates = await store.loadUnitStates(campaignId);
    const { standings } = computeStandings({
      campaign: folder.campaign,
      units: folder.units,
      entries,
      unitStates,
      issues: unitStates.flatMap((s) => s.issues),
      asOf: standingsInstant(folder.campaign, NOW),
    });
    for (const ind of folder.campaign.indicators) {
      expect(standings.totals.counts[ind.key], ind.key).toBe(uniqueCitizens);
    }
    const unitSum = standings.units
      .filter((u) => u.kind === "village")
      .reduce((n, u) => n + (u.counts.signature ?? 0), 0);
    expect(unitSum).toBe(uniqueCitizens);
  }, 90_000);
});
