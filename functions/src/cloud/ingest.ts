// `ingest`: a unit's sheet pushes its whole input tab on edit. Authenticated by the unit's credential; the
// unit's rows are validated and stored at once and its issues returned for notes and red fills.

import type { Request, Response } from "@google-cloud/functions-framework";
import * as functions from "@google-cloud/functions-framework";
import { syncUnitSheet } from "../app/sync.ts";
import { currentPeriod } from "../core/periods.ts";
import { PushBody, type PushResponse } from "../core/push-protocol.ts";
import { authenticatePush } from "./push-auth.ts";
import { getRuntime } from "./runtime.ts";

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ ok: false, code, message });
}

export async function ingest(req: Request, res: Response): Promise<void> {
  if (req.method !== "POST") return fail(res, 405, "method-not-allowed", "Chỉ nhận POST.");
  const rt = await getRuntime();
  const now = rt.now();
  const auth = authenticatePush({
    headers: req.headers,
    rawBody: req.rawBody,
    now,
    keyFor: (id) => (rt.units.some((u) => u.id === id) ? rt.unitKey(id) : null),
  });
  if (!auth.ok) return fail(res, auth.status, auth.code, auth.message);

  let body: PushBody;
  try {
    body = PushBody.parse(JSON.parse(req.rawBody!.toString("utf8")));
  } catch {
    return fail(res, 400, "bad-body", "Nội dung yêu cầu không đúng định dạng.");
  }
  if (body.unitId !== undefined && body.unitId !== auth.unitId) {
    return fail(res, 403, "wrong-unit", "Đơn vị chỉ được gửi số liệu của chính mình.");
  }
  const { campaign, store } = rt;
  // Remembered before anything is written: the same signed request sent again is refused, not re-applied.
  if (!(await store.claimOnce(campaign.id, `push~${auth.unitId}~${body.requestId}`, now.toISOString()))) {
    return fail(res, 403, "replayed", "Yêu cầu này đã được nhận trước đó.");
  }

  const unit = rt.units.find((u) => u.id === auth.unitId)!;
  let state = (await store.loadUnitState(campaign.id, unit.id)) ?? {
    unitId: unit.id,
    lastModified: null,
    lastSyncAt: null,
    issues: [],
    problem: null,
    confirmedPeriods: [],
  };
  if (body.confirmNothingNew) {
    const period = currentPeriod(campaign, now);
    if (period && !state.confirmedPeriods.includes(period.index)) {
      state = { ...state, confirmedPeriods: [...state.confirmedPeriods, period.index].sort((a, b) => a - b) };
    }
  }
  const { result, state: next } = await syncUnitSheet(
    { campaign, units: rt.units, source: unusedSource, store, now, hashId: rt.hashId },
    unit,
    { unitId: unit.id, source: `push ${body.requestId}`, header: body.header, rows: body.rows },
    state,
  );
  const written = result.written + (await store.saveUnitState(campaign.id, next));
  const response: PushResponse = {
    ok: true,
    unitId: unit.id,
    written,
    held: result.status === "held",
    issues: next.issues,
    message:
      result.status === "held"
        ? (result.message ?? "")
        : `Đã nhận: ${result.created} mới, ${result.updated} sửa, ${result.deleted} xóa; ${result.errors} lỗi.`,
  };
  res.status(200).json(response);
}

// The push carries the sheet itself; nothing is read from Sheets here.
const unusedSource = {
  changedUnits: async () => [],
  read: async () => {
    throw new Error("ingest never reads sheets");
  },
};

functions.http("ingest", ingest);
