// Which mailer a deployment uses, from the environment (or an equivalent object), validated once with a message an
// administrator can act on. Three transports:
//   outbox (default): .eml files in DONDOC_OUTBOX_DIR — nothing leaves the machine;
//   smtp: any server; Gmail/Workspace with an app password (smtp.gmail.com, 465 secure, or 587 STARTTLS);
//   gmail: the Gmail API as DONDOC_MAIL_FROM through a service account with domain-wide delegation (Workspace).
// Daily caps default to Gmail's: 2,000 messages a day for Workspace, 500 for a consumer account; the reminder
// step defers what is beyond the cap and reports it. Gmail counts over a rolling 24 h, the step per calendar day,
// so a cap set a little under Gmail's own keeps a burst around midnight from hitting the real limit.
import { readFileSync } from "node:fs";
import * as z from "zod";
import { DondocError } from "../../core/errors.ts";
import type { Clock, Mailer, MailMessage, SendResult } from "../../core/ports.ts";
import { DEFAULT_MESSAGE_ID_DOMAIN } from "../../core/reminders.ts";
import { delegatedAuth, GmailApiMailer, type ServiceAccountKey } from "./gmail.ts";
import { OutboxMailer } from "./outbox.ts";
import { SmtpMailer } from "./smtp.ts";

const Bool = z.union([z.boolean(), z.enum(["true", "false", "1", "0", "yes", "no"])]).transform((v) => {
  return v === true || v === "true" || v === "1" || v === "yes";
});
const Count = z.coerce.number().int().min(1);
const Domain = z.string().regex(/^[A-Za-z0-9.-]+$/, "tên miền chỉ gồm chữ, số, dấu chấm và gạch ngang");

const Common = {
  from: z.email("địa chỉ người gửi không hợp lệ"),
  fromName: z.string().min(1).optional(),
  maxRecipientsPerMessage: Count.max(1000).default(100),
  /** Messages a day; absent means no cap of our own. */
  dailyCap: Count.optional(),
  messageIdDomain: Domain.default(DEFAULT_MESSAGE_ID_DOMAIN),
};

export const MailConfig = z.discriminatedUnion("transport", [
  z.object({ transport: z.literal("outbox"), dir: z.string().min(1).default("out/outbox"), ...Common }),
  z.object({
    transport: z.literal("smtp"),
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535).default(465),
    secure: Bool.optional(),
    requireTls: Bool.default(false),
    user: z.string().min(1).optional(),
    pass: z.string().min(1).optional(),
    ...Common,
    dailyCap: Count.default(500),
  }),
  z.object({
    transport: z.literal("gmail"),
    /** Service account key JSON, inline or as a file path. */
    keyJson: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
    rootUrl: z.url().optional(),
    ...Common,
    dailyCap: Count.default(2000),
  }),
]);
export type MailConfig = z.infer<typeof MailConfig>;
export type MailConfigInput = z.input<typeof MailConfig>;

/** A configured mailer and the limits the reminder step enforces for it. */
export interface ConfiguredMailer extends Mailer {
  readonly transport: MailConfig["transport"];
  /** Messages a day the step may send through it; null for no cap. */
  readonly dailyCap: number | null;
  readonly messageIdDomain: string;
  close(): Promise<void>;
}

const ENV_KEYS: Record<string, string> = {
  DONDOC_MAIL_TRANSPORT: "transport",
  DONDOC_MAIL_FROM: "from",
  DONDOC_MAIL_FROM_NAME: "fromName",
  DONDOC_MAIL_MAX_RECIPIENTS: "maxRecipientsPerMessage",
  DONDOC_MAIL_DAILY_CAP: "dailyCap",
  DONDOC_MAIL_DOMAIN: "messageIdDomain",
  DONDOC_OUTBOX_DIR: "dir",
  DONDOC_SMTP_HOST: "host",
  DONDOC_SMTP_PORT: "port",
  DONDOC_SMTP_SECURE: "secure",
  DONDOC_SMTP_REQUIRE_TLS: "requireTls",
  DONDOC_SMTP_USER: "user",
  DONDOC_SMTP_PASS: "pass",
  DONDOC_GMAIL_KEY_JSON: "keyJson",
  DONDOC_GMAIL_KEY_FILE: "keyFile",
  DONDOC_GMAIL_ROOT_URL: "rootUrl",
};

/** The embedded default's sender when none is configured: a name that cannot be mistaken for a real mailbox. */
export const DEFAULT_OUTBOX_FROM = "dondoc@dondoc.local";

/** Reads DONDOC_MAIL_* (and friends) into the shape MailConfig validates; unset variables stay absent. */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v.trim() !== "") out[key] = v.trim();
  }
  if (out.keyFile === undefined && out.transport === "gmail" && env.GOOGLE_APPLICATION_CREDENTIALS) {
    out.keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  }
  out.transport ??= "outbox";
  if (out.transport === "outbox") out.from ??= DEFAULT_OUTBOX_FROM;
  return out;
}

