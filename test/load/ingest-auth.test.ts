// No one in: every refused request to `ingest` (missing, forged, expired, replayed, other-unit, oversized, and
// randomly tampered signatures) answers 4xx and leaves the WHOLE emulator state untouched — every document of
// every collection (entries, units, audit, once, meta, standings, ledger, parts), compared before and after.
// The scheduler endpoints refuse anything but Cloud Scheduler's OIDC identity, again without a single write.
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveUnitKey, hmacHex, makeIdHasher } from "../../functions/src/adapters/crypto/hmac.ts";
import { emulatorClient } from "../../functions/src/adapters/firestore/connect.ts";
import {
  type LoopbackEmulator,
  startLoopbackEmulator,
} from "../../functions/src/adapters/firestore/embedded.ts";
import { snapshotState } from "../../functions/src/adapters/firestore/persist.ts";
import { FirestoreStore } from "../../functions/src/adapters/firestore/store.ts";
import { XlsxSheetSource } from "../../functions/src/adapters/xlsx/sheet-source.ts";
import { loadCampaignFolder } from "../../functions/src/app/campaign-folder.ts";
import { loadCloudConfig } from "../../functions/src/cloud/config.ts";
import { certsOidcVerifier } from "../../functions/src/cloud/oidc.ts";
import { setRuntime } from "../../functions/src/cloud/runtime.ts";
import {
  canonicalPushString,
  formatSignatureHeader,
  PUSH_MAX_BODY_BYTES,
} from "../../functions/src/core/push-protocol.ts";
import type { CellValue } from "../../schemas/index.ts";
import { makeOidcIssuer } from "../support/oidc.ts";
import "../../functions/src/cloud/ingest.ts";
import "../../functions/src/cloud/remind.ts";
import "../../functions/src/cloud/sync.ts";

