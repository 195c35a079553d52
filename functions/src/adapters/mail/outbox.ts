// The embedded default: each message becomes an .eml file that any mail client opens (and that an office can
// forward by hand). The file is named after the Message-ID, so resending a message after a crash rewrites the
// same file instead of adding a second one: with the ledger, exactly one file per send.
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Clock, Mailer, MailMessage, SendResult } from "../../core/ports.ts";
import { allRecipients, buildMime, type Sender } from "./rfc5322.ts";

export interface OutboxOptions {
  dir: string;
  from: Sender;
  clock?: Clock;
  maxRecipientsPerMessage?: number;
}

/** "<reminder~p3~x~2h.cho-don@dondoc.local>" → "reminder~p3~x~2h.cho-don@dondoc.local.eml". */
export function outboxFileName(messageId: string): string {
  const bare = messageId.replace(/^<|>$/g, "");
  // Anything a file system might treat specially (separators, Windows' reserved characters) becomes "_".
  return `${bare.replace(/[^A-Za-z0-9._~@+=-]/g, "_")}.eml`;
}

export class OutboxMailer implements Mailer {
  readonly maxRecipientsPerMessage: number;
  readonly dir: string;
  readonly #from: Sender;
  readonly #clock: Clock;

  constructor(options: OutboxOptions) {
    this.dir = options.dir;
    this.#from = options.from;
    this.#clock = options.clock ?? { now: () => new Date() };
    this.maxRecipientsPerMessage = options.maxRecipientsPerMessage ?? 100;
  }

  pathOf(messageId: string): string {
    return join(this.dir, outboxFileName(messageId));
  }

  async send(message: MailMessage): Promise<SendResult> {
    const raw = await buildMime(message, { from: this.#from, date: this.#clock.now() });
    await mkdir(this.dir, { recursive: true });
    const target = this.pathOf(message.messageId);
    // Write then rename: a mail client or a person never sees half a message, and a crash leaves the old file.
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, raw);
    await rename(temp, target);
    return { messageId: message.messageId, accepted: allRecipients(message), rejected: [] };
  }
}
