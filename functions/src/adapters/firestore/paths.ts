// Where each kind of campaign state lives in Firestore. All ids that come from data (campaign ids, entry keys,
// ledger ids, meta keys) pass through `encodeDocId`, so no value a unit typed can escape its collection or hit a
// reserved id.
import { createHash } from "node:crypto";
import { DondocError } from "../../core/errors.ts";

/** Firestore's limit on a document id, in UTF-8 bytes. */
const MAX_ID_BYTES = 1500;
/** Room left for the "~" + 64 hex digits that replace the tail of an over-long id. */
const HASHED_PREFIX_BYTES = MAX_ID_BYTES - 65;

const utf8 = new TextEncoder();

/**
 * Maps any non-empty string to a valid Firestore document id, injectively (different inputs never share an
 * id): "%" and "/" are percent-escaped (so "%" in the output always starts an escape), the reserved ids "." and
 * ".." and the reserved pattern `__.*__` get their first character escaped, and an id longer than 1500 bytes
 * keeps a prefix plus a SHA-256 of the whole input. Documents also store the original value as a field, so the
 * id never needs decoding.
 */
export function encodeDocId(value: string): string {
  if (value.length === 0) {
    throw new DondocError("store-empty-id", "Mã tài liệu trong kho dữ liệu không được để trống.", {});
  }
  let id = value.replace(/%/g, "%25").replace(/\//g, "%2F");
  if (id === "." || id === "..") id = `%2E${id.slice(1)}`;
  else if (/^__.*__$/s.test(id)) id = `%5F${id.slice(1)}`;
  if (utf8.encode(id).length <= MAX_ID_BYTES) return id;
  const digest = createHash("sha256").update(value, "utf8").digest("hex");
  return `${truncateUtf8(id, HASHED_PREFIX_BYTES)}~${digest}`;
}

/** Longest prefix of `text` that fits in `maxBytes` of UTF-8 without splitting a character. */
function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8.encode(ch).length;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

/** Singleton documents under `campaigns/{id}/standings/`. */
export const LATEST_STANDINGS = "latest";

/**
 * Path builders relative to the database root. `root` is the collection that holds campaigns ("campaigns" in
 * production); tests and side-by-side deployments may nest it ("envs/test/campaigns").
 */
export class CampaignPaths {
  readonly root: string;

  constructor(root = "campaigns") {
    const segments = root.split("/");
    if (segments.length % 2 !== 1 || segments.some((s) => s.length === 0)) {
      throw new DondocError(
        "store-bad-root",
        `Đường dẫn gốc "${root}" của kho dữ liệu phải là một tập hợp (số đoạn lẻ, không có đoạn rỗng).`,
        { root },
      );
    }
    this.root = root;
  }

  campaign(campaignId: string): string {
    return `${this.root}/${encodeDocId(campaignId)}`;
  }

  entries(campaignId: string): string {
    return `${this.campaign(campaignId)}/entries`;
  }

  entry(campaignId: string, entryKey: string): string {
    return `${this.entries(campaignId)}/${encodeDocId(entryKey)}`;
  }

  audits(campaignId: string): string {
    return `${this.campaign(campaignId)}/audit`;
  }

  audit(campaignId: string, auditId: string): string {
    return `${this.audits(campaignId)}/${encodeDocId(auditId)}`;
  }

  units(campaignId: string): string {
    return `${this.campaign(campaignId)}/units`;
  }

  unit(campaignId: string, unitId: string): string {
    return `${this.units(campaignId)}/${encodeDocId(unitId)}`;
  }

  /** Each unit's entries packed for the standings (core/unit-snapshot.ts), keyed by unit. */
  snapshots(campaignId: string): string {
    return `${this.campaign(campaignId)}/snapshots`;
  }

  snapshot(campaignId: string, unitId: string): string {
    return `${this.snapshots(campaignId)}/${encodeDocId(unitId)}`;
  }

  meta(campaignId: string, key: string): string {
    return `${this.campaign(campaignId)}/meta/${encodeDocId(key)}`;
  }

  standings(campaignId: string): string {
    return `${this.campaign(campaignId)}/standings/${LATEST_STANDINGS}`;
  }

  /** Request ids already accepted (replay protection). */
  once(campaignId: string, key: string): string {
    return `${this.campaign(campaignId)}/once/${encodeDocId(key)}`;
  }

  ledgers(campaignId: string): string {
    return `${this.campaign(campaignId)}/ledger`;
  }

  ledger(campaignId: string, id: string): string {
    return `${this.ledgers(campaignId)}/${encodeDocId(id)}`;
  }
}
