// What the script knows about its unit and campaign. Provisioning (dondoc provision) writes the unit's identity,
// credential, ingest address and campaign as developer metadata on the spreadsheet, because script properties
// cannot be written from outside Apps Script; a non-empty script property of the same setting overrides it (one
// sheet fixed by hand). The campaign is also embedded at build time, so one bundle serves the template spreadsheet
// and provisioning can move a sheet to a corrected campaign.

import { DondocError } from "../../functions/src/core/errors.ts";
import { Campaign } from "../../schemas/index.ts";
import type { Props } from "./ports.ts";

/** Script property names. The first five are settings provisioning also writes as developer metadata. */
export const PROP = {
  unitId: "DONDOC_UNIT_ID",
  /** The unit's push credential: HMAC key, used as UTF-8 text. */
  unitKey: "DONDOC_UNIT_KEY",
  /** Full URL of the ingest function; overrides the build's --ingest-url. */
  ingestUrl: "DONDOC_INGEST_URL",
  /** Campaign JSON (campaign.json's content); overrides the campaign embedded at build time. */
  campaign: "DONDOC_CAMPAIGN",
  /** Display name of the unit, used in local check messages. */
  unitName: "DONDOC_UNIT_NAME",
  /** Edited rows waiting for the next push, and the scheduled flush trigger. */
  pending: "DONDOC_PENDING",
  /** A push whose request is on its way; another one waits for it. */
  inflight: "DONDOC_INFLIGHT",
  /** Cells currently carrying the script's notes and fills (chunked). */
  annotated: "DONDOC_ANNOTATED",
  /** Outcome of the last push, shown by "Gửi số liệu ngay". */
  lastPush: "DONDOC_LAST_PUSH",
} as const;

/**
 * Spreadsheet-level developer metadata keys provisioning writes (functions/src/app/provision.ts METADATA_KEYS),
 * by the script property they stand in for.
 */
export const METADATA: Readonly<Record<string, string>> = {
  [PROP.unitId]: "dondoc.unitId",
  [PROP.unitKey]: "dondoc.unitKey",
  [PROP.unitName]: "dondoc.unitName",
  [PROP.ingestUrl]: "dondoc.ingestUrl",
  [PROP.campaign]: "dondoc.campaign",
};

/**
 * The script's settings as one Props: a non-empty script property wins, else the provisioned developer metadata.
 * The metadata is read once, the first time a provisioned setting is not found among the properties; writes and
 * deletes go to the script properties only (the script's own bookkeeping).
 */
export function withProvisionedSettings(
  props: Props,
  readMetadata: () => ReadonlyMap<string, string>,
): Props {
  let metadata: ReadonlyMap<string, string> | null = null;
  return {
    get(key) {
      const own = props.get(key);
      if (own !== null && own.trim() !== "") return own;
      const metaKey = METADATA[key];
      if (metaKey === undefined) return own;
      metadata ??= readMetadata();
      return metadata.get(metaKey) ?? own;
    },
    set: (key, value) => props.set(key, value),
    delete: (key) => props.delete(key),
    keys: () => props.keys(),
  };
}

/** Embedded by build.ts through esbuild's `define`; absent when the modules run unbundled (tests). */
export interface BuildConfig {
  campaign: unknown;
  guideMarkdown: string;
  ingestUrl: string | null;
  builtAt: string;
}

declare const __DONDOC_BUILD__: BuildConfig | undefined;

export function embeddedBuild(): BuildConfig | null {
  return typeof __DONDOC_BUILD__ === "undefined" ? null : __DONDOC_BUILD__;
}

function parseCampaign(raw: unknown, origin: string): Campaign {
  const parsed = Campaign.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new DondocError(
      "campaign-invalid",
      `Cấu hình chiến dịch (${origin}) không hợp lệ: ${first ? `${first.path.join(".")}: ${first.message}` : "không đọc được"}.`,
      { origin },
    );
  }
  return parsed.data;
}

/** The campaign: the DONDOC_CAMPAIGN property when set, else the one embedded at build time. */
export function resolveCampaign(props: Props, build: BuildConfig | null): Campaign {
  const text = props.get(PROP.campaign);
  if (text !== null && text.trim() !== "") {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new DondocError("campaign-invalid", `Thuộc tính ${PROP.campaign} không phải JSON hợp lệ.`, {
        cause: String(err),
      });
    }
    return parseCampaign(raw, `thuộc tính ${PROP.campaign}`);
  }
  if (build !== null && build.campaign !== null && build.campaign !== undefined) {
    return parseCampaign(build.campaign, "nhúng khi đóng gói");
  }
  throw new DondocError(
    "campaign-missing",
    "Bảng tính chưa được gắn với chiến dịch nào. Liên hệ cán bộ phụ trách.",
  );
}

export interface UnitCredentials {
  unitId: string;
  unitKey: string;
  ingestUrl: string;
  unitName: string;
}

const PLACEHOLDER_HOST = /REGION-PROJECT/;

/** The unit's identity and credential; refuses to guess when provisioning has not written them. */
export function unitCredentials(props: Props, build: BuildConfig | null): UnitCredentials {
  const unitId = props.get(PROP.unitId)?.trim() ?? "";
  const unitKey = props.get(PROP.unitKey) ?? "";
  const ingestUrl = (props.get(PROP.ingestUrl) ?? build?.ingestUrl ?? "").trim();
  if (unitId === "" || unitKey === "") {
    throw new DondocError(
      "unit-not-provisioned",
      "Bảng tính này chưa được cấp mã đơn vị và khóa gửi số liệu. Liên hệ cán bộ phụ trách công nghệ thông tin.",
    );
  }
  if (!/^https:\/\/\S+$/.test(ingestUrl) || PLACEHOLDER_HOST.test(ingestUrl)) {
    throw new DondocError(
      "ingest-url-missing",
      "Chưa cấu hình địa chỉ máy chủ nhận số liệu. Liên hệ cán bộ phụ trách công nghệ thông tin.",
    );
  }
  return { unitId, unitKey, ingestUrl, unitName: props.get(PROP.unitName)?.trim() || unitId };
}

/** Reads JSON from a property; a value that does not parse is treated as absent (it is our own bookkeeping). */
export function readJson<T>(props: Props, key: string): T | null {
  const text = props.get(key);
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** Apps Script caps one property value at 9 kB; longer values are split over numbered keys. */
export const CHUNK_CHARS = 8000;

export function writeChunked(props: Props, key: string, value: string): void {
  const chunks: string[] = [];
  for (let i = 0; i < value.length; i += CHUNK_CHARS) chunks.push(value.slice(i, i + CHUNK_CHARS));
  const previous = Number(props.get(`${key}#n`) ?? "0");
  chunks.forEach((chunk, i) => {
    props.set(`${key}#${i}`, chunk);
  });
  for (let i = chunks.length; i < previous; i++) props.delete(`${key}#${i}`);
  props.set(`${key}#n`, String(chunks.length));
}

export function readChunked(props: Props, key: string): string {
  const n = Number(props.get(`${key}#n`) ?? "0");
  let out = "";
  for (let i = 0; i < n; i++) out += props.get(`${key}#${i}`) ?? "";
  return out;
}
