// Sending the input tab to `ingest`, signed with the unit's credential, once per burst of edits.
//
// Coalescing: an edit only stamps, records its rows in the pending queue and, if no flush is scheduled yet,
// schedules one one-shot time trigger a minute later. Every edit in that minute finds the flush already scheduled
// and adds its rows to the same queue, so a burst of 20 edits makes one request. The flush holds the script lock
// only to snapshot the tab and to record the answer, never during the request itself, so edits made meanwhile
// are stamped at once and queue up for the next flush. A second flush while one request is in flight waits for
// it (by rescheduling), so two snapshots of the tab can never reach the server out of order.

import { DondocError } from "../../functions/src/core/errors.ts";
import {
  canonicalPushString,
  formatSignatureHeader,
  PUSH_HEADERS,
  PUSH_MAX_BODY_BYTES,
  type PushBody,
  PushResponse,
} from "../../functions/src/core/push-protocol.ts";
import type { Campaign, RowIssue } from "../../schemas/index.ts";
import { annotate } from "./annotate.ts";
import { PROP, readJson, type UnitCredentials } from "./config.ts";
import { shapeGrid } from "./grid.ts";
import { layoutOf } from "./layout.ts";
import type { Ports } from "./ports.ts";
import { formatClockDate } from "./stamp.ts";
import { headerBaseline, planTemplate } from "./template.ts";

/** Global function the flush trigger calls (declared in index.ts). */
export const FLUSH_HANDLER = "dondocFlush";
/** The coalescing window: Apps Script's shortest dependable one-shot delay. */
export const FLUSH_DELAY_MS = 60_000;
/** A scheduled flush older than this never ran (trigger lost); the next edit schedules a new one. */
export const SCHEDULE_STALE_MS = 10 * 60_000;
/** An in-flight marker older than this belongs to an execution that died; it no longer blocks. */
export const INFLIGHT_STALE_MS = 3 * 60_000;
export const LOCK_WAIT_MS = 20_000;
/** Waiting on transient failures (network, 429, 5xx): 1, 5, 15 then 60 minutes, then until the next edit. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

/** Sheet rows waiting to be sent, as merged [first, last] ranges. */
export interface PendingState {
  ranges: [number, number][];
  triggerId: string | null;
  scheduledAt: string | null;
  /** Consecutive transient failures. */
  attempts: number;
}

interface Inflight {
  requestId: string;
  at: string;
}

export interface LastPush {
  at: string;
  ok: boolean;
  status: number;
  message: string;
  errors: number;
  warnings: number;
  retryAt: string | null;
}

export type PushPorts = Pick<Ports, "sheet" | "props" | "lock" | "http" | "crypto" | "clock" | "triggers">;

export interface PushContext {
  ports: PushPorts;
  campaign: Campaign;
  creds: UnitCredentials;
}

export type FlushOutcome =
  | { kind: "nothing-pending" }
  | { kind: "busy"; message: string }
  | { kind: "sent"; push: LastPush }
  | { kind: "failed"; push: LastPush };

const EMPTY: PendingState = { ranges: [], triggerId: null, scheduledAt: null, attempts: 0 };

export function readPending(ports: Pick<Ports, "props">): PendingState {
  const s = readJson<Partial<PendingState>>(ports.props, PROP.pending);
  return { ...EMPTY, ...(s ?? {}), ranges: Array.isArray(s?.ranges) ? s.ranges : [] };
}

function savePending(ports: Pick<Ports, "props">, state: PendingState): void {
  ports.props.set(PROP.pending, JSON.stringify(state));
}

