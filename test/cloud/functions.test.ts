// The three Cloud Functions, driven in-process through the Functions Framework's test server, against the
// Firestore emulator, the local Sheets/Drive server and a test OIDC issuer.

import { mkdtemp } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deriveUnitKey, hmacHex, makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { OutboxMailer } from "../../functions/src/adapters/mail/outbox.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { loadCloudConfig } from "../../functions/src/cloud/config.ts";
import { googleEdges } from "../../functions/src/cloud/google-edges.ts";
import { certsOidcVerifier } from "../../functions/src/cloud/oidc.ts";
import { type CloudRuntime, setRuntime } from "../../functions/src/cloud/runtime.ts";
import {
  canonicalPushString,
  formatSignatureHeader,
  PUSH_MAX_BODY_BYTES,
} from "../../functions/src/core/push-protocol.ts";
import type { Unit } from "../../schemas/index.ts";
import { startTestFirestore, type TestFirestore } from "../support/firestore.ts";
import { type GoogleFake, startGoogleFake } from "../support/google-fake/server.ts";
import { makeOidcIssuer } from "../support/oidc.ts";
import "../../functions/src/cloud/ingest.ts";
import "../../functions/src/cloud/remind.ts";
import "../../functions/src/cloud/sync.ts";

const PUSH_SECRET = "p".repeat(48);
const SCHEDULER = "dondoc-scheduler@ubnd-cho-don.iam.gserviceaccount.com";
const NOW = new Date("2025-08-19T05:00:00Z"); // the morning after the campaign: every row is in the past
const issuer = makeOidcIssuer();

let fs: TestFirestore;
let google: GoogleFake;
let store: FirestoreStore;
let units: Unit[];
let runtime: CloudRuntime;
let campaignId: string;
const sheetsOf = new Map<string, { header: unknown[]; rows: unknown[][] }>();
let leadersId: string;

async function listen(name: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = getTestServer(name);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function sign(unitId: string, body: string, opts: { ts?: number; key?: string } = {}) {
  const ts = opts.ts ?? Math.floor(NOW.getTime() / 1000);
  const key = opts.key ?? deriveUnitKey(PUSH_SECRET, unitId);
  return {
    "content-type": "application/json",
    "x-dondoc-unit": unitId,
    "x-dondoc-timestamp": String(ts),
    "x-dondoc-signature": formatSignatureHeader(hmacHex(key, canonicalPushString(unitId, ts, body))),
  };
}

let requestSeq = 0;
function pushBody(unitId: string, extra: Record<string, unknown> = {}): string {
  const sheet = sheetsOf.get(unitId)!;
  return JSON.stringify({
    requestId: `req-${unitId}-${++requestSeq}`,
    header: sheet.header,
    rows: sheet.rows,
    ...extra,
  });
}

async function storedCounts() {
  const [entries, states] = await Promise.all([
    store.loadCampaignEntries(campaignId),
    store.loadUnitStates(campaignId),
  ]);
  return { entries: entries.length, states: states.length };
}

beforeAll(async () => {
  fs = await startTestFirestore();
  google = await startGoogleFake();
  const folder = await loadCampaignFolder(resolve("examples/cho-don"));
  campaignId = folder.campaign.id;
  const xlsx = new XlsxSheetSource({ dir: folder.sheetsDir });
  const sheetIds: Record<string, string> = {};
  for (const unit of folder.units.filter((u) => u.kind !== "commune")) {
    const raw = await xlsx.read(unit);
    sheetsOf.set(unit.id, { header: raw.header, rows: raw.rows });
    const id = google.state.createSpreadsheet({ title: unit.name, tabs: ["Nhập liệu"] });
    google.state.setValues(id, "Nhập liệu", [raw.header, ...raw.rows]);
    sheetIds[unit.id] = id;
  }
  leadersId = google.state.createSpreadsheet({ title: "Tổng hợp" });
  units = folder.units.map((u) => (sheetIds[u.id] ? { ...u, sheetId: sheetIds[u.id] } : u));
  const config = loadCloudConfig({
    DONDOC_ID_SECRET: "i".repeat(48),
    DONDOC_PUSH_SECRET: PUSH_SECRET,
    DONDOC_SCHEDULER_SA: SCHEDULER,
    DONDOC_FUNCTION_URL: "https://asia-southeast1-ubnd-cho-don.cloudfunctions.net/dondoc-sync",
    DONDOC_LEADERS_SPREADSHEET_ID: leadersId,
  });
  const outbox = await mkdtemp(join(tmpdir(), "dondoc-outbox-"));
  store = new FirestoreStore(fs.db);
  runtime = {
    config,
    campaign: folder.campaign,
    units,
    store,
    hashId: makeIdHasher(config.DONDOC_ID_SECRET),
    unitKey: (id) => deriveUnitKey(PUSH_SECRET, id),
    now: () => NOW,
    verifyOidc: certsOidcVerifier(issuer.certs),
    google: () =>
      googleEdges(config, folder.campaign, store, {
        auth: staticTokenAuth(),
        rootUrl: google.rootUrl,
        editorEmail: "dondoc-functions@ubnd-cho-don.iam.gserviceaccount.com",
      }),
    mailer: async () => new OutboxMailer({ dir: outbox, from: { address: "ubnd@chodon.example" } }),
  };
  setRuntime(runtime);
});

afterAll(async () => {
  setRuntime(null);
  await google?.close();
  await fs?.stop();
});

describe("ingest", () => {
  let server: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    server = await listen("ingest");
  });
  afterAll(() => server.close());

  const post = (headers: Record<string, string>, body: string) =>
    fetch(server.url, { method: "POST", headers, body });

  it.each([
    [
      "no signature",
      () => ({ headers: { "content-type": "application/json" }, body: pushBody("thon-na-pai") }),
      401,
    ],
    [
      "a forged signature",
      () => {
        const body = pushBody("thon-na-pai");
        return { headers: sign("thon-na-pai", body, { key: "f".repeat(64) }), body };
      },
      401,
    ],
    [
      "a stale timestamp",
      () => {
        const body = pushBody("thon-na-pai");
        return { headers: sign("thon-na-pai", body, { ts: Math.floor(NOW.getTime() / 1000) - 600 }), body };
      },
      401,
    ],
    [
      "another unit's id in the body",
      () => {
        const body = pushBody("thon-na-pai", { unitId: "thon-ban-en" });
        return { headers: sign("thon-na-pai", body), body };
      },
      403,
    ],
    [
      "a body over 1 MB",
      () => {
        const body = JSON.stringify({
          requestId: "req-big-0001",
          header: [],
          rows: [["x".repeat(PUSH_MAX_BODY_BYTES)]],
        });
        return { headers: sign("thon-na-pai", body), body };
      },
      413,
    ],
  ])("refuses %s and writes nothing", async (_name, make, status) => {
    const before = await storedCounts();
    const { headers, body } = make();
    const res = await post(headers, body);
    expect(res.status).toBe(status);
    expect((await res.json()) as object).toMatchObject({ ok: false });
    expect(await storedCounts()).toEqual(before);
  });

  it("stores a valid push's rows, answers with its issues, and refuses the same request replayed", async () => {
    const unitId = "phong-van-hoa-xa-hoi";
    const body = pushBody(unitId);
    const res = await post(sign(unitId, body), body);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as {
      ok: boolean;
      unitId: string;
      written: number;
      issues: { row: number; column: string }[];
    };
    expect(answer.ok).toBe(true);
    expect(answer.unitId).toBe(unitId);
    expect(answer.written).toBeGreaterThan(0);
    // The example plants an 11-digit id on row 17 (repaired with a warning).
    expect(answer.issues).toContainEqual(expect.objectContaining({ row: 17, column: "E" }));
    const stored = (await store.loadUnitEntries(campaignId, unitId)).length;
    expect(stored).toBeGreaterThan(10);

    const before = await storedCounts();
    const replay = await post(sign(unitId, body), body);
    expect(replay.status).toBe(403);
    expect(((await replay.json()) as { code: string }).code).toBe("replayed");
    expect(await storedCounts()).toEqual(before);
  });
});

