import { describe, expect, it } from "vitest";
import { deriveUnitKey, hmacHex } from "../../functions/src/adapters/crypto/hmac.ts";
import { authenticatePush } from "../../functions/src/cloud/push-auth.ts";
import {
  canonicalPushString,
  formatSignatureHeader,
  PUSH_MAX_BODY_BYTES,
} from "../../functions/src/core/push-protocol.ts";

const master = "m".repeat(40);
const now = new Date("2025-08-04T06:00:00Z");
const ts = Math.floor(now.getTime() / 1000);
const units = new Set(["thon-na-pau", "truong-th-chodon"]);
const keyFor = (id: string) => (units.has(id) ? deriveUnitKey(master, id) : null);

function signed(unitId: string, body: string, timestamp = ts, key = deriveUnitKey(master, unitId)) {
  return {
    headers: {
      "x-dondoc-unit": unitId,
      "x-dondoc-timestamp": String(timestamp),
      "x-dondoc-signature": formatSignatureHeader(hmacHex(key, canonicalPushString(unitId, timestamp, body))),
    },
    rawBody: Buffer.from(body, "utf8"),
  };
}

describe("authenticatePush", () => {
  const body = JSON.stringify({ requestId: "req-00000001", header: ["Ngày hỗ trợ"], rows: [["04/08/2025"]] });

  it("accepts a request signed with the unit's own credential", () => {
    expect(authenticatePush({ ...signed("thon-na-pau", body), now, keyFor })).toEqual({
      ok: true,
      unitId: "thon-na-pau",
      timestamp: ts,
    });
  });

  it.each([
    ["no signature headers", { headers: {}, rawBody: Buffer.from(body) }, 401, "missing-signature"],
    ["an unknown unit", signed("xa-khac", body), 401, "unknown-unit"],
    ["a forged signature", signed("thon-na-pau", body, ts, "k".repeat(64)), 401, "bad-signature"],
    [
      "another unit's credential",
      {
        ...signed("truong-th-chodon", body),
        headers: { ...signed("truong-th-chodon", body).headers, "x-dondoc-unit": "thon-na-pau" },
      },
      401,
      "bad-signature",
    ],
    [
      "a body changed after signing",
      { ...signed("thon-na-pau", body), rawBody: Buffer.from(body.replace("04/08", "05/08")) },
      401,
      "bad-signature",
    ],
    ["a timestamp 6 minutes old", signed("thon-na-pau", body, ts - 360), 401, "stale-request"],
    ["a timestamp 6 minutes ahead", signed("thon-na-pau", body, ts + 360), 401, "stale-request"],
    [
      "an empty body",
      { headers: signed("thon-na-pau", body).headers, rawBody: undefined },
      400,
      "empty-body",
    ],
    ["a body over 1 MB", signed("thon-na-pau", "x".repeat(PUSH_MAX_BODY_BYTES + 1)), 413, "body-too-large"],
  ])("refuses %s", (_name, request, status, code) => {
    const result = authenticatePush({ ...request, now, keyFor });
    expect(result).toMatchObject({ ok: false, status, code });
  });

  it("accepts a timestamp within the 5-minute window", () => {
    expect(authenticatePush({ ...signed("thon-na-pau", body, ts - 299), now, keyFor }).ok).toBe(true);
  });
});
