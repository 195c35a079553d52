// Deterministic fault injection: with a seed, the same sequence of requests meets the same failures, so a
// test that survives 30 % faults once survives them every run.

import { prng } from "../seeded-text.ts";

/** mulberry32 (seeded-text.ts): tiny, fast, and good enough to spread faults evenly. */
export const seededRandom = prng;

/** 0 stands for a connection reset (socket destroyed without an answer). */
export type FaultStatus = 429 | 500 | 502 | 503 | 504 | 403 | 0;

export interface FaultConfig {
  faultRate?: number;
  faultStatuses?: number[];
  seed?: number;
  /** Seconds to send in a Retry-After header with injected 429/503 answers; omitted when undefined. */
  retryAfterSeconds?: number;
}

export interface InjectedFault {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export class FaultInjector {
  rate = 0;
  statuses: number[] = [429, 503];
  retryAfterSeconds: number | undefined;
  private random: () => number = seededRandom(1);

  constructor(config: FaultConfig = {}) {
    this.configure(config);
  }

  configure(config: FaultConfig): void {
    if (config.faultRate !== undefined) {
      if (!(config.faultRate >= 0 && config.faultRate <= 1))
        throw new RangeError("faultRate must be in [0, 1]");
      this.rate = config.faultRate;
    }
    if (config.faultStatuses !== undefined) {
      if (config.faultStatuses.length === 0) throw new RangeError("faultStatuses must not be empty");
      this.statuses = [...config.faultStatuses];
    }
    if (config.seed !== undefined) this.random = seededRandom(config.seed);
    if ("retryAfterSeconds" in config) this.retryAfterSeconds = config.retryAfterSeconds;
  }

  /** Decides for one request; null lets it through. */
  next(api: "sheets" | "drive"): InjectedFault | null {
    if (this.rate === 0) return null;
    if (this.random() >= this.rate) return null;
    const status = this.statuses[Math.floor(this.random() * this.statuses.length)] ?? 503;
    const headers: Record<string, string> = {};
    if (this.retryAfterSeconds !== undefined && (status === 429 || status === 503)) {
      headers["retry-after"] = String(this.retryAfterSeconds);
    }
    return { status, body: faultBody(api, status), headers };
  }
}

/** Error bodies shaped like Google's own for the statuses we inject. */
export function faultBody(api: "sheets" | "drive", status: number): unknown {
  switch (status) {
    case 429:
      return api === "sheets"
        ? googleError(
            429,
            "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
            "RESOURCE_EXHAUSTED",
            [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                reason: "RATE_LIMIT_EXCEEDED",
                domain: "googleapis.com",
                metadata: { service: "sheets.googleapis.com", quota_limit: "ReadRequestsPerMinutePerUser" },
              },
            ],
          )
        : driveError(429, "Rate Limit Exceeded", "rateLimitExceeded", "usageLimits");
    case 403:
      // Drive signals per-user rate limits with 403, which clients must tell apart from a real denial.
      return driveError(403, "User rate limit exceeded.", "userRateLimitExceeded", "usageLimits");
    case 500:
      return googleError(500, "Internal error encountered.", "INTERNAL");
    case 502:
      return googleError(502, "Bad Gateway", "UNAVAILABLE");
    case 504:
      return googleError(504, "The service timed out.", "DEADLINE_EXCEEDED");
    default:
      return googleError(503, "The service is currently unavailable.", "UNAVAILABLE");
  }
}

export function googleError(code: number, message: string, status: string, details?: unknown[]): unknown {
  return { error: { code, message, status, ...(details ? { details } : {}) } };
}

/** Drive v3 still sends the legacy `errors` array next to the canonical fields. */
export function driveError(
  code: number,
  message: string,
  reason: string,
  domain = "global",
  location?: string,
): unknown {
  const status =
    code === 404
      ? "NOT_FOUND"
      : code === 403
        ? "PERMISSION_DENIED"
        : code === 429
          ? "RESOURCE_EXHAUSTED"
          : code === 401
            ? "UNAUTHENTICATED"
            : "INVALID_ARGUMENT";
  const item: Record<string, string> = { domain, reason, message };
  if (location) {
    item.locationType = "parameter";
    item.location = location;
  }
  return { error: { code, message, status, errors: [item] } };
}

/** A refusal the fake answers with: the HTTP status and Google's JSON body. */
export class FakeHttpError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

const CANONICAL: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  501: "UNIMPLEMENTED",
};

/** A Sheets-style refusal: `{ error: { code, message, status } }`. */
export function sheetsFailure(code: number, message: string): FakeHttpError {
  return new FakeHttpError(code, googleError(code, message, CANONICAL[code] ?? "UNKNOWN"));
}
