// Any SMTP server through nodemailer. Gmail and Google Workspace: host smtp.gmail.com, port 465 with
// secure: true (or 587 with STARTTLS), user = the full address, pass = an app password (Google account →
// Security → 2-Step Verification → App passwords); the account's normal password is refused. Gmail accepts at most
// 100 recipients per message and about 500 messages a day from a consumer account, 2,000 from Workspace.
import nodemailer, { type Transporter } from "nodemailer";
import { DondocError } from "../../core/errors.ts";
import type { Clock, Mailer, MailMessage, SendResult } from "../../core/ports.ts";
import { allRecipients, buildMime, type Sender } from "./rfc5322.ts";

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); false means STARTTLS when the server offers it (587, 25). */
  secure: boolean;
  /** Refuse to send over a connection that did not upgrade to TLS (use with 587). */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  from: Sender;
  clock?: Clock;
  maxRecipientsPerMessage?: number;
  /** Keep one connection open across the messages of a run. */
  pool?: boolean;
  /** Milliseconds to wait for a connection, the greeting and each command; nodemailer's defaults are minutes. */
  timeoutMs?: number;
  /** For test servers with self-signed certificates only. */
  allowSelfSigned?: boolean;
}

export class SmtpMailer implements Mailer {
  readonly maxRecipientsPerMessage: number;
  readonly #transport: Transporter;
  readonly #from: Sender;
  readonly #clock: Clock;

  constructor(options: SmtpOptions) {
    this.maxRecipientsPerMessage = options.maxRecipientsPerMessage ?? 100;
    this.#from = options.from;
    this.#clock = options.clock ?? { now: () => new Date() };
    const timeout = options.timeoutMs ?? 30_000;
    this.#transport = nodemailer.createTransport({
      host: options.host,
      port: options.port,
      secure: options.secure,
      requireTLS: options.requireTls ?? false,
      auth: options.auth,
      pool: options.pool ?? false,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      tls: options.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    });
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
    const raw = await buildMime(message, { from: this.#from, date: this.#clock.now() });
    // The envelope is given explicitly: with `raw`, nodemailer does not read addresses from the headers.
    const info = await this.#transport.sendMail({
      envelope: { from: this.#from.address, to: recipients },
      raw,
    });
    const addr = (a: string | { address: string }) => (typeof a === "string" ? a : a.address);
    return {
      messageId: message.messageId,
      accepted: (info.accepted ?? []).map(addr),
      rejected: (info.rejected ?? []).map(addr),
    };
  }

  /** Closes pooled connections; a process that sent its run's mail should call it before exiting. */
  close(): void {
    this.#transport.close();
  }
}
