// The Gmail API (users.messages.send) with a raw RFC 5322 message built by the same MIME builder as the other
// mailers. In production the client authenticates as a service account with domain-wide delegation,
// impersonating the sender (Workspace only: consumer Gmail accounts cannot delegate; use SMTP with an app
// password there). The per-API package keeps cold starts short (DESIGN.md: the full googleapis costs ~1 s).
//
// Retries: 429 and 5xx with bounded exponential backoff and full jitter, honouring Retry-After. A 5xx after the
// server had already accepted the message can, rarely, deliver it twice; the deterministic Message-ID lets clients
// fold the copies, which is the best a non-idempotent POST allows.
import { gmail, type gmail_v1 } from "@googleapis/gmail";
import { JWT, type OAuth2Client } from "google-auth-library";
import { DondocError } from "../../core/errors.ts";
import type { Clock, Mailer, MailMessage, SendResult } from "../../core/ports.ts";
import { COMPACT_JSON } from "../google/compact-json.ts";
import { allRecipients, buildMime, type Sender, toBase64Url } from "./rfc5322.ts";

export const GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 32_000 };

export interface GmailOptions {
  /** A ready client (tests point one at a local server with rootUrl); otherwise built from `auth`. */
  client?: gmail_v1.Gmail;
  auth?: OAuth2Client;
  /** API endpoint override (a local test server, a regional endpoint); default https://gmail.googleapis.com/. */
  rootUrl?: string;
  /** The impersonated mailbox; also the From address. */
  from: Sender;
  /** users/{userId}: "me" (the authenticated user, i.e. the impersonated sender) unless told otherwise. */
  userId?: string;
  clock?: Clock;
  maxRecipientsPerMessage?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform [0, 1): the jitter's source, injectable so tests can pin the delays. */
  random?: () => number;
}

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
}

/** A JWT client acting as `subject` through domain-wide delegation, limited to sending mail. */
export function delegatedAuth(key: ServiceAccountKey, subject: string): JWT {
  return new JWT({ email: key.client_email, key: key.private_key, scopes: [GMAIL_SEND_SCOPE], subject });
}

function statusOf(err: unknown): number | null {
  if (typeof err !== "object" || err === null) return null;
  const e = err as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const v of [e.status, e.response?.status, e.code]) {
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d{3}$/.test(v)) return Number(v);
  }
  return null;
}

function retryAfterMs(err: unknown): number | null {
  const headers = (err as { response?: { headers?: unknown } })?.response?.headers;
  let value: string | null | undefined;
  // gaxios may hand back a Headers from its own fetch implementation, not this realm's: duck-type it.
  if (headers && typeof (headers as { get?: unknown }).get === "function") {
    value = (headers as { get(name: string): string | null }).get("retry-after");
  } else if (headers && typeof headers === "object") {
    value = (headers as Record<string, string | undefined>)["retry-after"];
  }
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

function retryable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== null) return status === 429 || status >= 500;
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && NETWORK_CODES.has(code);
}

export class GmailApiMailer implements Mailer {
  readonly maxRecipientsPerMessage: number;
  readonly #client: gmail_v1.Gmail;
  readonly #from: Sender;
  readonly #userId: string;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  /** Attempts made by the last send, for logs and tests. */
  lastAttempts = 0;

  constructor(options: GmailOptions) {
    if (!options.client && !options.auth) {
      throw new DondocError("gmail-no-auth", "Gmail API cần thông tin xác thực (tài khoản dịch vụ).");
    }
    this.#client =
      options.client ??
      gmail({
        version: "v1",
        auth: options.auth,
        ...COMPACT_JSON,
        ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
      });
    this.#from = options.from;
    this.#userId = options.userId ?? "me";
    this.#clock = options.clock ?? { now: () => new Date() };
    this.maxRecipientsPerMessage = options.maxRecipientsPerMessage ?? 100;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#random = options.random ?? Math.random;
  }

  /** Delay before attempt n + 1 (n ≥ 1): full jitter over base·2^(n−1), capped; Retry-After wins when longer. */
  delayBefore(attempt: number, err: unknown): number {
    const ceiling = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.floor(this.#random() * ceiling);
    const hinted = retryAfterMs(err);
    return hinted === null ? jittered : Math.min(this.#retry.maxDelayMs, Math.max(jittered, hinted));
  }

  async send(message: MailMessage): Promise<SendResult> {
    const recipients = allRecipients(message);
    if (recipients.length > this.maxRecipientsPerMessage) {
      throw new DondocError(
        "mail-too-many-recipients",
        `Thư "${message.subject}" có ${recipients.length} người nhận, quá giới hạn ${this.maxRecipientsPerMessage}.`,
        { messageId: message.messageId, recipients: recipients.length },
      );
    }
    const raw = toBase64Url(await buildMime(message, { from: this.#from, date: this.#clock.now() }));
    for (let attempt = 1; ; attempt++) {
      this.lastAttempts = attempt;
      try {
        // gaxios' own retry is off: it would not retry a POST anyway, and one policy is easier to reason about.
        await this.#client.users.messages.send(
          { userId: this.#userId, requestBody: { raw } },
          { retry: false, retryConfig: { retry: 0 } },
        );
        return { messageId: message.messageId, accepted: recipients, rejected: [] };
      } catch (err) {
        if (!retryable(err) || attempt >= this.#retry.attempts) {
          const status = statusOf(err);
          throw new DondocError(
            "gmail-send-failed",
            `Gmail API không gửi được thư "${message.subject}"${status ? ` (HTTP ${status})` : ""} sau ${attempt} lần thử.`,
            { messageId: message.messageId, status, attempts: attempt, cause: String(err) },
          );
        }
        await this.#sleep(this.delayBefore(attempt, err));
      }
    }
  }
}
