import { describe, expect, it } from "vitest";
import { PUSH_HEADERS, PushBody } from "../../functions/src/core/push-protocol.ts";
import * as app from "../src/app.ts";
import { PROP } from "../src/config.ts";
import { INPUT_TAB } from "../src/layout.ts";
import { FLUSH_DELAY_MS, FLUSH_HANDLER, RETRY_DELAYS_MS, readPending } from "../src/push.ts";
import { CHO_DON, createFakes, type Fakes } from "./fakes.ts";
import {
  INGEST_URL,
  ingestLike,
  portsOf,
  provision,
  UNIT_ID,
  UNIT_KEY,
  validLineRow,
  verifySignature,
} from "./helpers.ts";

function ready() {
  const f = createFakes();
  provision(f);
  const ports = portsOf(f);
  app.setup(ports, null);
  f.fetch.responder = ingestLike(CHO_DON, f.clock.now);
  return { f, ports, sheet: f.ss.getSheetByName(INPUT_TAB)! };
}

/** Runs the due one-shot triggers as Apps Script would, with the trigger id in the event. */
function fireDueTriggers(f: Fakes, ports = portsOf(f, false)) {
  for (const t of f.scriptApp.timeTriggers().filter((x) => x.at !== null && x.at <= f.clock.ms)) {
    expect(t.handler).toBe(FLUSH_HANDLER);
    app.flushFromTrigger(ports, null, t.id);
  }
}

