// Per-minute token buckets in front of the Sheets and Drive APIs. Google's defaults: Sheets 300 read and 300
// write requests per minute per project and 60 per minute per user (a service account is one user); Drive
// about 12,000 per minute. A request waits until every bucket of its kind has a token, so hundreds of sheets
// are read at the allowed pace instead of meeting a wall of 429s.
import { type RetryOptions, withRetry } from "./retry.ts";

export type QuotaKind = "read" | "write" | "drive";

export interface QuotaOptions {
  /** Requests per minute per kind; each number is one bucket (e.g. [project limit, per-user limit]). */
  limits?: Partial<Record<QuotaKind, number[]>>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_QUOTA_LIMITS: Record<QuotaKind, number[]> = {
  read: [300, 60],
  write: [300, 60],
  drive: [12_000],
};

interface Bucket {
  capacity: number;
  tokens: number;
  perMs: number;
  last: number;
}

export interface QuotaGate {
  take(kind: QuotaKind): Promise<void>;
}

export class TokenBucketQuota implements QuotaGate {
  private readonly buckets: Record<QuotaKind, Bucket[]>;
  private readonly tails: Record<QuotaKind, Promise<void>>;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(opts: QuotaOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const start = this.now();
    const make = (kind: QuotaKind): Bucket[] =>
      (opts.limits?.[kind] ?? DEFAULT_QUOTA_LIMITS[kind]).map((perMinute) => {
        if (!(perMinute > 0)) throw new RangeError(`quota for ${kind} must be > 0 per minute`);
        // A full minute's allowance may be spent at once, as Google counts per minute window.
        return { capacity: perMinute, tokens: perMinute, perMs: perMinute / 60_000, last: start };
      });
    this.buckets = { read: make("read"), write: make("write"), drive: make("drive") };
    this.tails = { read: Promise.resolve(), write: Promise.resolve(), drive: Promise.resolve() };
  }

  /** Resolves when a request of this kind may be sent; callers queue in order of arrival. */
  take(kind: QuotaKind): Promise<void> {
    const turn = this.tails[kind].then(() => this.acquire(kind));
    // A rejected sleep must not wedge the queue for everyone after it.
    this.tails[kind] = turn.catch(() => undefined);
    return turn;
  }

  private async acquire(kind: QuotaKind): Promise<void> {
    const buckets = this.buckets[kind];
    for (;;) {
      const t = this.now();
      let waitMs = 0;
      for (const b of buckets) {
        b.tokens = Math.min(b.capacity, b.tokens + (t - b.last) * b.perMs);
        b.last = t;
        if (b.tokens < 1) waitMs = Math.max(waitMs, Math.ceil((1 - b.tokens) / b.perMs));
      }
      if (waitMs === 0) {
        for (const b of buckets) b.tokens -= 1;
        return;
      }
      await this.sleep(waitMs);
    }
  }
}

/** No waiting at all: for tests that are not about quota, and the local fake. */
export const UNLIMITED_QUOTA: QuotaGate = { take: () => Promise.resolve() };

export interface CallPolicy {
  quota?: QuotaGate;
  retry?: RetryOptions;
}

/** One Google API call: every attempt, retries included, first waits for a quota token of its kind. */
export function guardedCall<T>(kind: QuotaKind, fn: () => Promise<T>, policy: CallPolicy): Promise<T> {
  const quota = policy.quota ?? UNLIMITED_QUOTA;
  return withRetry(async () => {
    await quota.take(kind);
    return fn();
  }, policy.retry);
}