function invalid(problems: string[]): DondocError {
  return new DondocError("mail-config-invalid", `Cấu hình gửi thư không hợp lệ: ${problems.join("; ")}.`, {
    problems,
  });
}

const ENV_NAME_OF = Object.fromEntries(Object.entries(ENV_KEYS).map(([env, key]) => [key, env]));

export function parseMailConfig(input: unknown): MailConfig {
  const parsed = MailConfig.safeParse(input);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? "transport");
        const name = ENV_NAME_OF[key] ? `${ENV_NAME_OF[key]} (${key})` : key;
        return key === "transport" && i.code === "invalid_union"
          ? "DONDOC_MAIL_TRANSPORT phải là outbox, smtp hoặc gmail"
          : `${name}: ${i.message}`;
      }),
    );
  }
  const c = parsed.data;
  if (c.transport === "smtp" && (c.user === undefined) !== (c.pass === undefined)) {
    throw invalid(["DONDOC_SMTP_USER và DONDOC_SMTP_PASS phải có cùng nhau"]);
  }
  if (c.transport === "gmail" && c.keyJson === undefined && c.keyFile === undefined) {
    throw invalid([
      "Gmail API cần khóa tài khoản dịch vụ: DONDOC_GMAIL_KEY_FILE (hoặc GOOGLE_APPLICATION_CREDENTIALS) hay DONDOC_GMAIL_KEY_JSON",
    ]);
  }
  return c;
}

function readServiceAccountKey(c: Extract<MailConfig, { transport: "gmail" }>): ServiceAccountKey {
  let text: string;
  try {
    text = c.keyJson ?? readFileSync(c.keyFile!, "utf8");
  } catch (err) {
    throw invalid([`không đọc được tệp khóa ${c.keyFile}: ${(err as Error).message}`]);
  }
  const Key = z.object({ client_email: z.email(), private_key: z.string().includes("PRIVATE KEY") });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalid(["khóa tài khoản dịch vụ không phải JSON"]);
  }
  const key = Key.safeParse(json);
  if (!key.success) throw invalid(["khóa tài khoản dịch vụ thiếu client_email hoặc private_key"]);
  return key.data;
}

class Configured implements ConfiguredMailer {
  readonly transport: MailConfig["transport"];
  readonly dailyCap: number | null;
  readonly messageIdDomain: string;
  readonly #inner: Mailer;
  readonly #close: () => Promise<void>;

  constructor(c: MailConfig, inner: Mailer, close: () => Promise<void> = async () => {}) {
    this.transport = c.transport;
    this.dailyCap = c.dailyCap ?? null;
    this.messageIdDomain = c.messageIdDomain;
    this.#inner = inner;
    this.#close = close;
  }

  get maxRecipientsPerMessage(): number {
    return this.#inner.maxRecipientsPerMessage;
  }

  send(message: MailMessage): Promise<SendResult> {
    return this.#inner.send(message);
  }

  close(): Promise<void> {
    return this.#close();
  }
}

export interface MailerOverrides {
  /** The Date header's clock (a replay passes its simulated time). */
  clock?: Clock;
  /** Where a relative outbox dir is resolved from. */
  outboxDir?: string;
}

/**
 * The mailer the configuration names. Accepts the process environment (DONDOC_MAIL_TRANSPORT, …) or an object
 * already in MailConfig's shape; throws DondocError "mail-config-invalid" naming every problem at once.
 */
export function mailerFromConfig(
  source: NodeJS.ProcessEnv | MailConfigInput,
  overrides: MailerOverrides = {},
): ConfiguredMailer {
  const input =
    "transport" in source && typeof source.transport === "string" ? source : mailConfigFromEnv(source);
  const c = parseMailConfig(input);
  const from = { address: c.from, name: c.fromName };
  const base = { from, clock: overrides.clock, maxRecipientsPerMessage: c.maxRecipientsPerMessage };
  switch (c.transport) {
    case "outbox":
      return new Configured(c, new OutboxMailer({ ...base, dir: overrides.outboxDir ?? c.dir }));
    case "smtp": {
      const smtp = new SmtpMailer({
        ...base,
        host: c.host,
        port: c.port,
        // Port 465 speaks TLS from the start; the others upgrade with STARTTLS.
        secure: c.secure ?? c.port === 465,
        requireTls: c.requireTls,
        auth: c.user !== undefined && c.pass !== undefined ? { user: c.user, pass: c.pass } : undefined,
        pool: true,
      });
      return new Configured(c, smtp, async () => smtp.close());
    }
    case "gmail": {
      const auth = delegatedAuth(readServiceAccountKey(c), c.from);
      const gmail = new GmailApiMailer({ ...base, auth, ...(c.rootUrl ? { rootUrl: c.rootUrl } : {}) });
      return new Configured(c, gmail);
    }
  }
}