describe("scheduler endpoints", () => {
  const audience = "https://asia-southeast1-ubnd-cho-don.cloudfunctions.net/dondoc-sync";
  const token = (claims: Record<string, unknown> = {}) =>
    issuer.sign({ aud: audience, email: SCHEDULER, email_verified: true, ...claims });

  beforeEach(() => google.counts.reset());

  it.each(["sync", "remind"])("%s refuses calls without the scheduler's identity", async (name) => {
    const server = await listen(name);
    try {
      expect((await fetch(server.url, { method: "POST" })).status).toBe(401);
      const other = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token({ email: "someone@evil.example" })}` },
      });
      expect(other.status).toBe(403);
      expect(google.counts.sheets.read + google.counts.sheets.write + google.counts.drive.total).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("sync reads the changed sheets, stores, and publishes the leaders' tabs in one batchUpdate", async () => {
    const server = await listen("sync");
    try {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { read: number; written: number; failed: unknown[] };
      expect(body.failed).toEqual([]);
      expect(body.read).toBe(sheetsOf.size);
      expect(google.counts.sheets.read).toBe(sheetsOf.size);
      expect(google.state.spreadsheet(leadersId).sheets.map((s) => s.properties.title)).toEqual(
        expect.arrayContaining(["Xếp hạng", "Tổng hợp", "Chưa báo cáo", "Lỗi dữ liệu"]),
      );

      // Nothing changed: no Sheets read at all.
      google.counts.reset();
      const again = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(((await again.json()) as { read: number }).read).toBe(0);
      expect(google.counts.sheets.read).toBe(0);
      // …and no write either: the leaders' tabs already show these standings.
      expect(google.counts.sheets.write).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("remind sends what is due with the scheduler's identity", async () => {
    const server = await listen("remind");
    try {
      const res = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { ok: boolean; sent: number; failed: number };
      expect(body.failed).toBe(0);
      expect(body.sent).toBeGreaterThan(0);
      const again = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(((await again.json()) as { sent: number }).sent).toBe(0);
    } finally {
      await server.close();
    }
  });
});
