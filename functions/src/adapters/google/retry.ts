// Bounded exponential backoff with full jitter for Google API calls (AWS Architecture Blog, "Exponential
// Backoff And Jitter"; Google's Sheets and Drive guides ask for the same). Sleep and randomness are injected so
// tests run instantly and deterministically.
import { DondocError } from "../../core/errors.ts";

export interface RetryOptions {
  /** Total tries including the first. */
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  /** Upper bound on a server-requested Retry-After, so one answer cannot stall a cycle for long. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; status: number | null; error: unknown }) => void;
}

export type RetryPolicy = Required<Omit<RetryOptions, "onRetry">> & Pick<RetryOptions, "onRetry">;

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseMs: 250,
  maxMs: 16_000,
  maxRetryAfterMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

export function retryPolicy(opts: RetryOptions = {}): RetryPolicy {
  const p: RetryPolicy = { ...DEFAULT_RETRY };
  for (const [k, v] of Object.entries(opts))
    if (v !== undefined) (p as unknown as Record<string, unknown>)[k] = v;
  if (!(Number.isInteger(p.attempts) && p.attempts >= 1))
    throw new RangeError("attempts must be a whole number ≥ 1");
  return p;
}

/** Thrown when every attempt failed with a retryable error; `cause` is the last one. */
export class RetriesExhaustedError extends Error {
  readonly attempts: number;
  readonly status: number | null;
  constructor(attempts: number, cause: unknown) {
    super(`Google API still failing after ${attempts} attempts: ${errorMessage(cause)}`, { cause });
    this.name = "RetriesExhaustedError";
    this.attempts = attempts;
    this.status = googleErrorStatus(cause);
  }
}

const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
/** Drive reports per-user rate limits as 403 with these reasons; any other 403 is a real denial. */
const RATE_LIMIT_REASONS: ReadonlySet<string> = new Set([
  "rateLimitExceeded",
  "userRateLimitExceeded",
  "RATE_LIMIT_EXCEEDED",
]);
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

function field(v: unknown, key: string): unknown {
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The HTTP status of a gaxios / googleapis error, or null for network failures and other errors. */
export function googleErrorStatus(err: unknown): number | null {
  const status = field(err, "status") ?? field(field(err, "response"), "status");
  if (typeof status === "number") return status;
  const code = field(err, "code");
  return typeof code === "number" ? code : null;
}

/** The error body's reason: Drive's `errors[0].reason` or the ErrorInfo `reason` in `details`. */
export function googleErrorReason(err: unknown): string | null {
  const body = field(field(field(err, "response"), "data"), "error");
  const legacy = field(body, "errors");
  if (Array.isArray(legacy)) {
    const reason = field(legacy[0], "reason");
    if (typeof reason === "string") return reason;
  }
  const details = field(body, "details");
  if (Array.isArray(details)) {
    for (const d of details) {
      const reason = field(d, "reason");
      if (typeof reason === "string") return reason;
    }
  }
  return null;
}

/** The error body's message (Google's own English text), for logs and details. */
export function googleErrorMessage(err: unknown): string {
  const message = field(field(field(field(err, "response"), "data"), "error"), "message");
  return typeof message === "string" ? message : errorMessage(err);
}

function networkCode(err: unknown): string | null {
  // fetch wraps socket errors: GaxiosError → TypeError("fetch failed") → SocketError { code }.
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = field(e, "code");
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    e = field(e, "cause");
  }
  return null;
}

export function isRetryable(err: unknown): boolean {
  const status = googleErrorStatus(err);
  if (status !== null) {
    if (RETRY_STATUSES.has(status)) return true;
    if (status === 403) return RATE_LIMIT_REASONS.has(googleErrorReason(err) ?? "");
    return false;
  }
  return networkCode(err) !== null;
}

/** Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(err: unknown, nowMs = Date.now()): number | null {
  const headers = field(field(err, "response"), "headers");
  let value: unknown;
  if (headers && typeof (headers as { get?: unknown }).get === "function") {
    value = (headers as Headers).get("retry-after");
  } else {
    value = field(headers, "retry-after") ?? field(headers, "Retry-After");
  }
  if (typeof value !== "string" || value.trim() === "") return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Full jitter: uniformly random in [0, min(max, base × 2^(attempt−1))]. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, "baseMs" | "maxMs" | "random">,
): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions | RetryPolicy = {},
): Promise<T> {
  const policy = retryPolicy(opts);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= policy.attempts) throw new RetriesExhaustedError(attempt, error);
      const requested = retryAfterMs(error);
      const delayMs =
        requested !== null ? Math.min(requested, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
      policy.onRetry?.({ attempt, delayMs, status: googleErrorStatus(error), error });
      await policy.sleep(delayMs);
    }
  }
}

export interface FailureWording {
  /** 403 / 404: the file is gone or no longer shared with the service account. */
  unreachable: { code: string; message: string };
  /** Retries exhausted on 429 / 5xx / network errors. */
  unavailable: string;
  /** Anything else Google refused (a 400 is a defect in the request, reported with Google's own text). */
  rejected: string;
}

/** Maps a failed Google call to the coded, Vietnamese error the app layer reports per unit. */
export function googleFailure(err: unknown, wording: FailureWording): DondocError {
  if (err instanceof DondocError) return err;
  const details = { status: googleErrorStatus(err), google: googleErrorMessage(err) };
  if (err instanceof RetriesExhaustedError) {
    return new DondocError("google-unavailable", wording.unavailable, {
      status: err.status,
      attempts: err.attempts,
      google: googleErrorMessage(err.cause),
    });
  }
  const status = googleErrorStatus(err);
  if (status === 403 || status === 404)
    return new DondocError(wording.unreachable.code, wording.unreachable.message, details);
  if (status === null && !isRetryable(err)) throw err; // not a Google answer at all: a programming error, keep it loud
  return new DondocError(
    "google-rejected",
    `${wording.rejected} (Google: ${googleErrorMessage(err)})`,
    details,
  );
}
