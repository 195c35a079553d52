// Authenticates a unit's push: HMAC over (version, unit, timestamp, body) with the unit's own credential.
// The unit comes from the credential (header + matching key), never from the body; stale and replayed
// requests are refused. Pure apart from node:crypto, so every refusal path is unit-tested.
import { hmacHex, safeEqualHex } from "../adapters/crypto/hmac.ts";
import {
  canonicalPushString,
  PUSH_HEADERS,
  PUSH_MAX_BODY_BYTES,
  PUSH_MAX_SKEW_SECONDS,
  parseSignatureHeader,
} from "../core/push-protocol.ts";

export type PushAuthResult =
  | { ok: true; unitId: string; timestamp: number }
  | { ok: false; status: 400 | 401 | 403 | 413; code: string; message: string };

export interface PushAuthInput {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | undefined;
  now: Date;
  /** The unit's key, or null for an unknown unit. */
  keyFor: (unitId: string) => string | null;
}

function header(headers: PushAuthInput["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const refuse = (status: 400 | 401 | 403 | 413, code: string, message: string): PushAuthResult => ({
  ok: false,
  status,
  code,
  message,
});

export function authenticatePush(input: PushAuthInput): PushAuthResult {
  const { headers, rawBody } = input;
  if (!rawBody) return refuse(400, "empty-body", "Yêu cầu không có nội dung.");
  if (rawBody.length > PUSH_MAX_BODY_BYTES) {
    return refuse(
      413,
      "body-too-large",
      `Yêu cầu quá lớn (${rawBody.length} byte; tối đa ${PUSH_MAX_BODY_BYTES}).`,
    );
  }
  const unitId = header(headers, PUSH_HEADERS.unit);
  const timestampText = header(headers, PUSH_HEADERS.timestamp);
  const signature = parseSignatureHeader(header(headers, PUSH_HEADERS.signature));
  if (!unitId || !timestampText || !signature) {
    return refuse(
      401,
      "missing-signature",
      "Thiếu chữ ký của đơn vị (x-dondoc-unit, x-dondoc-timestamp, x-dondoc-signature).",
    );
  }
  const key = input.keyFor(unitId);
  if (!key) return refuse(401, "unknown-unit", "Đơn vị không có trong chiến dịch.");
  const timestamp = Number(timestampText);
  if (!Number.isInteger(timestamp)) return refuse(401, "bad-timestamp", "Dấu thời gian không hợp lệ.");
  const expected = hmacHex(key, canonicalPushString(unitId, timestamp, rawBody.toString("utf8")));
  // Check the signature before the clock, so a forged request learns nothing about the server's time.
  if (!safeEqualHex(expected, signature)) return refuse(401, "bad-signature", "Chữ ký không đúng.");
  const skew = Math.abs(input.now.getTime() / 1000 - timestamp);
  if (skew > PUSH_MAX_SKEW_SECONDS) {
    return refuse(401, "stale-request", "Yêu cầu đã quá hạn (lệch giờ quá 5 phút); hãy gửi lại.");
  }
  return { ok: true, unitId, timestamp };
}