const PROJECT = "dondoc-auth";
const PUSH_SECRET = "p".repeat(48);
const SCHEDULER = "dondoc-scheduler@ubnd-cho-don.iam.gserviceaccount.com";
const AUDIENCE = "https://asia-southeast1-ubnd-cho-don.cloudfunctions.net/dondoc-sync";
const NOW = new Date("2025-08-19T05:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 8_2025);
const UNIT = "thon-na-pai";
const OTHER = "thon-ban-en";
const issuer = makeOidcIssuer();
const stranger = makeOidcIssuer("test-key-1"); // same key id, different key: a forged token

let emulator: LoopbackEmulator;
let db: ReturnType<typeof emulatorClient>;
let unitIds: string[];
const sheetOf = new Map<string, { header: CellValue[]; rows: CellValue[][] }>();
let reached: string[] = [];

/** The whole database as stored: every document of every collection, at any depth. */
function snapshot(): Record<string, unknown> {
  return snapshotState(emulator.server.state, PROJECT).documents;
}

async function listen(name: string) {
  const server = getTestServer(name);
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

function signed(
  unitId: string,
  body: string | Buffer,
  opts: { ts?: number; key?: string; as?: string } = {},
) {
  const ts = opts.ts ?? NOW_S;
  const key = opts.key ?? deriveUnitKey(PUSH_SECRET, unitId);
  const text = typeof body === "string" ? body : body.toString("utf8");
  return {
    "content-type": "application/json",
    "x-dondoc-unit": opts.as ?? unitId,
    "x-dondoc-timestamp": String(ts),
    "x-dondoc-signature": formatSignatureHeader(hmacHex(key, canonicalPushString(unitId, ts, text))),
  };
}

let seq = 0;
function body(unitId: string, extra: Record<string, unknown> = {}): string {
  const sheet = sheetOf.get(unitId)!;
  return JSON.stringify({
    requestId: `auth-${unitId}-${++seq}`,
    header: sheet.header,
    rows: sheet.rows,
    ...extra,
  });
}

beforeAll(async () => {
  emulator = await startLoopbackEmulator();
  db = emulatorClient(emulator.host, PROJECT);
  const folder = await loadCampaignFolder(resolve("examples/cho-don"));
  const xlsx = new XlsxSheetSource({ dir: folder.sheetsDir });
  for (const id of [UNIT, OTHER]) {
    const raw = await xlsx.read(folder.units.find((u) => u.id === id)!);
    sheetOf.set(id, { header: raw.header, rows: raw.rows });
  }
  unitIds = folder.units.map((u) => u.id);
  const config = loadCloudConfig({
    DONDOC_ID_SECRET: "i".repeat(48),
    DONDOC_PUSH_SECRET: PUSH_SECRET,
    DONDOC_SCHEDULER_SA: SCHEDULER,
    DONDOC_FUNCTION_URL: AUDIENCE,
    DONDOC_LEADERS_SPREADSHEET_ID: "leaders-spreadsheet-id",
  });
  setRuntime({
    config,
    campaign: folder.campaign,
    units: folder.units,
    store: new FirestoreStore(db),
    hashId: makeIdHasher(config.DONDOC_ID_SECRET),
    unitKey: (id) => deriveUnitKey(PUSH_SECRET, id),
    now: () => NOW,
    verifyOidc: certsOidcVerifier(issuer.certs),
    // Reaching Google or the mailer at all would mean the guard let the call through.
    google: async () => {
      reached.push("google");
      throw new Error("google edges reached without the scheduler's identity");
    },
    mailer: async () => {
      reached.push("mailer");
      throw new Error("mailer reached without the scheduler's identity");
    },
  });
});

afterAll(async () => {
  setRuntime(null);
  await db?.terminate();
  emulator?.stop();
});

describe("ingest refuses and writes nothing", () => {
  let server: Awaited<ReturnType<typeof listen>>;
  const post = (headers: Record<string, string>, payload: string | Buffer, method = "POST") =>
    fetch(server.url, { method, headers, body: payload });

  beforeAll(async () => {
    server = await listen("ingest");
    // Some state first, so "nothing changed" is checked against a populated database, not an empty one.
    const b = body(OTHER);
    expect((await post(signed(OTHER, b), b)).status).toBe(200);
    expect(Object.keys(snapshot()).length).toBeGreaterThan(10);
  });
  afterAll(() => server.close());

  const cases: [string, () => { headers: Record<string, string>; payload: string | Buffer }, number][] = [
    [
      "no credential at all",
      () => ({ headers: { "content-type": "application/json" }, payload: body(UNIT) }),
      401,
    ],
    [
      "a unit and timestamp but no signature",
      () => {
        const { "x-dondoc-signature": _, ...rest } = signed(UNIT, body(UNIT));
        return { headers: rest, payload: body(UNIT) };
      },
      401,
    ],
    [
      "a malformed signature header",
      () => {
        const b = body(UNIT);
        return { headers: { ...signed(UNIT, b), "x-dondoc-signature": "sha256=abc" }, payload: b };
      },
      401,
    ],
    [
      "a signature made with a forged key",
      () => {
        const b = body(UNIT);
        return { headers: signed(UNIT, b, { key: "f".repeat(64) }), payload: b };
      },
      401,
    ],
    [
      "a signature made with the master secret instead of the unit key",
      () => {
        const b = body(UNIT);
        return { headers: signed(UNIT, b, { key: PUSH_SECRET }), payload: b };
      },
      401,
    ],
    [
      "an expired timestamp (10 minutes old)",
      () => {
        const b = body(UNIT);
        return { headers: signed(UNIT, b, { ts: NOW_S - 600 }), payload: b };
      },
      401,
    ],
    [
      "a timestamp from the future (10 minutes ahead)",
      () => {
        const b = body(UNIT);
        return { headers: signed(UNIT, b, { ts: NOW_S + 600 }), payload: b };
      },
      401,
    ],
    [
      "another unit's header with this unit's signature",
      () => {
        const b = body(UNIT);
        return { headers: signed(UNIT, b, { as: OTHER }), payload: b };
      },
      401,
    ],
    [
      "a unit that is not in the campaign",
      () => {
        const b = body(UNIT);
        return { headers: signed("thon-khong-co", b), payload: b };
      },
      401,
    ],
    [
      "another unit's id in a correctly signed body",
      () => {
        const b = body(UNIT, { unitId: OTHER });
        return { headers: signed(UNIT, b), payload: b };
      },
      403,
    ],
    [
      "a signed body over 1 MB",
      () => {
        const b = JSON.stringify({
          requestId: "auth-big-00001",
          header: [],
          rows: [["x".repeat(PUSH_MAX_BODY_BYTES)]],
        });
        return { headers: signed(UNIT, b), payload: b };
      },
      413,
    ],
    [
      "a signed body that is not a push",
      () => {
        const b = JSON.stringify({ requestId: "x", rows: "DROP" });
        return { headers: signed(UNIT, b), payload: b };
      },
      400,
    ],
  ];

  it.each(cases)("refuses %s: 4xx, every collection unchanged", async (_name, make, status) => {
    const before = snapshot();
    const { headers, payload } = make();
    const res = await post(headers, payload);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a GET with a valid signature", async () => {
    const before = snapshot();
    const res = await fetch(server.url, { method: "GET", headers: signed(UNIT, "") });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(snapshot()).toEqual(before);
  });

  it("accepts a valid push once, then refuses the exact same request replayed, even within the time window", async () => {
    const b = body(UNIT);
    const headers = signed(UNIT, b);
    const first = await post(headers, b);
    expect(first.status).toBe(200);
    const before = snapshot();
    for (const replayAfterS of [0, 1, 299]) {
      const res = await post(headers, b);
      expect(res.status, `replay after ${replayAfterS}s`).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("replayed");
    }
    // Same requestId re-signed with a new timestamp is still the same request.
    const resigned = await post(signed(UNIT, b, { ts: NOW_S + 30 }), b);
    expect(resigned.status).toBe(403);
    expect(snapshot()).toEqual(before);
  });

  it("randomly tampered requests (byte of body, signature, timestamp or unit header) are always 401/403, zero writes", async () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant("body" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({
        kind: fc.constant("signature" as const),
        at: fc.nat(),
        bit: fc.integer({ min: 1, max: 15 }),
      }),
      fc.record({
        kind: fc.constant("timestamp" as const),
        at: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((d) => d !== 0),
        bit: fc.constant(0),
      }),
      fc.record({ kind: fc.constant("unit" as const), at: fc.nat(), bit: fc.nat({ max: 2 }) }),
    );
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(tamper, async ({ kind, at, bit }) => {
        tried++;
        const text = body(UNIT); // a fresh requestId: undetected tampering would be accepted, not replay-refused
        let payload = Buffer.from(text, "utf8");
        const headers = signed(UNIT, text);
        if (kind === "body") {
          payload = Buffer.from(payload);
          const i = at % payload.length;
          payload[i] = payload[i]! ^ (1 << bit);
        } else if (kind === "signature") {
          const sig = headers["x-dondoc-signature"];
          const i = 3 + (at % 64);
          const flipped = (Number.parseInt(sig[i]!, 16) ^ bit).toString(16);
          headers["x-dondoc-signature"] = sig.slice(0, i) + flipped + sig.slice(i + 1);
        } else if (kind === "timestamp") {
          headers["x-dondoc-timestamp"] = String(NOW_S + at);
        } else {
          const others = unitIds.filter((u) => u !== UNIT);
          // (Trailing spaces would prove nothing: HTTP strips a header value's surrounding whitespace.)
          headers["x-dondoc-unit"] = [others[at % others.length]!, UNIT.toUpperCase(), `${UNIT}.`][bit]!;
        }
        const before = snapshot();
        const res = await post(headers, payload);
        // A flip that breaks the JSON is refused by the framework's body parser (400) before our handler runs;
        // every request that still parses must be refused by the signature check itself.
        let parses = true;
        try {
          JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
        } catch {
          parses = false;
        }
        expect(parses ? [401, 403] : [400, 401, 403]).toContain(res.status);
        expect(snapshot()).toEqual(before);
      }),
      { seed: SEED, numRuns: 120 },
    );
    expect(tried).toBe(120);
  });
});

