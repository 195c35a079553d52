import { sheets as sheetsApi } from "@googleapis/sheets";
import { describe, expect, it } from "vitest";
import { staticTokenAuth } from "../../functions/src/adapters/google/auth.ts";
import { guardedCall, TokenBucketQuota } from "../../functions/src/adapters/google/quota.ts";
import {
  backoffDelay,
  googleFailure,
  isRetryable,
  RetriesExhaustedError,
  retryAfterMs,
  withRetry,
} from "../../functions/src/adapters/google/retry.ts";
import { DondocError } from "../../functions/src/core/errors.ts";
import { startGoogleFake } from "../support/google-fake/server.ts";

/** An error shaped like the one gaxios throws for an HTTP answer. */
function httpError(status: number, opts: { reason?: string; retryAfter?: string } = {}): Error {
  const headers = new Headers(opts.retryAfter ? { "retry-after": opts.retryAfter } : {});
  const error = opts.reason
    ? { code: status, message: "m", errors: [{ reason: opts.reason }] }
    : { code: status, message: "m" };
  return Object.assign(new Error(`HTTP ${status}`), {
    status,
    response: { status, headers, data: { error } },
  });
}

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

describe("withRetry", () => {
  it("retries 429/500/502/503/504 with exponential full-jitter delays and returns the eventual result", async () => {
    const { delays, sleep } = recorder();
    const failures = [429, 500, 502, 503, 504];
    let calls = 0;
    const result = await withRetry(
      async () => {
        const status = failures[calls++];
        if (status !== undefined) throw httpError(status);
        return "ok";
      },
      { sleep, random: () => 0.999, attempts: 6, baseMs: 250, maxMs: 16_000 },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(6);
    // random ≈ 1 shows the ceilings: base × 2^(n−1).
    expect(delays).toEqual([249, 499, 999, 1998, 3996]);
  });

  it("bounds every delay by maxMs and gives up after `attempts` with RetriesExhaustedError", async () => {
    const { delays, sleep } = recorder();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw httpError(503);
      },
      { sleep, random: () => 1, attempts: 8, baseMs: 1_000, maxMs: 5_000 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(8);
    expect((error as RetriesExhaustedError).status).toBe(503);
    expect(calls).toBe(8);
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000]);
  });

  it("never retries 400, 401, 403 (a real denial) or 404", async () => {
    for (const status of [400, 401, 403, 404]) {
      let calls = 0;
      const error = await withRetry(
        async () => {
          calls++;
          throw httpError(status);
        },
        { sleep: async () => {}, random: () => 0.5 },
      ).catch((e: unknown) => e);
      expect(calls).toBe(1);
      expect((error as { status: number }).status).toBe(status);
    }
  });

  it("retries Drive's 403 rate-limit answers but not other 403s", () => {
    expect(isRetryable(httpError(403, { reason: "userRateLimitExceeded" }))).toBe(true);
    expect(isRetryable(httpError(403, { reason: "rateLimitExceeded" }))).toBe(true);
    expect(isRetryable(httpError(403, { reason: "insufficientFilePermissions" }))).toBe(false);
  });

  it("retries network resets found anywhere in the cause chain", () => {
    const reset = new TypeError("fetch failed", {
      cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }),
    });
    expect(isRetryable(Object.assign(new Error("request failed", { cause: reset })))).toBe(true);
    expect(isRetryable(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(new TypeError("undefined is not a function"))).toBe(false);
  });

  it("honours Retry-After in seconds and as an HTTP date, capped by maxRetryAfterMs", async () => {
    expect(retryAfterMs(httpError(429, { retryAfter: "3" }))).toBe(3_000);
    const now = Date.parse("2025-08-04T07:00:00Z");
    expect(retryAfterMs(httpError(503, { retryAfter: "Mon, 04 Aug 2025 07:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(httpError(503))).toBeNull();
    const { delays, sleep } = recorder();
    let calls = 0;
    await withRetry(
      async () => {
        if (calls++ < 2) throw httpError(429, { retryAfter: calls === 1 ? "2" : "600" });
        return 1;
      },
      { sleep, random: () => 0, maxRetryAfterMs: 60_000 },
    );
    expect(delays).toEqual([2_000, 60_000]);
  });

  it("full jitter spreads delays over [0, ceiling)", () => {
    const policy = { baseMs: 100, maxMs: 10_000 };
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { ...policy, random: () => 0.5 })).toBe(200);
  });

  it("maps exhausted retries to google-unavailable and 403/404 to the caller's unreachable code", () => {
    const wording = {
      unreachable: { code: "sheet-unreachable", message: "Không mở được" },
      unavailable: "Tạm thời không phản hồi",
      rejected: "Từ chối",
    };
    const unavailable = googleFailure(new RetriesExhaustedError(6, httpError(503)), wording);
    expect(unavailable).toBeInstanceOf(DondocError);
    expect(unavailable).toMatchObject({ code: "google-unavailable", message: "Tạm thời không phản hồi" });
    expect(googleFailure(httpError(404), wording).code).toBe("sheet-unreachable");
    expect(googleFailure(httpError(400), wording)).toMatchObject({
      code: "google-rejected",
      message: "Từ chối (Google: m)",
    });
    expect(() => googleFailure(new TypeError("bug"), wording)).toThrow(TypeError);
  });

  it("recovers from connection resets and 503s through the real client against the fake", async () => {
    const fake = await startGoogleFake({ seed: 11, faultRate: 0.5, faultStatuses: [0, 503] });
    try {
      const client = sheetsApi({
        version: "v4",
        auth: staticTokenAuth(),
        rootUrl: fake.rootUrl,
        retry: false,
      });
      const id = fake.state.createSpreadsheet({ title: "u" });
      for (let i = 0; i < 10; i++) {
        const res = await withRetry(
          () => client.spreadsheets.get({ spreadsheetId: id, fields: "spreadsheetId" }),
          {
            sleep: async () => {},
            attempts: 20,
          },
        );
        expect(res.data.spreadsheetId).toBe(id);
      }
      expect(fake.counts.faults.byStatus[0]).toBeGreaterThan(0);
      expect(fake.counts.faults.byStatus[503]).toBeGreaterThan(0);
      expect(fake.counts.sheets.get).toBe(10);
    } finally {
      await fake.close();
    }
  });
});

