// One MIME builder for every mailer, so the .eml in the outbox, the SMTP DATA and the Gmail API's raw are the
// same bytes for the same message. nodemailer's MailComposer does the encoding (RFC 2047 subjects, UTF-8
// quoted-printable bodies, multipart/alternative); hand-rolled MIME is where mail bugs live.
import { createHash } from "node:crypto";
import MailComposer from "nodemailer/lib/mail-composer";
import { DondocError } from "../../core/errors.ts";
import type { MailMessage } from "../../core/ports.ts";

export interface Sender {
  address: string;
  /** Display name used when the message has no fromName. */
  name?: string;
}

export interface BuildOptions {
  from: Sender;
  /** The Date header; the sending clock's now (a replay stamps its simulated time). */
  date: Date;
  /** Extra headers, e.g. the ledger id for tracing a message back to its record. */
  headers?: Record<string, string>;
}

const MESSAGE_ID = /^<[^<>@\s]+@[^<>@\s]+>$/;

export function allRecipients(m: Pick<MailMessage, "to" | "cc">): string[] {
  return [...m.to, ...(m.cc ?? [])];
}

/** The complete RFC 5322 message: headers, then multipart/alternative with a text and an HTML part. */
export async function buildMime(message: MailMessage, options: BuildOptions): Promise<Buffer> {
  if (!MESSAGE_ID.test(message.messageId)) {
    throw new DondocError("mail-message-id", `Message-ID không hợp lệ: ${message.messageId}`, {
      messageId: message.messageId,
    });
  }
  if (allRecipients(message).length === 0) {
    throw new DondocError("mail-no-recipients", `Thư "${message.subject}" không có người nhận.`, {
      messageId: message.messageId,
    });
  }
  const composer = new MailComposer({
    from: { name: message.fromName ?? options.from.name ?? "", address: options.from.address },
    to: message.to,
    cc: message.cc,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    date: options.date,
    textEncoding: "quoted-printable",
    // A boundary derived from the Message-ID instead of random bytes: the same message at the same date is the
    // same bytes, so a resend rewrites an identical .eml and replays can be compared byte for byte.
    baseBoundary: createHash("sha256").update(message.messageId).digest("hex").slice(0, 16),
    headers: {
      // RFC 3834: out-of-office robots must not answer a reminder.
      "Auto-Submitted": "auto-generated",
      "Content-Language": "vi",
      ...options.headers,
    },
  });
  return composer.compile().build();
}

/** base64url without padding, as the Gmail API's `raw` field takes it. */
export function toBase64Url(raw: Buffer): string {
  return raw.toString("base64url");
}
