// The contract between a unit's sheet (Apps Script) and the `ingest` Cloud Function.
// Both sides compute the same canonical string; each platform supplies its own HMAC-SHA256
// (Utilities.computeHmacSha256Signature in Apps Script, node:crypto on the server).
import * as z from "zod";
import { CellValue, RowIssue } from "../../../schemas/index.ts";

export const PUSH_HEADERS = {
  unit: "x-dondoc-unit",
  timestamp: "x-dondoc-timestamp",
  signature: "x-dondoc-signature",
} as const;

/** Requests older or newer than this (seconds) are refused as stale. */
export const PUSH_MAX_SKEW_SECONDS = 300;
/** Bodies above this size are refused before any parsing. */
export const PUSH_MAX_BODY_BYTES = 1_000_000;
export const PUSH_SIGNATURE_VERSION = "v1";

/**
 * What is signed: version, unit, timestamp and the exact body bytes (as UTF-8 text).
 * Binding the unit id means a credential cannot sign for another unit; binding the timestamp bounds replay.
 */
export function canonicalPushString(unitId: string, timestamp: number, body: string): string {
  return `${PUSH_SIGNATURE_VERSION}:${unitId}:${timestamp}:${body}`;
}

/** Header value: "v1=<lowercase hex HMAC-SHA256>". */
export function formatSignatureHeader(hexDigest: string): string {
  return `${PUSH_SIGNATURE_VERSION}=${hexDigest.toLowerCase()}`;
}

export function parseSignatureHeader(value: string | undefined): string | null {
  if (!value) return null;
  const match = /^v1=([0-9a-f]{64})$/.exec(value.trim());
  return match ? match[1]! : null;
}

/** Bytes → lowercase hex; accepts Apps Script's signed bytes (-128..127) as well as 0..255. */
export function bytesToHex(bytes: ArrayLike<number>): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = (bytes[i]! + 256) % 256;
    out += b.toString(16).padStart(2, "0");
  }
  return out;
}

/**
 * The body a sheet sends: the whole input tab (header + rows), because the sheet is the source of truth and a
 * sync diffs it whole; `requestId` is unique per request and is what replay protection remembers.
 */
export const PushBody = z.object({
  requestId: z.string().min(8).max(100),
  /** Optional: if present it must equal the credential's unit, else the request is refused (403). */
  unitId: z.string().optional(),
  header: z.array(CellValue),
  rows: z.array(z.array(CellValue)),
  /** "reported, nothing new this period" from the menu. */
  confirmNothingNew: z.boolean().optional(),
});
export type PushBody = z.infer<typeof PushBody>;

export const PushResponse = z.object({
  ok: z.boolean(),
  unitId: z.string(),
  written: z.number().int().min(0),
  held: z.boolean(),
  /** Issues of this unit's sheet, for notes and red fills. */
  issues: z.array(RowIssue),
  message: z.string(),
});
export type PushResponse = z.infer<typeof PushResponse>;
