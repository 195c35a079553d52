// Wiring shared by the tests: the real gas.ts ports over the fakes (with the fake clock), a provisioned unit, rows
// built by column key, and a stand-in for `ingest` that verifies signatures the way the server does.

import { createHmac } from "node:crypto";
import { authenticatePush } from "../../functions/src/cloud/push-auth.ts";
import { inputColumns } from "../../functions/src/core/columns.ts";
import { parseSheet } from "../../functions/src/core/parse-sheet.ts";
import { PUSH_HEADERS, PushBody, type PushResponse } from "../../functions/src/core/push-protocol.ts";
import type { Campaign, CellValue, RowIssue } from "../../schemas/index.ts";
import { PROP } from "../src/config.ts";
import { createPorts } from "../src/gas.ts";
import type { Ports } from "../src/ports.ts";
import { CHO_DON, type Fakes, type RecordedRequest } from "./fakes.ts";

export const UNIT_ID = "thon-ban-duong";
export const UNIT_KEY = "khóa-bí-mật-của-thôn-Bản-Duồng-0123456789";
export const INGEST_URL = "https://asia-southeast1-dondoc-test.cloudfunctions.net/ingest";

export function portsOf(f: Fakes, withUi = true): Ports {
  const ports = createPorts(f.services, { withUi });
  return { ...ports, clock: { now: f.clock.now, wall: ports.clock.wall } };
}

export function provision(f: Fakes, campaign: Campaign = CHO_DON): void {
  f.props.setProperty(PROP.unitId, UNIT_ID);
  f.props.setProperty(PROP.unitKey, UNIT_KEY);
  f.props.setProperty(PROP.ingestUrl, INGEST_URL);
  f.props.setProperty(PROP.unitName, "Thôn Bản Duồng");
  f.props.setProperty(PROP.campaign, JSON.stringify(campaign));
}

/** A row in template order from values by column key; keys not given are left empty. */
export function rowByKey(
  campaign: Campaign,
  values: Record<string, CellValue>,
): (string | number | boolean | "")[] {
  return inputColumns(campaign).map((c) => {
    const v = values[c.key];
    return v === undefined || v === null ? "" : v;
  });
}

export function validLineRow(i: number, overrides: Record<string, CellValue> = {}) {
  // Distinct, valid ids: province 001, century/gender digit 2 (born 2000s), year 03, serial by row.
  const id = `0012030${String(10000 + i).padStart(5, "0")}`;
  return rowByKey(CHO_DON, {
    date: "04/08/2025",
    supporter: "Nguyễn Văn An",
    citizenName: `Trần Thị Bình ${i}`,
    citizenId: id,
    phone: "0912345678",
    residence: "Thôn Bản Duồng",
    "ind:vneid": true,
    "ind:healthBook": true,
    "ind:signature": true,
    provider: "VNPT",
    ...overrides,
  });
}

/**
 * The server's own check (functions/src/cloud/push-auth.ts, what `ingest` runs): the unit from the header, its key,
 * HMAC-SHA256 over the canonical string, constant-time compare, and the 5-minute window around the request's time.
 */
export function verifySignature(req: RecordedRequest, unitKey: string): boolean {
  const unitId = req.headers[PUSH_HEADERS.unit] ?? "";
  const timestamp = Number(req.headers[PUSH_HEADERS.timestamp]);
  const result = authenticatePush({
    headers: req.headers,
    rawBody: Buffer.from(req.payload, "utf8"),
    now: new Date(timestamp * 1000),
    keyFor: (id) => (id === unitId ? unitKey : null),
  });
  return result.ok && result.unitId === unitId;
}

/** Answers like `ingest`: refuses a bad signature with 401, else validates the sheet and returns its issues. */
export function ingestLike(campaign: Campaign, now: () => Date) {
  return (req: RecordedRequest): { status: number; body: string } => {
    if (!verifySignature(req, UNIT_KEY))
      return { status: 401, body: JSON.stringify({ message: "chữ ký sai" }) };
    const body = PushBody.parse(JSON.parse(req.payload));
    const parsed = parseSheet({
      campaign,
      unit: { id: UNIT_ID, name: "Thôn Bản Duồng", kind: "village", emails: [] },
      sheet: { unitId: UNIT_ID, source: "push", header: body.header, rows: body.rows },
      now: now(),
      hashId: (id) => createHmac("sha256", "server-secret").update(id).digest("hex"),
    });
    const response: PushResponse = {
      ok: true,
      unitId: UNIT_ID,
      written: parsed.entries.length,
      held: false,
      issues: parsed.issues,
      message: `Đã nhận ${parsed.entries.length} dòng hợp lệ.`,
    };
    return { status: 200, body: JSON.stringify(response) };
  };
}

export function issue(
  row: number,
  column: string,
  severity: RowIssue["severity"],
  message: string,
): RowIssue {
  return {
    code: severity === "error" ? "id-length" : "id-repaired",
    severity,
    unitId: UNIT_ID,
    row,
    column,
    header: "",
    message,
  };
}