export function mergeRanges(ranges: readonly [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Runs `fn` holding the script lock, or returns null when the lock could not be had in time. */
export function withLock<T>(ports: Pick<Ports, "lock">, timeoutMs: number, fn: () => T): { value: T } | null {
  if (!ports.lock.tryLock(timeoutMs)) return null;
  try {
    return { value: fn() };
  } finally {
    ports.lock.release();
  }
}

function schedule(ports: PushPorts, state: PendingState, afterMs: number): void {
  if (state.triggerId !== null) ports.triggers.deleteTrigger(state.triggerId);
  state.triggerId = ports.triggers.scheduleOnce(FLUSH_HANDLER, afterMs);
  state.scheduledAt = new Date(ports.clock.now().getTime() + afterMs).toISOString();
}

function scheduleIsLive(ports: PushPorts, state: PendingState): boolean {
  if (state.triggerId === null || state.scheduledAt === null) return false;
  return ports.clock.now().getTime() - Date.parse(state.scheduledAt) < SCHEDULE_STALE_MS;
}

/** Queues edited rows and makes sure a flush is scheduled. The caller holds the lock. */
export function recordEdit(ports: PushPorts, firstRow: number, lastRow: number): PendingState {
  const state = readPending(ports);
  const first = Math.max(2, firstRow);
  if (lastRow >= first) state.ranges = mergeRanges([...state.ranges, [first, lastRow]]);
  if (state.ranges.length > 0 && !scheduleIsLive(ports, state)) schedule(ports, state, FLUSH_DELAY_MS);
  savePending(ports, state);
  return state;
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The headers `ingest` verifies: unit, unix-seconds timestamp and "v1=" HMAC of the canonical string. */
export function signRequest(
  creds: UnitCredentials,
  body: string,
  timestamp: number,
  crypto: Pick<Ports["crypto"], "hmacSha256Hex">,
): SignedRequest {
  const digest = crypto.hmacSha256Hex(canonicalPushString(creds.unitId, timestamp, body), creds.unitKey);
  return {
    url: creds.ingestUrl,
    headers: {
      [PUSH_HEADERS.unit]: creds.unitId,
      [PUSH_HEADERS.timestamp]: String(timestamp),
      [PUSH_HEADERS.signature]: formatSignatureHeader(digest),
    },
    body,
  };
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function isTransient(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

function serverMessage(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    if (typeof parsed.message === "string" && parsed.message !== "") return parsed.message;
    if (typeof parsed.error === "string" && parsed.error !== "") return parsed.error;
  } catch {
    // Not JSON (a proxy's HTML error page): the status alone is reported.
  }
  return null;
}

function failureMessage(status: number, body: string): string {
  const said = serverMessage(body);
  const suffix = said === null ? "" : ` Máy chủ báo: ${said}`;
  if (status === 0) return `Không kết nối được máy chủ nhận số liệu.${suffix}`;
  if (status === 401 || status === 403)
    return `Máy chủ không chấp nhận khóa gửi số liệu của đơn vị (mã ${status}). Liên hệ cán bộ phụ trách công nghệ thông tin.${suffix}`;
  if (status === 413) return `Bảng số liệu quá lớn để gửi (mã 413).${suffix}`;
  if (isTransient(status)) return `Máy chủ đang bận (mã ${status}).${suffix}`;
  return `Máy chủ từ chối số liệu (mã ${status}).${suffix}`;
}

function countIssues(issues: readonly RowIssue[]): { errors: number; warnings: number } {
  const errors = issues.filter((i) => i.severity === "error").length;
  return { errors, warnings: issues.length - errors };
}

export interface FlushOptions {
  /** Send even when no edit is pending ("Gửi số liệu ngay", confirmations). */
  force: boolean;
  confirmNothingNew?: boolean;
  /** The one-shot trigger that started this flush; it is deleted so triggers do not pile up. */
  triggerId?: string;
}

interface Prepared {
  body: string;
  requestId: string;
  ranges: [number, number][];
  rowIssueCol: number;
  header: PushBody["header"];
}

/** Sends the whole input tab if edits are pending (or when forced), and shows the answer on the cells. */
export function flush(ctx: PushContext, options: FlushOptions): FlushOutcome {
  const { ports, campaign, creds } = ctx;
  if (options.triggerId !== undefined) ports.triggers.deleteTrigger(options.triggerId);

  const prepared = withLock(ports, LOCK_WAIT_MS, (): Prepared | FlushOutcome => {
    const state = readPending(ports);
    if (options.triggerId !== undefined && state.triggerId === options.triggerId) {
      state.triggerId = null;
      state.scheduledAt = null;
    }
    const inflight = readJson<Inflight>(ports.props, PROP.inflight);
    const now = ports.clock.now();
    if (inflight !== null && now.getTime() - Date.parse(inflight.at) < INFLIGHT_STALE_MS) {
      if (state.ranges.length > 0 && !scheduleIsLive(ports, state)) schedule(ports, state, FLUSH_DELAY_MS);
      savePending(ports, state);
      return { kind: "busy", message: "Đang gửi số liệu của lần sửa trước; vui lòng thử lại sau ít phút." };
    }
    if (!options.force && state.ranges.length === 0) {
      savePending(ports, state);
      return { kind: "nothing-pending" };
    }
    const layout = layoutOf(campaign, ports.sheet.readHeader());
    const grid = shapeGrid(ports.sheet.readGrid(), layout);
    const requestId = ports.crypto.uuid();
    const payload: PushBody = { requestId, unitId: creds.unitId, header: grid.header, rows: grid.rows };
    if (options.confirmNothingNew === true) payload.confirmNothingNew = true;
    const body = JSON.stringify(payload);
    if (utf8Length(body) > PUSH_MAX_BODY_BYTES) {
      // Retrying cannot help; the scheduled server sync still reads the sheet directly.
      const push = lastPushOf(
        ports,
        false,
        413,
        "Bảng số liệu quá lớn để gửi ngay; hệ thống sẽ tự đọc bảng theo lịch tổng hợp.",
      );
      state.ranges = [];
      savePending(ports, state);
      ports.props.set(PROP.lastPush, JSON.stringify(push));
      return { kind: "failed", push };
    }
    ports.props.set(PROP.inflight, JSON.stringify({ requestId, at: now.toISOString() } satisfies Inflight));
    const ranges = state.ranges;
    state.ranges = [];
    savePending(ports, state);
    return { body, requestId, ranges, rowIssueCol: layout.rowIssueCol, header: grid.header };
  });
  if (prepared === null) {
    // Another execution holds the lock; a fresh trigger retries without touching the shared state.
    if (options.triggerId !== undefined) ports.triggers.scheduleOnce(FLUSH_HANDLER, FLUSH_DELAY_MS);
    return { kind: "busy", message: "Bảng đang được xử lý; vui lòng thử lại sau ít phút." };
  }
  if ("kind" in prepared.value) return prepared.value;
  const job = prepared.value;

  const timestamp = Math.floor(ports.clock.now().getTime() / 1000);
  const request = signRequest(creds, job.body, timestamp, ports.crypto);
  let status: number;
  let responseBody: string;
  try {
    const res = ports.http.postJson(request.url, request.headers, request.body);
    status = res.status;
    responseBody = res.body;
  } catch (err) {
    // No answer at all (DNS, timeout): treated like a transient server error and retried.
    status = 0;
    responseBody = JSON.stringify({ error: err instanceof Error ? err.message : String(err) });
  }

  const finished = withLock(ports, 3 * LOCK_WAIT_MS, () => finish(ctx, job, status, responseBody));
  if (finished === null) {
    throw new DondocError(
      "lock-timeout",
      "Không ghi được kết quả gửi số liệu vì bảng đang bận; sẽ gửi lại ở lần sửa sau.",
    );
  }
  return finished.value;
}

function lastPushOf(ports: PushPorts, ok: boolean, status: number, message: string): LastPush {
  return { at: ports.clock.now().toISOString(), ok, status, message, errors: 0, warnings: 0, retryAt: null };
}

function finish(ctx: PushContext, job: Prepared, status: number, body: string): FlushOutcome {
  const { ports, campaign } = ctx;
  const inflight = readJson<Inflight>(ports.props, PROP.inflight);
  if (inflight?.requestId === job.requestId) ports.props.delete(PROP.inflight);
  const state = readPending(ports);

  let response: PushResponse | null = null;
  if (status >= 200 && status < 300) {
    try {
      const parsed = PushResponse.safeParse(JSON.parse(body));
      if (parsed.success) response = parsed.data;
    } catch {
      // A 2xx without the expected JSON is reported below as a failed push.
    }
  }

  if (response !== null) {
    const checkedAt = formatClockDate(ports.clock.wall(ports.clock.now(), campaign.timezone));
    const baseline = headerBaseline(planTemplate(campaign, { header: job.header, rows: [] }));
    annotate(ports, response.issues, { rowIssueCol: job.rowIssueCol, checkedAt, baseline });
    const counts = countIssues(response.issues);
    const push: LastPush = { ...lastPushOf(ports, true, status, response.message), ...counts };
    state.attempts = 0;
    savePending(ports, state);
    ports.props.set(PROP.lastPush, JSON.stringify(push));
    return { kind: "sent", push };
  }

  // The rows go back into the queue so the next flush carries them again.
  state.ranges = mergeRanges([...state.ranges, ...job.ranges]);
  const message =
    status >= 200 && status < 300 ? "Máy chủ trả lời không đúng định dạng." : failureMessage(status, body);
  const push = lastPushOf(ports, false, status, message);
  if (isTransient(status) && state.attempts < RETRY_DELAYS_MS.length) {
    const delay = RETRY_DELAYS_MS[state.attempts]!;
    state.attempts++;
    if (!scheduleIsLive(ports, state)) schedule(ports, state, delay);
    push.retryAt = state.scheduledAt;
  }
  savePending(ports, state);
  ports.props.set(PROP.lastPush, JSON.stringify(push));
  return { kind: "failed", push };
}