describe("scheduler endpoints refuse anything but the scheduler's identity", () => {
  const token = (claims: Record<string, unknown> = {}, opts: { expiresIn?: number; now?: number } = {}) =>
    issuer.sign({ aud: AUDIENCE, email: SCHEDULER, email_verified: true, ...claims }, opts);

  const refusals: [string, () => Record<string, string>, number][] = [
    ["no Authorization header", () => ({}), 401],
    [
      "a non-Bearer Authorization",
      () => ({ authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }),
      401,
    ],
    ["a garbage token", () => ({ authorization: "Bearer not.a.jwt" }), 401],
    [
      "a token signed by another key",
      () => ({
        authorization: `Bearer ${stranger.sign({ aud: AUDIENCE, email: SCHEDULER, email_verified: true })}`,
      }),
      401,
    ],
    [
      "an expired token",
      () => ({ authorization: `Bearer ${token({}, { now: Date.now() - 7_200_000, expiresIn: 600 })}` }),
      401,
    ],
    [
      "a token for another audience",
      () => ({ authorization: `Bearer ${token({ aud: "https://evil.example/fn" })}` }),
      401,
    ],
    [
      "another service account",
      () => ({ authorization: `Bearer ${token({ email: "someone@evil.example" })}` }),
      403,
    ],
    ["an unverified e-mail", () => ({ authorization: `Bearer ${token({ email_verified: false })}` }), 403],
    ["a push signature instead of a token", () => signed(UNIT, body(UNIT)), 401],
  ];

  for (const name of ["sync", "remind"]) {
    it.each(refusals)(`${name} refuses %s and writes nothing`, async (_what, headers, status) => {
      const server = await listen(name);
      try {
        reached = [];
        const before = snapshot();
        const res = await fetch(server.url, { method: "POST", headers: headers() });
        expect(res.status).toBe(status);
        expect(snapshot()).toEqual(before);
        expect(reached).toEqual([]);
      } finally {
        await server.close();
      }
    });
  }

  it("the scheduler's own token does get through (so the refusals above are about identity)", async () => {
    const server = await listen("remind");
    try {
      reached = [];
      const res = await fetch(server.url, {
        method: "POST",
        headers: { authorization: `Bearer ${token()}` },
      });
      expect(res.status).toBe(500); // our mailer stub throws once the guard lets the call in
      expect(reached).toEqual(["mailer"]);
    } finally {
      await server.close();
    }
  });
});