describe("push on edit", () => {
  it("makes exactly one signed request for a burst of 20 edits, carrying the whole tab", () => {
    const { f, sheet } = ready();
    const firstEditAt = f.clock.ms;
    let scheduledId: string | undefined;
    for (let i = 0; i < 20; i++) {
      sheet.type(2 + i, validLineRow(i));
      app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2 + i, lastRow: 2 + i });
      scheduledId ??= f.scriptApp.timeTriggers()[0]?.id;
      f.clock.advance(2_000);
    }
    expect(f.fetch.requests).toHaveLength(0);
    // One flush, scheduled by the first edit and not pushed back by the others: steady typing cannot starve it.
    expect(f.scriptApp.timeTriggers().map((t) => [t.id, t.at])).toEqual([
      [scheduledId, firstEditAt + FLUSH_DELAY_MS],
    ]);

    f.clock.advance(FLUSH_DELAY_MS);
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(1);
    const req = f.fetch.requests[0]!;
    expect(req.url).toBe(INGEST_URL);
    expect(req.method).toBe("post");
    expect(req.muteHttpExceptions).toBe(true);
    expect(req.headers[PUSH_HEADERS.unit]).toBe(UNIT_ID);
    expect(Number(req.headers[PUSH_HEADERS.timestamp])).toBe(Math.floor(f.clock.ms / 1000));
    expect(verifySignature(req, UNIT_KEY)).toBe(true);
    expect(verifySignature(req, `${UNIT_KEY}x`)).toBe(false);

    const body = PushBody.parse(JSON.parse(req.payload));
    expect(body.unitId).toBe(UNIT_ID);
    expect(body.header).toContain("Số định danh cá nhân");
    expect(body.rows).toHaveLength(20);
    expect(body.rows.every((r) => typeof r[0] === "string" && /^\d{2}\/\d{2}\/\d{4} /.test(r[0]))).toBe(true);
    expect(body.confirmNothingNew).toBeUndefined();

    // The trigger removed itself; nothing is pending, so the next tick sends nothing.
    expect(f.scriptApp.timeTriggers()).toHaveLength(0);
    expect(readPending(portsOf(f))).toMatchObject({ ranges: [], triggerId: null });
    f.clock.advance(FLUSH_DELAY_MS);
    app.flushFromTrigger(portsOf(f, false), null, undefined);
    expect(f.fetch.requests).toHaveLength(1);
  });

  it("signs the exact UTF-8 bytes: a request whose body was altered no longer verifies", () => {
    const { f, sheet } = ready();
    sheet.type(2, validLineRow(0, { citizenName: "Hoàng Thị Ánh Nguyệt" }));
    const out = app.sendNow(portsOf(f), null);
    expect(out).toContain("Đã gửi số liệu lúc 13:30 04/08/2025");
    const req = f.fetch.requests[0]!;
    expect(verifySignature(req, UNIT_KEY)).toBe(true);
    expect(verifySignature({ ...req, payload: req.payload.replace("Nguyệt", "Nguyet") }, UNIT_KEY)).toBe(
      false,
    );
  });

  it("queues edits made while a request is in flight for one more request", () => {
    const { f, sheet } = ready();
    sheet.type(2, validLineRow(0));
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2, lastRow: 2 });
    f.clock.advance(FLUSH_DELAY_MS);
    const server = f.fetch.responder;
    f.fetch.responder = (req) => {
      // While the first request is on its way, the unit types two more rows.
      if (f.fetch.requests.length === 1) {
        sheet.type(3, validLineRow(1));
        app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 3, lastRow: 3 });
        sheet.type(4, validLineRow(2));
        app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 4, lastRow: 4 });
      }
      return server(req);
    };
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(1);
    expect(sheet.peek("A3").value).not.toBe("");
    expect(readPending(portsOf(f)).ranges).toEqual([[3, 4]]);
    f.clock.advance(FLUSH_DELAY_MS);
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(2);
    expect(PushBody.parse(JSON.parse(f.fetch.requests[1]!.payload)).rows).toHaveLength(3);
  });

  it("keeps the rows and retries with backoff when the server is down, then succeeds", () => {
    const { f, sheet } = ready();
    const server = f.fetch.responder;
    f.fetch.responder = () => ({ status: 503, body: "Service Unavailable" });
    sheet.type(2, validLineRow(0));
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2, lastRow: 2 });
    f.clock.advance(FLUSH_DELAY_MS);
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(1);
    const pending = readPending(portsOf(f));
    expect(pending.ranges).toEqual([[2, 2]]);
    expect(pending.attempts).toBe(1);
    const retry = f.scriptApp.timeTriggers();
    expect(retry).toHaveLength(1);
    expect(retry[0]!.at).toBe(f.clock.ms + RETRY_DELAYS_MS[0]);
    expect(JSON.parse(f.props.getProperty(PROP.lastPush)!)).toMatchObject({ ok: false, status: 503 });

    f.fetch.responder = server;
    f.clock.advance(RETRY_DELAYS_MS[0]);
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(2);
    expect(readPending(portsOf(f))).toMatchObject({ ranges: [], attempts: 0 });
    expect(JSON.parse(f.props.getProperty(PROP.lastPush)!)).toMatchObject({
      ok: true,
      status: 200,
      errors: 0,
    });
  });

  it("reports a refused credential without retrying on its own", () => {
    const { f, sheet } = ready();
    f.props.setProperty(PROP.unitKey, "khóa-cũ-đã-thu-hồi");
    sheet.type(2, validLineRow(0));
    const out = app.sendNow(portsOf(f), null);
    expect(out).toContain("Máy chủ không chấp nhận khóa gửi số liệu của đơn vị (mã 401)");
    expect(out).toContain("chữ ký sai");
    expect(f.scriptApp.timeTriggers()).toHaveLength(0);
  });

  it("does not queue or send for a sheet that was never given a unit credential, but still stamps", () => {
    const f = createFakes();
    f.props.setProperty(PROP.campaign, JSON.stringify(CHO_DON));
    app.setup(portsOf(f), null);
    const sheet = f.ss.getSheetByName(INPUT_TAB)!;
    sheet.type(2, validLineRow(0));
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2, lastRow: 2 });
    expect(sheet.peek("A2").value).toBe("04/08/2025 13:30:00");
    expect(f.scriptApp.timeTriggers()).toHaveLength(0);
    expect(() => app.sendNow(portsOf(f), null)).toThrow(/chưa được cấp mã đơn vị/);
  });

  it("sends a confirmation of nothing new only after the unit says yes", () => {
    const { f } = ready();
    f.ui.answer = "NO";
    expect(app.confirm(portsOf(f), null)).toBeNull();
    expect(f.fetch.requests).toHaveLength(0);
    f.ui.answer = "YES";
    const out = app.confirm(portsOf(f), null);
    expect(out).toContain("Đã gửi số liệu");
    const body = PushBody.parse(JSON.parse(f.fetch.requests[0]!.payload));
    expect(body.confirmNothingNew).toBe(true);
    expect(verifySignature(f.fetch.requests[0]!, UNIT_KEY)).toBe(true);
  });

  it("waits rather than sends while another execution holds the lock", () => {
    const { f, sheet } = ready();
    sheet.type(2, validLineRow(0));
    app.edited(portsOf(f, false), null, { tabName: INPUT_TAB, firstRow: 2, lastRow: 2 });
    f.clock.advance(FLUSH_DELAY_MS);
    f.lock.heldElsewhere = true;
    const first = f.scriptApp.timeTriggers()[0]!;
    const outcome = app.flushFromTrigger(portsOf(f, false), null, first.id);
    expect(outcome.kind).toBe("busy");
    expect(f.fetch.requests).toHaveLength(0);
    // The fired trigger is gone and a fresh one will try again.
    expect(f.scriptApp.timeTriggers().map((t) => t.id)).not.toContain(first.id);
    expect(f.scriptApp.timeTriggers()).toHaveLength(1);
    f.lock.heldElsewhere = false;
    f.clock.advance(FLUSH_DELAY_MS);
    fireDueTriggers(f);
    expect(f.fetch.requests).toHaveLength(1);
  });
});