describe("TokenBucketQuota", () => {
  function clock() {
    let t = 0;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
      slept,
      at: () => t,
    };
  }

  it("lets a minute's allowance through, then paces at the tightest bucket's rate", async () => {
    const c = clock();
    const quota = new TokenBucketQuota({ limits: { read: [300, 60] }, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 60; i++) await quota.take("read");
    expect(c.at()).toBe(0);
    await quota.take("read");
    // 60 per minute per user: one token every second.
    expect(c.at()).toBe(1_000);
    for (let i = 0; i < 9; i++) await quota.take("read");
    expect(c.at()).toBe(10_000);
  });

  it("keeps kinds independent and serves concurrent callers in arrival order", async () => {
    const c = clock();
    const quota = new TokenBucketQuota({ limits: { read: [2], write: [60] }, now: c.now, sleep: c.sleep });
    await quota.take("read");
    await quota.take("read");
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => quota.take("read").then(() => order.push(n)));
    await quota.take("write");
    expect(c.slept).toEqual([30_000]);
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(c.at()).toBe(90_000);
  });

  it("charges every attempt of a retried call against the quota", async () => {
    const c = clock();
    const quota = new TokenBucketQuota({ limits: { write: [60] }, now: c.now, sleep: c.sleep });
    let calls = 0;
    for (let i = 0; i < 59; i++) await quota.take("write");
    await guardedCall(
      "write",
      async () => {
        if (calls++ === 0) throw httpError(503);
        return null;
      },
      { quota, retry: { sleep: async () => {}, random: () => 0 } },
    );
    expect(calls).toBe(2);
    // The 60th token went to the first attempt; the retry had to wait for the 61st.
    expect(c.at()).toBe(1_000);
  });
});
